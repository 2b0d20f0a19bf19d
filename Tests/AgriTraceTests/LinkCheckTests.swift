import Foundation
import Testing
@testable import AgriTrace
import TestSupport
import TraceCrypto

/// ``LinkCheck`` on contexts built directly from events: which lots an event must link.
@Suite("Links: every lot an event uses names where it came from")
struct LinkCheckTests {
    static func digest(_ n: Int) -> String { "sha256:" + String(format: "%064x", n) }
    static func lot(_ name: String) -> String { "https://id.gs1.org/01/08936000120016/10/\(name)" }

    /// The context of `events` as a bundle's records, named by digest(position), unsigned.
    func context(_ events: [EPCISEvent]) throws -> VerificationContext {
        let records = events.enumerated().map { VerifiedRecordInput(index: $0, digest: Self.digest($0), keyids: [], event: $1) }
        let anchor = Fixtures.pki.root.certificate
        return VerificationContext(subject: Self.lot("L0"), records: records, certificates: [:], crls: [],
                                   options: VerificationOptions(trustAnchors: [anchor], at: Fixtures.verifyTime),
                                   chainVerifier: try ChainVerifier(trustAnchors: [anchor]))
    }

    @Test("each lot an event uses without a link is one finding naming it, an error unless the event was imported; what it makes needs none, however many")
    func unlinkedLots() throws {
        let coop = try GLN(SampleActor.honeyCoop.gln), exporter = try GLN(SampleActor.exporter.gln)
        func time(_ day: Int) throws -> EPCISTime { try EPCISTime(parsing: "2026-04-\(day)T07:30:00.000+07:00") }
        func kilograms(_ lot: String) -> QuantityElement { QuantityElement(epcClass: lot, quantity: 10, uom: "KGM") }
        let harvested = (0..<12).map { Self.lot("L\($0)") }
        var events = try harvested.map { lot in
            EventFactory.harvest(lot: lot, quantity: 10, uom: "KGM", at: try time(12), location: coop, harvestDate: "2026-04-12", plots: [])
        }
        // Position 12: three lots shipped, two of them linked.
        let shipment = EventFactory.ship(quantities: harvested[0...2].map(kilograms), previous: [
            InputLink(record: Self.digest(0), lot: harvested[0]), InputLink(record: Self.digest(2), lot: harvested[2]),
        ], at: try time(14), from: coop, to: exporter)
        events.append(shipment)
        // Position 13: nine lots (past the few compared one by one) made into ten, one input's link missing.
        var blend = EventFactory.transform(inputs: (3..<12).map { (kilograms(harvested[$0]), Self.digest($0)) },
                                           outputs: (0..<10).map { kilograms(Self.lot("B\($0)")) }, at: try time(15), location: coop)
        blend.inputs.removeAll { $0.lot == harvested[5] }
        events.append(blend)
        // Position 14: the shipment again, imported from another EPCIS system.
        var imported = shipment
        imported.extensions["agt:imported"] = .object(["at": .string("2026-04-16T07:30:00.000+07:00")])
        events.append(imported)

        let findings = LinkCheck().findings(in: try context(events))
        #expect(findings.map(\.code) == [.linkUnlinked, .linkUnlinked, .linkUnlinked])
        #expect(findings.map(\.record) == [Self.digest(12), Self.digest(13), Self.digest(14)])
        #expect(findings.map(\.severity) == [.error, .error, .warning])
        #expect(findings[0].message.contains(harvested[1]) && findings[1].message.contains(harvested[5]) && findings[2].message.contains(harvested[1]))
        #expect(findings[2].message.hasSuffix("it was imported from another EPCIS system"))
    }

    @Test("a record concerns each lot, item and unit it names and the lot of each item, in order, whether it names a few or many", arguments: [1, 8, 9, 30])
    func recordConcerns(lots count: Int) throws {
        let lots = (0..<count).map { Self.lot("C\($0)") }, item = Self.lot("I") + "/21/7"
        var event = EventFactory.ship(quantities: lots.map { QuantityElement(epcClass: $0, quantity: 1, uom: "KGM") }, previous: [],
                                      at: try EPCISTime(parsing: "2026-04-14T07:30:00.000+07:00"),
                                      from: try GLN(SampleActor.honeyCoop.gln), to: try GLN(SampleActor.exporter.gln))
        event.epcList = [item]
        let record = VerifiedRecordInput(index: 0, digest: Self.digest(0), keyids: [], event: event)
        #expect(record.identifiers == [item] + lots + [Self.lot("I")])
        #expect(record.identifiers.allSatisfy(record.concerns))
        #expect(!record.concerns(Self.lot("C\(count)")) && !record.concerns(Self.lot("C")) && !record.concerns(""))
    }

    @Test("an event's identifiers without another list's, in order, whether that list is short or long", arguments: [0, 1, 8, 9, 40])
    func identifiersNotIn(excluded count: Int) {
        let items = (0..<50).map { "x\($0 % 25)" }  // each twice
        let excluded = (0..<count).map { "x\($0 * 2)" }
        let kept = EPCISEvent.items(items, notIn: excluded)
        #expect(kept == items.filter { !excluded.contains($0) })
        #expect(kept.count == 50 - 2 * Set(excluded.filter { items.contains($0) }).count)
    }
}
