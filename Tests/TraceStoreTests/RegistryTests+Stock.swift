import AgriTrace
import Foundation
import GRDB
import Testing
import TestSupport
import TraceCrypto
@testable import TraceStore

/// Stock: what each step draws, moves, loses, writes off and unpacks, and what is left to ship.
extension RegistryTests {
    @Test("a lot named twice cannot draw twice on its stock, and a transformation cannot make more than it takes")
    func doubleDraws() throws {
        let coop = try Parties.cooperativeWithHarvest(100, category: "other")
        let exporter = try GLN(SampleActor.exporter.gln), blend = "https://id.gs1.org/01/08936000120016/10/MV-B"
        let later = Parties.day.addingTimeInterval(3600)
        let half = EventRecorder.Amount(lot: Parties.lot, quantity: 60)
        let attempts: [(String, () throws -> Void)] = [
            ("ship", { try coop.ship(amounts: [half, half], to: exporter, time: later) }),
            ("pack", { try coop.pack(into: try SSCC("089360001000000018"), contents: [half, half], time: later) }),
            ("transform", { try coop.transform(inputs: [half, half], outputs: [.init(lot: blend, quantity: 100)], time: later) }),
            ("outputs", { try coop.transform(inputs: [half], outputs: [.init(lot: blend, quantity: 20), .init(lot: blend, quantity: 20)], time: later) }),
        ]
        for (what, attempt) in attempts {
            #expect("\(what)") { try attempt() } throws: { ($0 as? TraceError)?.code == "argument.invalid" && "\($0)".contains("appears twice") }
        }
        #expect { try coop.transform(inputs: [.init(lot: Parties.lot, quantity: 10)], outputs: [.init(lot: blend, quantity: 500)], time: later) } throws: {
            ($0 as? TraceError)?.code == "quantity.yield"
        }
        #expect(try coop.workspace.registry.count() == 1)
        // Kilograms into litres do not compare: juicing is recorded.
        try coop.transform(inputs: [.init(lot: Parties.lot, quantity: 100)], outputs: [.init(lot: blend, quantity: 40, unit: "LTR")], time: later)
        #expect(try coop.workspace.registry.count() == 2)
    }

    @Test("partial shipments, packing and transformations draw down the party's stock exactly")
    func stockAccounting() throws {
        let coop = try Parties.cooperativeWithHarvest(category: "other")
        let exporter = try GLN(SampleActor.exporter.gln)
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 500)], to: exporter, time: Parties.day.addingTimeInterval(3600))
        try coop.pack(into: try SSCC("089360001000000018"), contents: [.init(lot: Parties.lot, quantity: 300)], time: Parties.day.addingTimeInterval(7200))
        let blend = "https://id.gs1.org/01/08936000120016/10/MV-B"
        try coop.transform(inputs: [.init(lot: Parties.lot, quantity: 400)], outputs: [.init(lot: blend, quantity: 400)], time: Parties.day.addingTimeInterval(9000))
        let left = try coop.workspace.registry.transaction { try $0.ledger(for: Parties.lot) }.balance(of: Parties.lot, holder: SampleActor.honeyCoop.gln)
        #expect(left == 0)
        #expect { try coop.ship(amounts: [.init(lot: Parties.lot, quantity: Decimal(string: "0.001") ?? 0)], to: exporter) } throws: {
            ($0 as? TraceError)?.code == "quantity.exceeded"
        }
        #expect(try coop.workspace.check().findings.isEmpty)
        let bundle = try coop.workspace.exportBundle(subject: blend)
        #expect(bundle.records.count == 4)  // harvest, ship and pack touched the lot before the blend
    }

    @Test("a receipt names a shipment from that sender to this party and takes no more than it carried; a unit shipped away is not shipped again")
    func receiving() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let coopGLN = try GLN(SampleActor.honeyCoop.gln), exporterGLN = try GLN(SampleActor.exporter.gln)
        let unit = try SSCC("089360001000000018")
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 500)], to: exporterGLN, time: Parties.day.addingTimeInterval(60))
        try coop.pack(into: unit, contents: [.init(lot: Parties.lot, quantity: 300)], time: Parties.day.addingTimeInterval(120))
        try coop.ship(units: [unit], to: exporterGLN, time: Parties.day.addingTimeInterval(180))
        #expect { try coop.ship(units: [unit], to: exporterGLN) } throws: { ($0 as? TraceError)?.code == "sscc.notHeld" }
        let exporter = try Parties.workspace(.exporter)
        var added = 0
        for subject in [Parties.lot, DigitalLink.logisticUnit(unit).uri] {
            let file = try temporaryDirectory().appendingPathComponent("handover.provenance.json")
            try coop.workspace.exportBundle(subject: subject).write(to: file)
            added += try exporter.workspace.importBundle(at: file).added
        }
        #expect(added == 4)  // harvest, both shipments, the packing
        let later = Parties.day.addingTimeInterval(3600)
        func refused(_ code: TraceError.Code, _ receive: () throws -> Void) {
            #expect(performing: receive, throws: { ($0 as? TraceError)?.code == code })
        }
        refused("shipment.unknown") { try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: 1)], from: try GLN(SampleActor.importerSingapore.gln), time: later) }
        refused("quantity.exceeded") { try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: 501)], from: coopGLN, time: later) }
        refused("quantity.unit") { try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: 1, unit: "LTR")], from: coopGLN, time: later) }
        try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: 200)], from: coopGLN, time: later)
        try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: Decimal(string: "0.3") ?? 0, unit: "TNE")], from: coopGLN, time: later)  // 300 kg
        refused("quantity.exceeded") { try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: 1)], from: coopGLN, time: later) }
        try exporter.receive(units: [unit], from: coopGLN, time: later)
        refused("shipment.received") { try exporter.receive(units: [unit], from: coopGLN, time: later) }
        // Received, the unit is the exporter's to ship on.
        try exporter.ship(units: [unit], to: try GLN(SampleActor.importerSingapore.gln), time: later.addingTimeInterval(60))
        #expect(try exporter.workspace.check().findings.isEmpty)
    }

    @Test("what is lost on the way is not stock: after receiving 485 kg of 500 kg shipped, 485 kg can be shipped and stock says 485")
    func partialReceipt() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let coopGLN = try GLN(SampleActor.honeyCoop.gln), importer = try GLN(SampleActor.importerSingapore.gln)
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 500)], to: try GLN(SampleActor.exporter.gln), time: Parties.day.addingTimeInterval(60))
        let exporter = try Parties.workspace(.exporter)
        let file = try temporaryDirectory().appendingPathComponent("handover.provenance.json")
        try coop.workspace.exportBundle(subject: Parties.lot).write(to: file)
        _ = try exporter.workspace.importBundle(at: file)
        #expect(try Stock.of(exporter.workspace).lots.map(\.quantity) == [500], "shipped and not yet received: counted as delivered")
        let later = Parties.day.addingTimeInterval(3600)
        try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: 485)], from: coopGLN, time: later)
        #expect(try Stock.of(exporter.workspace).lots.map(\.quantity) == [485])
        #expect { try exporter.ship(amounts: [.init(lot: Parties.lot, quantity: 486)], to: importer, time: later.addingTimeInterval(60)) }
            throws: { ($0 as? TraceError)?.code == "quantity.exceeded" }
        try exporter.ship(amounts: [.init(lot: Parties.lot, quantity: 485)], to: importer, time: later.addingTimeInterval(60))
        #expect(try exporter.workspace.check().findings.isEmpty)
        // The rest turns up: received as shipped (the lot alone), it is what the shipment still carried.
        let rest = try exporter.receive(wholeLots: [Parties.lot], from: coopGLN, time: later.addingTimeInterval(120))
        #expect(try EPCISEvent.decode(payload: rest.payload).quantityList?.first?.quantity == 15)
        #expect(try Stock.of(exporter.workspace).lots.map(\.quantity) == [15])
        #expect { try exporter.receive(wholeLots: [Parties.lot], from: coopGLN, time: later.addingTimeInterval(180)) }
            throws: { ($0 as? TraceError)?.code == "shipment.received" }
    }

    @Test("goods written off leave stock and cannot be shipped; no more than held can be written off, and never without a reason")
    func writeOff() throws {
        let coop = try Parties.cooperativeWithHarvest(100)
        let exporter = try GLN(SampleActor.exporter.gln), later = Parties.day.addingTimeInterval(60)
        for (amounts, reason, code) in [([EventRecorder.Amount(lot: Parties.lot, quantity: 101)], "spoiled", "quantity.exceeded"),
                                        ([.init(lot: Parties.lot + "X", quantity: 1)], "spoiled", "lot.unknown"),
                                        ([.init(lot: Parties.lot, quantity: 1)], "\n", "argument.invalid"), ([], "spoiled", "argument.invalid")] {
            #expect { try coop.discard(amounts: amounts, reason: reason, time: later) } throws: { ($0 as? TraceError)?.code == TraceError.Code(rawValue: code) }
        }
        let envelope = try coop.discard(amounts: [.init(lot: Parties.lot, quantity: 30)], reason: "wax moth in the store", time: later)
        let event = try EPCISEvent.decode(payload: envelope.payload)
        #expect(event.bizStepWord == "destroying" && event.disposition.map(EPCISEvent.cbvWord) == "destroyed" && event.reason == "wax moth in the store")
        #expect(try Stock.of(coop.workspace).lots.map(\.quantity) == [70])
        #expect { try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 71)], to: exporter, time: later.addingTimeInterval(60)) }
            throws: { ($0 as? TraceError)?.code == "quantity.exceeded" }
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 70)], to: exporter, time: later.addingTimeInterval(60))
        let back = Tracer.tree(try Tracer(registry: coop.workspace.registry).back(Parties.lot), forward: false)
        #expect(back.contains { $0.hasSuffix("— 30 kg; destroyed: wax moth in the store") }, "\(back)")
        #expect(try coop.workspace.check().findings.isEmpty)
    }

    @Test("unpacking a unit held here gives back the lots it holds, once; the lots can then be shipped loose")
    func unpacking() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let exporterGLN = try GLN(SampleActor.exporter.gln), unit = try SSCC("089360001000000018")
        try coop.pack(into: unit, contents: [.init(lot: Parties.lot, quantity: 300)], time: Parties.day.addingTimeInterval(60))
        try coop.ship(units: [unit], to: exporterGLN, time: Parties.day.addingTimeInterval(120))
        let exporter = try Parties.workspace(.exporter)
        let file = try temporaryDirectory().appendingPathComponent("pallet.provenance.json")
        try coop.workspace.exportBundle(subject: DigitalLink.logisticUnit(unit).uri).write(to: file)
        #expect(try exporter.workspace.importBundle(at: file).added == 3)  // harvest, packing, shipment
        let later = Parties.day.addingTimeInterval(3600)
        #expect { try exporter.unpack(unit, time: later) } throws: { ($0 as? TraceError)?.code == "sscc.notHeld" }  // not received yet
        try exporter.receive(units: [unit], from: try GLN(SampleActor.honeyCoop.gln), time: later)
        try exporter.unpack(unit, time: later.addingTimeInterval(60))
        #expect { try exporter.unpack(unit, time: later.addingTimeInterval(120)) } throws: { ($0 as? TraceError)?.code == "sscc.unpacked" }
        #expect { try exporter.ship(units: [unit], to: try GLN(SampleActor.importerSingapore.gln)) } throws: { ($0 as? TraceError)?.code == "sscc.unpacked" }
        let importer = try GLN(SampleActor.importerSingapore.gln)
        #expect { try exporter.ship(amounts: [.init(lot: Parties.lot, quantity: 301)], to: importer, time: later.addingTimeInterval(180)) } throws: {
            ($0 as? TraceError)?.code == "quantity.exceeded" && ($0 as? TraceError)?.message.contains("holds 300 kg of") == true
                && ($0 as? TraceError)?.message.contains("less than the 301 kg asked for") == true
        }
        try exporter.ship(amounts: [.init(lot: Parties.lot, quantity: 300)], to: importer, time: later.addingTimeInterval(180))
        // A cooperative may unpack a unit it packed and still holds, as it may pack one: its lot is stock again.
        let second = try SSCC("089360001000000025")
        try coop.pack(into: second, contents: [.init(lot: Parties.lot, quantity: 500)], time: later)
        #expect(try Stock.of(coop.workspace).lots.first?.quantity == 400)
        try coop.unpack(second, time: later.addingTimeInterval(60))
        #expect(try Stock.of(coop.workspace).lots.first?.quantity == 900 && Stock.of(coop.workspace).units.isEmpty)
        #expect(try exporter.workspace.check().findings.isEmpty)
    }

    @Test("an importer ships on to a retailer and returns what it refuses; the buyer's verifier and the shipper's stock agree")
    func importerShipsOnAndReturns() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let coopGLN = try GLN(SampleActor.honeyCoop.gln), importerGLN = try GLN(SampleActor.importerSingapore.gln)
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 300)], to: importerGLN, time: Parties.day.addingTimeInterval(60))
        let importer = try Parties.handedOver(from: coop, to: .importerSingapore)
        let later = Parties.day.addingTimeInterval(3600)
        try importer.receive(amounts: [.init(lot: Parties.lot, quantity: 300)], from: coopGLN, time: later)
        try importer.ship(amounts: [.init(lot: Parties.lot, quantity: 100)], to: try GLN("8936000100124"), time: later.addingTimeInterval(60))  // a retailer
        try importer.ship(amounts: [.init(lot: Parties.lot, quantity: 50)], to: coopGLN, time: later.addingTimeInterval(120))  // refused goods, sent back
        #expect(try Stock.of(importer.workspace).lots.first?.quantity == 150)
        // The retailer's bundle: no role refused, quantities balanced.
        let bundle = try importer.workspace.exportBundle(subject: Parties.lot)
        let report = BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: later.addingTimeInterval(600)))
            .verify(data: try bundle.jsonData())
        #expect(!report.codes.contains { $0.hasPrefix("policy.roleNotAllowed") || $0.hasPrefix("massBalance") || $0.hasPrefix("party") }, "\(report.findings)")
        // The cooperative takes the return back into stock.
        let file = try temporaryDirectory().appendingPathComponent("return.provenance.json")
        try bundle.write(to: file)
        _ = try coop.workspace.importBundle(at: file)
        try coop.receive(amounts: [.init(lot: Parties.lot, quantity: 50)], from: importerGLN, time: later.addingTimeInterval(600))
        #expect(try Stock.of(coop.workspace).lots.first?.quantity == 950)
        #expect(try coop.workspace.check().findings.isEmpty)
    }

    @Test("stock lists what the party can still ship: a lot less what left or was packed, in the lot's own unit, and the units packed here until shipped")
    func stockIsWhatCanBeShipped() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let exporter = try GLN(SampleActor.exporter.gln), sscc = try SSCC("089360001000000018")
        let later = Parties.day.addingTimeInterval(3600)
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: Decimal(string: "0.5") ?? 0, unit: "TNE")], to: exporter, time: later)
        try coop.pack(into: sscc, contents: [.init(lot: Parties.lot, quantity: 300)], time: later.addingTimeInterval(60))
        var stock = try Stock.of(coop.workspace)
        #expect(stock.lots.map(\.lot) == [Parties.lot] && stock.lots.first?.quantity == 400 && stock.lots.first?.unit == "KGM")
        #expect(stock.lots.first?.product == "Honey")
        #expect(stock.units.map(\.unit) == [DigitalLink.logisticUnit(sscc).uri] && stock.units.first?.contents.first?.quantity == 300)
        #expect(stock.text().contains("400 kg  Honey  \(Parties.lot)") && stock.text().contains("SSCC 089360001000000018  300 kg of \(Parties.lot)"))
        // What it lists can be shipped, and no more: 400 kg, then nothing.
        #expect(throws: TraceError.self) { try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 401)], to: exporter, time: later.addingTimeInterval(120)) }
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 400)], units: [sscc], to: exporter, time: later.addingTimeInterval(120))
        stock = try Stock.of(coop.workspace)
        #expect(stock.lots.isEmpty && stock.units.isEmpty && stock.text().contains("holds nothing"))
    }

    @Test("an amount without a unit is in its lot's own: litres of a juice harvested in litres, a new lot in its product's unit")
    func amountsInTheLotsOwnUnit() throws {
        let coop = try Parties.cooperativeWithHarvest(category: "other")  // honey, in kilograms, under no built-in policy
        let juice = try GTIN("08936000120047"), blend = try GTIN("08936000120078")
        try coop.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: juice, nameVi: "Nước cam", nameEn: "Orange juice", category: "other", unit: "LTR"))
            try tx.addProduct(try Product(gtin: blend, nameVi: "Nước cam pha", nameEn: "Juice blend", category: "other", unit: "LTR"))
        }
        try coop.harvest(gtin: juice, lot: "J-1", quantity: 500, plots: ["P1"], harvestDate: "2026-04-10", time: Parties.day)
        let lot = DigitalLink.lot(juice, lot: "J-1").uri, exporter = try GLN(SampleActor.exporter.gln)
        let later = Parties.day.addingTimeInterval(3600)
        let shipped = try EPCISEvent.decode(payload: try coop.ship(amounts: [.init(lot: lot, quantity: 100)], to: exporter, time: later).payload)
        #expect(shipped.quantityList?.first?.uom == "LTR")
        let made = try EPCISEvent.decode(payload: try coop.transform(inputs: [.init(lot: lot, quantity: 200)],
                                                                       outputs: [.init(lot: DigitalLink.lot(blend, lot: "B-1").uri, quantity: 190)],
                                                                       time: later.addingTimeInterval(60)).payload)
        #expect(made.inputQuantityList?.first?.uom == "LTR" && made.outputQuantityList?.first?.uom == "LTR")
        // Honey stays in kilograms, and a unit given is taken as given.
        let honey = try EPCISEvent.decode(payload: try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 1)], to: exporter, time: later).payload)
        #expect(honey.quantityList?.first?.uom == "KGM")
        #expect(throws: TraceError.self) { try coop.ship(amounts: [.init(lot: lot, quantity: 1, unit: "KGM")], to: exporter, time: later) }
        #expect(try Stock.of(coop.workspace).lots.first { $0.lot == lot }.map { ($0.quantity, $0.unit) } ?? (0, nil) == (200, "LTR"))
    }
}
