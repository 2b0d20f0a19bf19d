import Foundation
import Testing
@testable import AgriTrace
import TraceCrypto

@Suite("What an event moves")
struct EventLotsTests {
    static func lot(_ name: String) -> String { "https://id.gs1.org/01/08936000120016/10/\(name)" }
    static func kilograms(_ name: String, _ quantity: Decimal? = 10) -> QuantityElement {
        QuantityElement(epcClass: lot(name), quantity: quantity, uom: quantity == nil ? nil : "KGM")
    }

    func shipment(_ quantities: [QuantityElement]) throws -> EPCISEvent {
        EventFactory.ship(quantities: quantities, previous: [], at: try EPCISTime(parsing: "2026-04-14T07:30:00.000+07:00"),
                          from: try GLN(SampleActor.honeyCoop.gln), to: try GLN(SampleActor.exporter.gln))
    }

    @Test("an event's lots and units are its lists in order; where it states one list, that list itself, its storage not copied")
    func listsJoined() throws {
        var event = try shipment([Self.kilograms("A"), Self.kilograms("B")])
        let stated = event.quantityList ?? []
        let lots = event.lotAmounts.lots
        #expect(lots == stated && event.lotAmounts.consumed.isEmpty)
        #expect(lots.withUnsafeBufferPointer { $0.baseAddress } == stated.withUnsafeBufferPointer { $0.baseAddress })
        event.childQuantityList = [Self.kilograms("C")]
        #expect(event.lotAmounts.lots.map(\.epcClass) == ["A", "B", "C"].map(Self.lot))
        event.quantityList = nil
        #expect(event.lotAmounts.lots.map(\.epcClass) == [Self.lot("C")])
        event.epcList = ["https://id.gs1.org/00/089360001000000017"]
        let units = event.namedUnits
        #expect(units == event.epcList)
        #expect(units.withUnsafeBufferPointer { $0.baseAddress } == event.epcList?.withUnsafeBufferPointer { $0.baseAddress })
        event.childEPCs = ["https://id.gs1.org/00/089360001000000024"]
        #expect(event.namedUnits == ["https://id.gs1.org/00/089360001000000017", "https://id.gs1.org/00/089360001000000024"])
    }

    @Test("the headline quantity is the first stated one: the event's own lots, then what it makes, packs or uses")
    func headline() throws {
        var event = try shipment([Self.kilograms("A", nil), Self.kilograms("B", 7)])
        #expect(event.headlineQuantity?.epcClass == Self.lot("B"))
        event.quantityList = [Self.kilograms("A", nil)]
        event.inputQuantityList = [Self.kilograms("I", 3)]
        event.childQuantityList = [Self.kilograms("C", nil), Self.kilograms("D", 5)]
        #expect(event.headlineQuantity?.epcClass == Self.lot("D"))
        event.outputQuantityList = [Self.kilograms("O", 2)]
        #expect(event.headlineQuantity?.epcClass == Self.lot("O"))
        event.outputQuantityList = nil
        event.childQuantityList = nil
        #expect(event.headlineQuantity?.epcClass == Self.lot("I"))
        event.inputQuantityList = nil
        #expect(event.headlineQuantity == nil)
    }

    @Test("the identifiers an event uses but links no record for are, in order and each once, what it names less what it creates and what its links name",
          arguments: [0, 1])
    func unlinked(wide: Int) throws {
        // A few identifiers (compared in place) and many (through sets), from a small pool so
        // that lists repeat and overlap; every event type, packing with and without a parent.
        var random = SystemRandomNumberGenerator()
        let pool = (0..<(wide == 0 ? 6 : 40)).map { Self.lot("L\($0)") }
        func some(_ most: Int) -> [String]? { Bool.random(using: &random) ? nil : (0..<Int.random(in: 0...most, using: &random)).compactMap { _ in pool.randomElement(using: &random) } }
        func amounts(_ most: Int) -> [QuantityElement]? { some(most)?.map { QuantityElement(epcClass: $0) } }
        let most = wide == 0 ? 2 : 12
        var unlinkedFound = 0
        for _ in 0..<3_000 {
            var event = try shipment([])
            event.type = [.objectEvent, .aggregationEvent, .transformationEvent].randomElement(using: &random) ?? .objectEvent
            event.action = [EPCISEvent.Action.add, .observe, .delete].randomElement(using: &random)
            event.bizStep = ["commissioning", "shipping", "packing"].randomElement(using: &random)
            event.epcList = some(most); event.quantityList = amounts(most); event.parentID = Bool.random(using: &random) ? pool.randomElement(using: &random) : nil
            event.childEPCs = some(most); event.childQuantityList = amounts(most)
            event.inputEPCList = some(most); event.inputQuantityList = amounts(most); event.outputEPCList = some(most); event.outputQuantityList = amounts(most)
            event.inputs = (some(most) ?? []).map { InputLink(record: "sha256:" + String(repeating: "0", count: 64), lot: $0) }
            let created = Set(event.createdIdentifierList), linked = Set(event.inputs.map(\.lot))
            var expected: [String] = []
            for identifier in event.identifiers where !created.contains(identifier) && !linked.contains(identifier) && !expected.contains(identifier) {
                expected.append(identifier)
            }
            #expect(event.unlinkedIdentifiers == expected)
            unlinkedFound += expected.isEmpty ? 0 : 1
        }
        #expect(unlinkedFound > 300)
    }
}
