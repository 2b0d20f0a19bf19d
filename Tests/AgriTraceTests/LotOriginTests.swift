import Foundation
import Testing
@testable import AgriTrace

@Suite("A lot's origin: the harvests that went into it")
struct LotOriginTests {
    static let gln = (try? GLN("8936000100018")) ?? { fatalError("GLN") }()
    static func lot(_ name: String) -> String { "https://id.gs1.org/01/08936000120016/10/\(name)" }

    static func harvest(_ name: String, _ first: String, _ last: String? = nil, country: String = "VN") throws -> EPCISEvent {
        EventFactory.harvest(lot: lot(name), quantity: 100, uom: "KGM", at: try EPCISTime(parsing: "2026-04-20T18:00:00.000+07:00"),
                             location: gln, harvestDate: first, harvestEndDate: last, plots: [], countryOfOrigin: country)
    }

    /// Two harvests (1 and 20 April), shipped together, then blended; and a third lot on the same shipment.
    static func records() throws -> [(digest: String, event: EPCISEvent)] {
        let events = [try harvest("A", "2026-04-01"), try harvest("B", "2026-04-18", "2026-04-20"), try harvest("C", "2026-03-02")]
        let digests = ["sha256:a", "sha256:b", "sha256:c"]
        let time = try EPCISTime(parsing: "2026-04-21T08:00:00.000+07:00")
        let shipped = EventFactory.ship(quantities: ["A", "B", "C"].map { QuantityElement(epcClass: lot($0), quantity: 100, uom: "KGM") },
                                        previous: zip(digests, ["A", "B", "C"]).map { InputLink(record: $0, lot: lot($1)) },
                                        at: time, from: gln, to: gln)
        let blend = EventFactory.transform(inputs: ["A", "B"].map { (QuantityElement(epcClass: lot($0), quantity: 100, uom: "KGM"), "sha256:s") },
                                           outputs: [QuantityElement(epcClass: lot("BL"), quantity: 200, uom: "KGM")],
                                           at: try EPCISTime(parsing: "2026-04-22T08:00:00.000+07:00"), location: gln)
        return Array(zip(digests, events)) + [("sha256:s", shipped), ("sha256:t", blend)]
    }

    @Test("a blend was harvested over its inputs' whole span; a lot that only shared the shipment does not count")
    func blendSpansItsInputs() throws {
        let records = try Self.records()
        let lots = LotOrigin.lots(flowingInto: Self.lot("BL"), events: records)
        #expect(lots == Set(["BL", "A", "B"].map(Self.lot)))
        let origin = LotOrigin(lots: lots, events: records.map(\.event))
        #expect(origin.harvestDays == "2026-04-01 to 2026-04-20")
        #expect(origin.harvestDateElement == "260401260420")
        #expect(origin.countryElement == "704")
        let single = LotOrigin(lots: LotOrigin.lots(flowingInto: Self.lot("A"), events: records), events: records.map(\.event))
        #expect(single.harvestDays == "2026-04-01" && single.harvestDateElement == "260401")
    }

    @Test("days that are no days are left out, an end before its start is the start, several countries name none for AI 422")
    func hostileDays() throws {
        var bogus = try Self.harvest("X", "2026-02-30")
        #expect(LotOrigin(harvests: [bogus]).harvestDays == nil)
        bogus = try Self.harvest("X", "2026-04-10", "2026-04-01")
        #expect(LotOrigin(harvests: [bogus]).harvestDays == "2026-04-10")
        let mixed = LotOrigin(harvests: [try Self.harvest("A", "2026-04-01"), try Self.harvest("B", "2026-04-02", country: "TH")])
        #expect(mixed.countries == ["VN", "TH"] && mixed.countryElement == nil)
        #expect(LotOrigin(harvests: [try Self.harvest("B", "2026-04-02", country: "TH")]).countryElement == "764")
        #expect(LotOrigin(harvests: [try Self.harvest("B", "2026-04-02", country: "ZZ")]).countryElement == nil)
    }

    @Test("a harvest's day span is the days its origin gives, without reading its countries; none for any other event")
    func harvestDaySpanIsTheOrigins() throws {
        for (first, last) in [("2026-04-08", "2026-04-12"), ("2026-04-08", nil), ("2026-04-10", "2026-04-01"), ("2026-02-30", nil),
                              ("2026-04-08", "2026-02-30"), ("2026-4-8", nil)] as [(String, String?)] {
            let event = try Self.harvest("A", first, last)
            let origin = event.harvestOrigin
            #expect(event.harvestDaySpan?.first == origin.firstDay && event.harvestDaySpan?.last == origin.lastDay, "\(first) \(last ?? "")")
        }
        #expect(try Self.harvest("A", "2026-04-08", "2026-04-12").harvestDaySpan.map { [$0.first, $0.last] } == ["2026-04-08", "2026-04-12"])
        var notHarvest = try Self.harvest("A", "2026-04-08")
        notHarvest.bizStep = "inspecting"
        #expect(notHarvest.harvestDaySpan == nil && notHarvest.harvestOrigin.firstDay == nil)
    }

    @Test("a harvest over days says so on the buyer's journey line, and keeps its end day through verification")
    func harvestOverDaysOnTheJourney() throws {
        let event = try Self.harvest("A", "2026-04-08", "2026-04-12")
        #expect(event.harvestDays == "2026-04-08 to 2026-04-12")
        #expect(event.keepingClaimsOnly().harvestEndDate == "2026-04-12")
        #expect(StepFacts.phrases(of: event).first == "harvested 2026-04-08 to 2026-04-12")
        #expect(try Self.harvest("A", "2026-04-08", "2026-04-08").ilmd?["cbvmda:harvestEndDate"] == nil)  // one day: no end date written
    }
}
