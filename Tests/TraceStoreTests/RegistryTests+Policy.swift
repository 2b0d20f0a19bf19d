import AgriTrace
import Foundation
import GRDB
import Testing
import TestSupport
import TraceCrypto
@testable import TraceStore

/// What the product policies and the organic rules ask of each record as it is registered.
extension RegistryTests {
    @Test("a step the product's built-in policy gives to another role is refused, as buyers would refuse it: honey is blended by a processor")
    func productPolicyRoles() throws {
        let coop = try Parties.cooperativeWithHarvest()  // honey
        let blend = DigitalLink.lot(Parties.honey, lot: "MV-B").uri, before = try coop.workspace.registry.count()
        #expect { try coop.transform(inputs: [.init(lot: Parties.lot, quantity: 100)], outputs: [.init(lot: blend, quantity: 95)]) } throws: { error in
            let error = error as? TraceError
            return error?.code == "role.notAllowed" && error?.message.contains("a record of step transforming under the honey policy buyers apply needs one of processor") == true
        }
        #expect(try coop.workspace.registry.count() == before)
        // What the registry lets through, the buyer's verifier under that policy accepts: the cooperative ships its honey.
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 100)], to: try GLN(SampleActor.exporter.gln), time: Parties.day.addingTimeInterval(60))
        // A product of no built-in policy follows the general table, where producers may blend.
        let other = try Parties.cooperativeWithHarvest(category: "other")
        try other.transform(inputs: [.init(lot: Parties.lot, quantity: 100)], outputs: [.init(lot: blend, quantity: 95)], time: Parties.day.addingTimeInterval(60))
    }

    @Test("a processor's blend yields what the product's built-in policy allows, or is refused: honey loses at most 5 %")
    func productPolicyYield() throws {
        let coop = try Parties.cooperativeWithHarvest(), processorGLN = try GLN(SampleActor.processor.gln)
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 500)], to: processorGLN, time: Parties.day.addingTimeInterval(60))
        let processor = try Parties.handedOver(from: coop, to: .processor)  // the honey's category comes from its harvest record
        let later = Parties.day.addingTimeInterval(3600), blend = DigitalLink.lot(Parties.honey, lot: "MV-B").uri
        try processor.receive(amounts: [.init(lot: Parties.lot, quantity: 500)], from: try GLN(SampleActor.honeyCoop.gln), time: later)
        #expect { try processor.transform(inputs: [.init(lot: Parties.lot, quantity: 500)], outputs: [.init(lot: blend, quantity: 450)],
                                          time: later.addingTimeInterval(60)) } throws: { error in
            let error = error as? TraceError
            return error?.code == "quantity.yield" && error?.message.contains("a yield of 0.900; allowed 0.95…1 under the honey policy buyers apply") == true
        }
        try processor.transform(inputs: [.init(lot: Parties.lot, quantity: 500)], outputs: [.init(lot: blend, quantity: 480)], time: later.addingTimeInterval(60))
        // What it let through, a buyer's verifier under the honey policy accepts (a hand-over: the journey is not over).
        let verifier = BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: Parties.day.addingTimeInterval(86_400)),
                                      checks: BundleVerifier.handOverChecks)
        let report = verifier.verify(data: try processor.workspace.exportBundle(subject: blend).jsonData())
        #expect(report.policy == "honey" && report.findings.isEmpty && report.level == .trusted, "\(report.findings)")
    }

    @Test("a transformation into a product this party registered carries its names: partners' reports and buyers are told what the blend is, its inputs keep theirs")
    func transformationNamesItsProduct() throws {
        let coop = try Parties.cooperativeWithHarvest(), processorGLN = try GLN(SampleActor.processor.gln)
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 500)], to: processorGLN, time: Parties.day.addingTimeInterval(60))
        let processor = try Parties.handedOver(from: coop, to: .processor)
        let later = Parties.day.addingTimeInterval(3600), product = try GTIN("08936000120078")
        let blend = DigitalLink.lot(product, lot: "MV-B").uri, unnamed = DigitalLink.lot(Parties.honey, lot: "MV-C").uri
        try processor.receive(amounts: [.init(lot: Parties.lot, quantity: 500)], from: try GLN(SampleActor.honeyCoop.gln), time: later)
        try processor.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: product, nameVi: "Mật ong rừng pha", nameEn: "Forest honey blend", nameZh: "森林混合蜂蜜", category: "honey", unit: "KGM"))
        }
        let made = try EPCISEvent.decode(payload: try processor.transform(inputs: [.init(lot: Parties.lot, quantity: 300)], outputs: [.init(lot: blend, quantity: 290)],
                                                                          time: later.addingTimeInterval(60)).payload)
        #expect(made.names(ofProduct: product.value) == ["vi": "Mật ong rừng pha", "en": "Forest honey blend", "zh": "森林混合蜂蜜"])
        // Into a product registered here only by a partner's harvest: no names of its own to give.
        let other = try EPCISEvent.decode(payload: try processor.transform(inputs: [.init(lot: Parties.lot, quantity: 100)], outputs: [.init(lot: unnamed, quantity: 98)],
                                                                           time: later.addingTimeInterval(90)).payload)
        #expect(other.names(ofProduct: Parties.honey.value).isEmpty)
        // Two products at once, cuts of one lot: the record names the one registered here, and the other is said to go unnamed.
        let pair = try processor.transform(inputs: [.init(lot: Parties.lot, quantity: 50)],
                                           outputs: [.init(lot: DigitalLink.lot(product, lot: "MV-D").uri, quantity: 24),
                                                     .init(lot: DigitalLink.lot(try GTIN("08936000120092"), lot: "MV-E").uri, quantity: 24)],
                                           time: later.addingTimeInterval(100))
        let cut = try EPCISEvent.decode(payload: pair.payload)
        #expect(cut.names(ofProduct: product.value)["en"] == "Forest honey blend" && cut.names(ofProduct: "08936000120092").isEmpty)
        #expect(try processor.notes(for: pair) == ["product 08936000120092 is not registered here, so the record does not name it: buyers' reports and "
                                                   + "partners' labels will not say what the goods are ('agritrace product add' before the next transformation into it)"])
        let buyer = BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: later.addingTimeInterval(86_400)),
                                   checks: BundleVerifier.handOverChecks)
        for (lot, name) in [("MV-D", "Forest honey blend"), ("MV-E", nil)] as [(String, String?)] {
            let subject = DigitalLink.lot(lot == "MV-D" ? product : try GTIN("08936000120092"), lot: lot).uri
            let report = buyer.verify(data: try processor.workspace.exportBundle(subject: subject).jsonData())
            #expect(report.product?["en"] == name && report.harvestedFrom?.map { $0["en"] } == ["Honey"], "\(lot): \(report.journeyText())")
        }
        try processor.ship(amounts: [.init(lot: blend, quantity: 290)], to: try GLN(SampleActor.exporter.gln), time: later.addingTimeInterval(120))
        let exporter = try Parties.handedOver(from: processor, to: .exporter, subject: blend)
        // The exporter registered neither product: the blend is named by the processor's record, the honey by its harvest.
        let rows = try EventReport.csv(workspace: exporter.workspace, from: nil, to: nil).components(separatedBy: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let transforming = rows.filter { $0.count > 5 && $0[2] == "transforming" && $0[3] != unnamed }
        #expect(transforming.map { [$0[4], $0[5]] } == [["input", "Honey"], ["output", "Forest honey blend"]], "\(transforming)")
        #expect(rows.filter { $0.count > 5 && $0[2] == "shipping" && $0[3] == blend }.map { $0[5] } == ["Forest honey blend"])  // found by its maker's record
        let report = BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: later.addingTimeInterval(86_400)),
                                    checks: BundleVerifier.handOverChecks).verify(data: try exporter.workspace.exportBundle(subject: blend).jsonData())
        #expect(report.product?["en"] == "Forest honey blend" && report.harvestedFrom?.map { $0["en"] } == ["Honey"], "\(report.journeyText())")
    }

    @Test("goods made from honey under a product no one here registered are held to the honey policy, as buyers hold them: a laboratory is told of a value over its limit")
    func madeGoodsKeepTheirPolicy() throws {
        let coop = try Parties.cooperativeWithHarvest()
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 500)], to: try GLN(SampleActor.processor.gln), time: Parties.day.addingTimeInterval(60))
        let processor = try Parties.handedOver(from: coop, to: .processor)
        let later = Parties.day.addingTimeInterval(3600), blend = DigitalLink.lot(try GTIN("08936000120078"), lot: "MV-B").uri
        try processor.receive(amounts: [.init(lot: Parties.lot, quantity: 500)], from: try GLN(SampleActor.honeyCoop.gln), time: later)
        let made = try processor.transform(inputs: [.init(lot: Parties.lot, quantity: 300)], outputs: [.init(lot: blend, quantity: 290)], time: later.addingTimeInterval(60))
        // Nothing names the blend's product: the processor hears so, as buyers would see it.
        #expect(try processor.notes(for: made) == ["product 08936000120078 is not registered here, so the record does not name it: buyers' reports and "
                                                   + "partners' labels will not say what the goods are ('agritrace product add' before the next transformation into it)"])
        let lab = try Parties.handedOver(from: processor, to: .laboratory, subject: blend)
        let wet = try lab.inspect(lot: blend, conformant: true, measurements: [Measurement("moisture", 21.5, "P1"), Measurement("HMF", 12, "mg/kg")],
                                  time: later.addingTimeInterval(120))
        #expect(try lab.notes(for: wet) == ["moisture 21.5 %, above the limit of 20 % (the honey policy buyers apply)"])
    }

    @Test("a blend claims organic only from organic lots, as buyers check: a conventional input is refused, nothing written")
    func organicBlendInputs() throws {
        let coop = try Parties.cooperativeWithHarvest(category: "other")  // MV-1 claims no certificate
        try coop.workspace.registry.transaction { tx in
            try tx.addHeldCertificate(try HeldCertificate(number: "VC-ORG-1", body: "VietCert", validFrom: "2026-01-01", validUntil: "2027-12-31"))
        }
        try coop.harvest(gtin: Parties.honey, lot: "MV-2", quantity: 300, plots: ["P1"], harvestDate: "2026-04-10", organicCertificate: "VC-ORG-1",
                         time: Parties.day)
        let organic = DigitalLink.lot(Parties.honey, lot: "MV-2").uri, blend = DigitalLink.lot(Parties.honey, lot: "MV-B").uri
        let later = Parties.day.addingTimeInterval(60), before = try coop.workspace.registry.count()
        #expect { try coop.transform(inputs: [.init(lot: organic, quantity: 100), .init(lot: Parties.lot, quantity: 100)],
                                     outputs: [.init(lot: blend, quantity: 190)], organicCertificate: "VC-ORG-1", time: later) } throws: { error in
            let error = error as? TraceError
            return error?.code == "organic.brokenChain" && error?.message.contains("input \(Parties.lot) comes from record sha256:") == true
        }
        #expect(try coop.workspace.registry.count() == before)
        try coop.transform(inputs: [.init(lot: organic, quantity: 100), .init(lot: Parties.lot, quantity: 100)], outputs: [.init(lot: blend, quantity: 190)], time: later)
        let organicBlend = DigitalLink.lot(Parties.honey, lot: "MV-OB").uri
        try coop.transform(inputs: [.init(lot: organic, quantity: 100)], outputs: [.init(lot: organicBlend, quantity: 95)], organicCertificate: "VC-ORG-1",
                           time: later.addingTimeInterval(60))
        // An organic blend's own blend may claim it too; a conventional blend's may not.
        let next = DigitalLink.lot(Parties.honey, lot: "MV-OB2").uri
        try coop.transform(inputs: [.init(lot: organicBlend, quantity: 50)], outputs: [.init(lot: next, quantity: 50)], organicCertificate: "VC-ORG-1",
                           time: later.addingTimeInterval(120))
        #expect(throws: TraceError.self) {
            try coop.transform(inputs: [.init(lot: blend, quantity: 50)], outputs: [.init(lot: DigitalLink.lot(Parties.honey, lot: "MV-X").uri, quantity: 50)],
                               organicCertificate: "VC-ORG-1", time: later.addingTimeInterval(180))
        }
    }

    @Test("a laboratory's result is recorded as found, its values outside the product policy's limits said at once; shipping a failed lot says so")
    func notesOnRecording() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let lab = try Parties.handedOver(from: coop, to: .laboratory)
        let wet = try lab.inspect(lot: Parties.lot, conformant: true, measurements: [Measurement("moisture", 21.5, "P1")], time: Parties.day.addingTimeInterval(60))
        #expect(try lab.notes(for: wet) == ["moisture 21.5 %, above the limit of 20 % (the honey policy buyers apply)",
                                            "no HMF is reported, which the policy limits (the honey policy buyers apply)"])
        let good = try lab.inspect(lot: Parties.lot, conformant: true, measurements: [Measurement("moisture", 17.8, "P1"), Measurement("HMF", 12.4, "mg/kg")],
                                   time: Parties.day.addingTimeInterval(120))
        #expect(try lab.notes(for: good).isEmpty)
        try lab.inspect(lot: Parties.lot, conformant: false, measurements: [Measurement("moisture", 21.5, "P1"), Measurement("HMF", 12, "mg/kg")],
                        time: Parties.day.addingTimeInterval(180))
        #expect(try lab.workspace.registry.count() == 4)  // all recorded: a laboratory records what it found
        // The cooperative that ships the lot the laboratory failed, loose or packed, hears it as it does.
        let file = try temporaryDirectory().appendingPathComponent("tested.provenance.json")
        try lab.workspace.exportBundle(subject: Parties.lot).write(to: file)
        _ = try coop.workspace.importBundle(at: file)
        let exporter = try GLN(SampleActor.exporter.gln), sscc = try SSCC("089360001000000018")
        let loose = try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 100)], to: exporter, time: Parties.day.addingTimeInterval(600))
        #expect(try coop.notes(for: loose) == ["\(Parties.lot) was found non-conformant (moisture 21.5 %, HMF 12 mg/kg) by Northern Food Testing Laboratory "
                                               + "on 2026-04-12: every buyer's verifier refuses it (lot.nonConformant) unless a later inspection by a party "
                                               + "of the same role finds it conformant"])
        try coop.pack(into: sscc, contents: [.init(lot: Parties.lot, quantity: 100)], time: Parties.day.addingTimeInterval(660))
        #expect(try coop.notes(for: try coop.ship(units: [sscc], to: exporter, time: Parties.day.addingTimeInterval(720))).count == 1)
        // And the exporter receiving the pallet hears it too.
        let receiver = try Parties.handedOver(from: coop, to: .exporter, subject: DigitalLink.logisticUnit(sscc).uri)
        let receipt = try receiver.receive(units: [sscc], from: try GLN(SampleActor.honeyCoop.gln), time: Parties.day.addingTimeInterval(780))
        #expect(try receiver.notes(for: receipt).first?.contains("was found non-conformant") == true)
    }

    @Test("a certifier's inspection attests the certificate's validity as registered; a harvest outside it is said at once and refused by buyers")
    func certifierAttestsValidity() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let early = "https://id.gs1.org/01/08936000120016/10/MV-2"
        try coop.harvest(gtin: Parties.honey, lot: "MV-2", quantity: 100, plots: ["P1"], harvestDate: "2026-04-10", organicCertificate: "VC-1",
                         time: Parties.day.addingTimeInterval(60))
        let unregistered = try Parties.handedOver(from: coop, to: .certifier, subject: early)
        let unstated = try unregistered.inspect(lot: early, conformant: true, certificate: "VC-1", time: Parties.day.addingTimeInterval(120))
        #expect(try EPCISEvent.decode(payload: unstated.payload).certificateValidity == nil)
        #expect(try unregistered.notes(for: unstated).first?.contains("the inspection states no validity") == true)
        let certifier = try Parties.handedOver(from: coop, to: .certifier, subject: early)
        try certifier.workspace.registry.transaction { try $0.addHeldCertificate(try HeldCertificate(number: "VC-1", body: "VietCert", validFrom: "2026-04-11", validUntil: "2027-04-10")) }
        let stated = try certifier.inspect(lot: early, conformant: true, certificate: "VC-1", time: Parties.day.addingTimeInterval(180))
        #expect(try EPCISEvent.decode(payload: stated.payload).certificateValidity == ["from": "2026-04-11", "until": "2027-04-10"])
        #expect(try certifier.notes(for: stated) == ["\(early) was harvested on 2026-04-10, outside certificate VC-1's validity (2026-04-11 to 2027-04-10): "
                                                     + "this inspection does not earn it the organic claim buyers check (organic.brokenChain)"])
        let report = BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: Parties.day.addingTimeInterval(3600)))
            .verify(data: try certifier.workspace.exportBundle(subject: early).jsonData())
        #expect(report.codes.contains("organic.brokenChain"), "\(report.findings)")
    }

    @Test("a harvest claiming organic on a plot that turned organic after the harvest date is refused; organic since is a day of the party's own calendar")
    func organicSinceOfPlots() throws {
        let coop = try Parties.cooperativeWithHarvest()
        try coop.workspace.registry.transaction { tx in
            try tx.addPlot(try StoredPlot(id: "P2", name: "Sủng Là", geometryJSON: #"{"type":"Point","coordinates":[105.30,23.22]}"#, organicSince: "2026-04-11"))
        }
        let before = try coop.workspace.registry.count()
        #expect { try coop.harvest(gtin: Parties.honey, lot: "MV-3", quantity: 10, plots: ["P1", "P2"], harvestDate: "2026-04-10", organicCertificate: "VC-1",
                                   time: Parties.day.addingTimeInterval(60)) } throws: {
            ($0 as? TraceError)?.code == "organic.plotNotOrganic" && "\($0)".contains("plot P2 is organic since 2026-04-11, after the harvest date 2026-04-10")
        }
        #expect(try coop.workspace.registry.count() == before)
        // Without the claim, or harvested once the plot is organic, it is recorded.
        try coop.harvest(gtin: Parties.honey, lot: "MV-3", quantity: 10, plots: ["P2"], harvestDate: "2026-04-10", time: Parties.day.addingTimeInterval(60))
        try coop.harvest(gtin: Parties.honey, lot: "MV-4", quantity: 10, plots: ["P2"], harvestDate: "2026-04-11", organicCertificate: "VC-1",
                         time: Parties.day.addingTimeInterval(120))
        // Today, in Vietnam, may still be yesterday in UTC: a plot organic since today is no day to come.
        let point = #"{"type":"Point","coordinates":[105.30,23.22]}"#
        #expect(throws: Never.self) { try StoredPlot(id: "P3", name: "x", geometryJSON: point, organicSince: "2026-04-12", today: "2026-04-12") }
        #expect(throws: TraceError.self) { try StoredPlot(id: "P3", name: "x", geometryJSON: point, organicSince: "2026-04-13", today: "2026-04-12") }
    }
}
