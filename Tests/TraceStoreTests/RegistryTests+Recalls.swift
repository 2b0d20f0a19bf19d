import AgriTrace
import Foundation
import GRDB
import Testing
import TestSupport
import TraceCrypto
@testable import TraceStore

/// Recalls: who may recall a lot, and how far a recall reaches.
extension RegistryTests {
    @Test("a recall travels with the lot: the partner's shipment of it is noted, and the buyer's verifier refuses the lot with the reason")
    func recallTravelsWithTheLot() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let exporter = try Parties.shippedAndReceived(500, from: coop, to: .exporter)
        #expect { try coop.recall(lot: Parties.lot, reason: " ") } throws: { ($0 as? TraceError)?.code == "argument.invalid" }
        #expect { try coop.recall(lot: Parties.lot + "X", reason: "HMF") } throws: { ($0 as? TraceError)?.code == "lot.unknown" }
        try coop.recall(lot: Parties.lot, reason: "HMF 52 mg/kg in a retained sample", time: Parties.day.addingTimeInterval(180))
        // The exporter imports the recall; shipping the lot on is noted.
        let file = try temporaryDirectory().appendingPathComponent("recall.provenance.json")
        try coop.workspace.exportBundle(subject: Parties.lot).write(to: file)
        #expect(try exporter.workspace.importBundle(at: file).added == 1)
        let onward = try exporter.ship(amounts: [.init(lot: Parties.lot, quantity: 100)], to: try GLN(SampleActor.importerSingapore.gln),
                                       time: Parties.day.addingTimeInterval(240))
        #expect(try exporter.notes(for: onward) == ["\(Parties.lot) was recalled by \(SampleActor.honeyCoop.organization) on 2026-04-12 "
                                                    + "(HMF 52 mg/kg in a retained sample): every buyer's verifier refuses it (lot.recalled); "
                                                    + "send it only back to whoever recalled it"])
        let report = BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: Parties.day.addingTimeInterval(3600)))
            .verify(data: try exporter.workspace.exportBundle(subject: Parties.lot).jsonData())
        #expect(report.findings.contains { $0.code == "lot.recalled" && $0.message.hasSuffix("on 2026-04-12: HMF 52 mg/kg in a retained sample") },
                "\(report.findings)")
        #expect(try exporter.workspace.check().findings.isEmpty)
        // The regulator's spreadsheet has the recall and its reason.
        #expect(try EventReport.csv(workspace: coop.workspace, from: nil, to: nil).contains(",recalled,HMF 52 mg/kg in a retained sample,,,,\r\n"))
    }

    @Test("only a party that made, moved, held or examined a lot may recall it: an importer that received it on a pallet can, a party that only saw its bundle cannot; the buyer's verifier counts the importer's")
    func recallNeedsCustody() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let exporter = try Parties.shippedAndReceived(600, from: coop, to: .exporter)
        let sscc = try SSCC("089360001000000018")
        try exporter.pack(into: sscc, contents: [.init(lot: Parties.lot, quantity: 600)], time: Parties.day.addingTimeInterval(180))
        let importer = SampleActor.importerSingapore
        let shipped = try exporter.ship(units: [sscc], to: try GLN(importer.gln), time: Parties.day.addingTimeInterval(240))
        let buyer = try Parties.handedOver(from: exporter, to: importer)
        try buyer.receive(units: [sscc], from: try GLN(SampleActor.exporter.gln), time: Parties.day.addingTimeInterval(300))
        // A second importer that only imported the bundle never held the lot: its recall would not count, so it is refused.
        let bystander = try Parties.handedOver(from: exporter, to: .importerBangkok)
        let stored = try bystander.workspace.check().records.count
        #expect { try bystander.recall(lot: Parties.lot, reason: "rumour", time: Parties.day.addingTimeInterval(360)) } throws: {
            ($0 as? TraceError)?.code == "recall.unfounded"
        }
        #expect(try bystander.workspace.check().records.count == stored)  // nothing written
        // Signed outside a registry all the same and slipped to the exporter in a bundle: imported, and said not to count.
        let bangkok = try Parties.pki.signer(.importerBangkok)
        let latest = try #require(try exporter.workspace.registry.transaction { try $0.latestRecord(touching: Parties.lot) })
        var slipped = try exporter.workspace.exportBundle(subject: Parties.lot)
        slipped.records.append(try bangkok.sign(EventFactory.recall(lot: Parties.lot, previous: latest, at: EPCISTime(date: Parties.day.addingTimeInterval(330)),
                                                                    location: try GLN(SampleActor.importerBangkok.gln), reason: "rumour")))
        slipped.certificates.append(bangkok.certificate.derRepresentation)
        let file = try temporaryDirectory().appendingPathComponent("slipped.provenance.json")
        try slipped.write(to: file)
        #expect(try exporter.workspace.importBundle(at: file).added == 1)
        let notes = try exporter.notes(for: shipped)
        #expect(notes.contains { $0.contains("who has no other record of it here") && $0.contains("(lot.recallUnfounded)") }, "\(notes)")
        let noted = BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: Parties.day.addingTimeInterval(3600)))
            .verify(data: try exporter.workspace.exportBundle(subject: Parties.lot).jsonData())
        #expect(noted.findings.first { $0.code == "lot.recallUnfounded" }?.severity == .warning && !noted.codes.contains("lot.recalled"), "\(noted.codes)")
        // The importer received the pallet, not the lot by name: it held the lot all the same.
        let recall = try buyer.recall(lot: Parties.lot, reason: "HMF 52 mg/kg", time: Parties.day.addingTimeInterval(360))
        let report = BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: Parties.day.addingTimeInterval(3600)))
            .verify(data: try buyer.workspace.exportBundle(subject: Parties.lot).jsonData())
        #expect(report.codes.contains("lot.recalled") && !report.codes.contains("lot.recallUnfounded"), "\(report.codes)")
        #expect(try buyer.workspace.check().findings.isEmpty && !recall.digest.isEmpty)
    }

    @Test("an input recalled after it was blended recalls the blend; a lot only shipped beside it does not")
    func recallReachesBlendsNotNeighbours() throws {
        let coop = try Parties.cooperativeWithHarvest(category: "other")
        try coop.harvest(gtin: Parties.honey, lot: "MV-2", quantity: 300, plots: ["P1"], harvestDate: "2026-04-10", time: Parties.day)
        let neighbour = DigitalLink.lot(Parties.honey, lot: "MV-2").uri, blend = DigitalLink.lot(Parties.honey, lot: "MV-B").uri
        try coop.transform(inputs: [.init(lot: Parties.lot, quantity: 200)], outputs: [.init(lot: blend, quantity: 195)], time: Parties.day.addingTimeInterval(60))
        try coop.ship(amounts: [.init(lot: blend, quantity: 100), .init(lot: neighbour, quantity: 50)], to: try GLN(SampleActor.exporter.gln),
                      time: Parties.day.addingTimeInterval(120))
        let verifier = BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: Parties.day.addingTimeInterval(3600)))
        func recalls(_ lot: String) throws -> [String] {
            verifier.verify(data: try coop.workspace.exportBundle(subject: lot).jsonData()).findings.filter { $0.code == "lot.recalled" }.map(\.message)
        }
        #expect(try recalls(blend).isEmpty)
        // The harvest blended in is recalled after the blend was made and shipped: the blend's bundle carries the recall.
        let recall = try coop.recall(lot: Parties.lot, reason: "HMF 52 mg/kg", time: Parties.day.addingTimeInterval(180))
        #expect(try coop.workspace.exportBundle(subject: blend).records.contains { $0.digest == recall.digest })
        let blendRecalls = try recalls(blend)
        #expect(blendRecalls.count == 1 && blendRecalls.first?.contains("recalled \(Parties.lot) on") == true, "\(blendRecalls)")
        // The lot shipped beside the blend, recalled, is refused on its own and not in the blend.
        try coop.recall(lot: neighbour, reason: "label error", time: Parties.day.addingTimeInterval(240))
        #expect(try recalls(neighbour).count == 1)
        let stillOne = try recalls(blend)
        #expect(stillOne.count == 1 && stillOne.allSatisfy { !$0.contains(neighbour) }, "\(stillOne)")
        #expect(try Stock.of(coop.workspace).lots.first { $0.lot == blend }?.refusedFor == ["lot.recalled"])
        // A pallet of the blend is refused too, and said so.
        try coop.pack(into: try SSCC("089360001000000018"), contents: [.init(lot: blend, quantity: 20)], time: Parties.day.addingTimeInterval(260))
        let stock = try Stock.of(coop.workspace)
        #expect(stock.units.first?.refusedFor == ["lot.recalled"] && stock.text().contains("SSCC 089360001000000018  20 kg of \(blend)  — buyers refuse it (lot.recalled)"),
                "\(stock.text())")
        // Shipping more of the blend, the cooperative hears of the recall of what went into it.
        let more = try coop.ship(amounts: [.init(lot: blend, quantity: 10)], to: try GLN(SampleActor.exporter.gln), time: Parties.day.addingTimeInterval(300))
        let notes = try coop.notes(for: more)
        #expect(notes.contains { $0.hasPrefix("\(Parties.lot) was recalled by") }, "\(notes)")
    }

    @Test("a producer's recall of a lot a processor has blended reaches the blend's bundle once the processor imports it")
    func recallReachesAPartnersBlend() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let processor = try Parties.shippedAndReceived(300, from: coop, to: .processor)
        let blend = DigitalLink.lot(Parties.honey, lot: "HAP-B1").uri
        try processor.transform(inputs: [.init(lot: Parties.lot, quantity: 300)], outputs: [.init(lot: blend, quantity: 290)], time: Parties.day.addingTimeInterval(180))
        // The cooperative recalls its harvest; its recall links to its own last record of the lot, the shipment.
        try coop.recall(lot: Parties.lot, reason: "HMF 52 mg/kg", time: Parties.day.addingTimeInterval(240))
        let file = try temporaryDirectory().appendingPathComponent("recall.provenance.json")
        try coop.workspace.exportBundle(subject: Parties.lot).write(to: file)
        #expect(try processor.workspace.importBundle(at: file).added == 1)
        let report = BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: Parties.day.addingTimeInterval(3600)))
            .verify(data: try processor.workspace.exportBundle(subject: blend).jsonData())
        #expect(report.findings.contains { $0.code == "lot.recalled" && $0.message.contains("recalled \(Parties.lot) on") }, "\(report.findings)")
        #expect(!report.codes.contains { $0.hasPrefix("link.") || $0.hasPrefix("history.") }, "\(report.findings)")
    }
}
