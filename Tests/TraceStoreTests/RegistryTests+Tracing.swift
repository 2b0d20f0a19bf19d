import AgriTrace
import Foundation
import GRDB
import Testing
import TestSupport
import TraceCrypto
@testable import TraceStore

/// Tracing back and forward, and how a trace reads.
extension RegistryTests {
    @Test("trace back reaches the harvest; trace forward lists every shipment")
    func tracing() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let exporter = try GLN(SampleActor.exporter.gln), importer = try GLN(SampleActor.importerSingapore.gln)
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 100)], to: exporter, time: Parties.day.addingTimeInterval(60))
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 200)], to: importer, time: Parties.day.addingTimeInterval(120))
        let tracer = Tracer(registry: coop.workspace.registry)
        let forward = try tracer.forward(Parties.lot)
        // A recall list says how much went to whom: by GLN here, the coop holding neither partner's certificate.
        #expect(forward.filter { $0.step == "shipping" }.compactMap(\.detail).sorted() == ["100 kg to GLN \(exporter)", "200 kg to GLN \(importer)"])
        #expect(forward.filter { $0.step == "shipping" }.compactMap(\.quantity).sorted() == ["100 kg", "200 kg"])
        #expect(Set(forward.compactMap(\.destinationGLN)) == [exporter.description, importer.description])
        #expect(forward.allSatisfy { $0.signer == SampleActor.honeyCoop.organization }, "\(forward.map(\.signer))")
        let back = try tracer.back(Parties.lot)
        #expect(back.contains { $0.step == "commissioning" && $0.detail?.contains("Lũng Pù") == true })
        #expect(throws: TraceError.self) { try tracer.back(Parties.lot + "x") }
    }

    @Test("a recall list names the lot a transformation made from the traced one, and that lot on every step after it")
    func traceNamesLotsMade() throws {
        let coop = try Parties.cooperativeWithHarvest(category: "other")
        let exporter = try GLN(SampleActor.exporter.gln), blend = DigitalLink.lot(try GTIN("08936000120016"), lot: "MV-1-B").uri
        try coop.transform(inputs: [.init(lot: Parties.lot, quantity: 300)], outputs: [.init(lot: blend, quantity: 290)],
                           time: Parties.day.addingTimeInterval(60))
        try coop.ship(amounts: [.init(lot: blend, quantity: 100)], to: exporter, time: Parties.day.addingTimeInterval(120))
        let forward = try Tracer(registry: coop.workspace.registry).forward(Parties.lot)
        let lines = Tracer.tree(forward, forward: true)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines[0].contains("— 1200 kg; harvested 2026-04-10; plots: "), "\(lines)")  // the traced lot itself: the heading names it
        #expect(lines[1].hasSuffix("— 300 kg of lot MV-1 into 290 kg of lot MV-1-B"), "\(lines)")
        #expect(lines[2].hasSuffix("— 100 kg of lot MV-1-B to GLN \(exporter)"), "\(lines)")
        // Machines get the lots as data (trace --json), as the buyer's report gives them.
        let made = try #require(forward.first { $0.step == "transforming" })
        #expect(made.inputLots == [QuantityElement(epcClass: Parties.lot, quantity: 300, uom: "KGM")]
                && made.lots == [QuantityElement(epcClass: blend, quantity: 290, uom: "KGM")] && made.units == nil)
        // Whom a recall must reach: the exporter, with what it was sent.
        let recipients = Tracer.recipients(forward, except: SampleActor.honeyCoop.gln)
        #expect(recipients.map(\.gln) == [exporter.description] && recipients.first?.sent == ["100 kg of lot MV-1-B"], "\(recipients)")
        // Traced from the blend, its own steps need no name and the harvest names its lot.
        let back = Tracer.tree(try Tracer(registry: coop.workspace.registry).back(blend), forward: false)
        #expect(back.first?.hasSuffix("— 100 kg to GLN \(exporter)") == true && back.last?.contains("— 1200 kg of lot MV-1; harvested 2026-04-10; plots:") == true, "\(back)")
    }

    @Test("a step taking two lots from one record shows that record once, back and forward")
    func traceShowsSharedPredecessorOnce() throws {
        let coop = try Parties.cooperativeWithHarvest(category: "other")
        let gtin = try GTIN("08936000120016")
        let halves = [DigitalLink.lot(gtin, lot: "MV-1-A").uri, DigitalLink.lot(gtin, lot: "MV-1-B").uri]
        try coop.transform(inputs: [.init(lot: Parties.lot, quantity: 1200)], outputs: halves.map { .init(lot: $0, quantity: 600) },
                           time: Parties.day.addingTimeInterval(60))
        let pallet = try SSCC("089360001000000018")
        try coop.pack(into: pallet, contents: halves.map { .init(lot: $0, quantity: 600) }, time: Parties.day.addingTimeInterval(120))  // two links to the transformation
        let tracer = Tracer(registry: coop.workspace.registry)
        let back = try tracer.back(DigitalLink.logisticUnit(pallet).uri)
        #expect(back.first { $0.step == "packing" }?.next.count == 1)
        let backLines = Tracer.tree(back, forward: false)
        #expect(backLines.count == 3 && !backLines.joined().contains("shown above"), "\(backLines)")
        let forwardLines = Tracer.tree(try tracer.forward(Parties.lot), forward: true)
        #expect(forwardLines.count == 3 && !forwardLines.joined().contains("shown above"), "\(forwardLines)")
    }

    /// A step's detail in a trace of `subject` (by default the lot the step concerns).
    private func traceDetail(_ event: EPCISEvent, names: [String: String] = [:], subject: String? = Parties.lot) -> String? {
        let (consumed, lots) = event.lotAmounts
        return Tracer.detail(event, subject: subject, names: names, lots: LotNames((consumed + lots).map(\.epcClass)))
    }

    @Test("a step's detail in a trace says only what the record holds: no empty brackets")
    func traceDetails() throws {
        let time = EPCISTime(date: Parties.day), coop = try GLN(SampleActor.honeyCoop.gln)
        let bare = EventFactory.harvest(lot: Parties.lot, quantity: 1, uom: "KGM", at: time, location: coop, harvestDate: "2026-04-10", plots: [])
        #expect(traceDetail(bare) == "1 kg; harvested 2026-04-10")
        let certified = EventFactory.harvest(lot: Parties.lot, quantity: 1, uom: "KGM", at: time, location: coop, harvestDate: "2026-04-10",
                                             plots: [], organicCertificate: "VC-ORG-1")
        #expect(traceDetail(certified) == "1 kg; harvested 2026-04-10; organic VC-ORG-1")
        var inspection = EventFactory.inspection(lot: Parties.lot, previous: "sha256:" + String(repeating: "0", count: 64), at: time,
                                                 location: coop, conformant: true)
        inspection.disposition = nil
        #expect(traceDetail(inspection) == nil)
        // A laboratory's finding says what it measured, in the units people read, as the buyer's journey does.
        let test = EventFactory.inspection(lot: Parties.lot, previous: "sha256:" + String(repeating: "0", count: 64), at: time, location: coop,
                                           conformant: false, measurements: [Measurement("moisture", 21.5, "P1"), Measurement("HMF", 48, "mg/kg")])
        #expect(traceDetail(test) == "non-conformant (moisture 21.5 %, HMF 48 mg/kg)")
    }

    @Test("a trace says a shipment, a receipt and a packing as the buyer's journey does: how much, into what, to or from whom by name")
    func traceMovements() throws {
        let time = EPCISTime(date: Parties.day), previous = [InputLink(record: "sha256:" + String(repeating: "0", count: 64), lot: Parties.lot)]
        let coop = try GLN(SampleActor.honeyCoop.gln), exporter = try GLN(SampleActor.exporter.gln)
        let names = [coop.description: "Meo Vac Coop", exporter.description: "Plateau Export"]
        let amount = [QuantityElement(epcClass: Parties.lot, quantity: 1200, uom: "KGM")]
        let shipment = EventFactory.ship(quantities: amount, previous: previous, at: time, from: coop, to: exporter)
        #expect(traceDetail(shipment, names: names) == "1200 kg to Plateau Export")
        #expect(traceDetail(shipment) == "1200 kg to GLN \(exporter)")  // a party without a certificate in the registry
        let receipt = EventFactory.receive(quantities: amount, previous: previous, at: time, from: coop, at: exporter)
        #expect(traceDetail(receipt, names: names) == "1200 kg from Meo Vac Coop")
        let sscc = try SSCC("089360001000000018")
        let packing = EventFactory.pack(into: sscc, contents: [(Parties.lot, 600, "KGM", previous[0].record)], at: time, location: exporter)
        #expect(traceDetail(packing, names: names) == "600 kg into SSCC 089360001000000018")
        let pallet = EventFactory.ship(units: [DigitalLink.logisticUnit(sscc).uri], previous: previous, at: time, from: exporter, to: coop)
        #expect(traceDetail(pallet, names: names) == "1 logistic unit (SSCC 089360001000000018) to Meo Vac Coop")
    }

    @Test("a trace prints as a tree: a shared input once, then named; a history 100,000 deep neither overflows nor grows its lines")
    func traceTree() {
        func step(_ name: String, _ day: Int, depth: Int, next: [String]) -> Tracer.Step {
            Tracer.Step(digest: name, time: "2026-04-\(10 + day)T00:00:00.000+07:00", step: "shipping", identifiers: [], signerKeyid: "k",
                        signer: "Coop", detail: nil, depth: depth, next: next)
        }
        // A blend of two lots that share one harvest: the harvest shows once under the first path, then is named.
        let diamond = [step("blend", 4, depth: 0, next: ["a", "b"]), step("a", 2, depth: 1, next: ["h"]), step("b", 3, depth: 1, next: ["h"]),
                       step("h", 1, depth: 2, next: [])]
        let lines = Tracer.tree(diamond, forward: false)
        #expect(lines == ["← 2026-04-14 shipping by Coop", "  ← 2026-04-12 shipping by Coop", "    ← 2026-04-11 shipping by Coop",
                          "  ← 2026-04-13 shipping by Coop", "    ← 2026-04-11 shipping (shown above: h…)"])
        let deep = (0..<100_000).map { step("s\($0)", 1, depth: $0, next: $0 < 99_999 ? ["s\($0 + 1)"] : []) }
        let deepLines = Tracer.tree(deep, forward: true)
        #expect(deepLines.count == 100_000)
        #expect(deepLines.allSatisfy { $0.utf8.count < 140 })
        #expect(deepLines.last?.contains("[99999] →") == true)
    }

    @Test("tracing a lot back leads to its own farm, not to that of a lot packed beside it; the pallet's trace leads to both")
    func traceBackFollowsTheGoods() throws {
        let coop = try Parties.cooperativeWithHarvest()
        try coop.harvest(gtin: Parties.honey, lot: "MV-2", quantity: 50, plots: ["P1"], harvestDate: "2026-04-10", time: Parties.day.addingTimeInterval(30))
        let other = DigitalLink.lot(Parties.honey, lot: "MV-2").uri, unit = try SSCC("089360001000000018")
        try coop.pack(into: unit, contents: [.init(lot: Parties.lot, quantity: 100), .init(lot: other, quantity: 50)], time: Parties.day.addingTimeInterval(60))
        let tracer = Tracer(registry: coop.workspace.registry)
        let back = try tracer.back(other)
        #expect(back.count == 2 && back.first { $0.step == "commissioning" }?.lots?.map(\.epcClass) == [other], "\(Tracer.tree(back, forward: false))")
        #expect(try tracer.back(DigitalLink.logisticUnit(unit).uri).filter { $0.step == "commissioning" }.count == 2)
    }
}
