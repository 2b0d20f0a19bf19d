import AgriTrace
import Foundation
import GRDB
import Testing
import TestSupport
import TraceCrypto
@testable import TraceStore

/// A sample PKI and helpers to make party workspaces.
enum Parties {
    static let pki: SamplePKI = {
        do { return try SamplePKI.generate() } catch { fatalError("sample PKI: \(error)") }
    }()
    static let honey = try! GTIN("08936000120016")  // a literal with a valid check digit
    static let lot = "https://id.gs1.org/01/08936000120016/10/MV-1"
    static let day = Date(timeIntervalSince1970: 1_776_000_000)  // 2026-04-12

    /// A party's workspace with its identity and its authority's CRL installed (`revocationList: false`: without the CRL).
    static func workspace(_ actor: SampleActor, revocationList: Bool = true) throws -> EventRecorder {
        let directory = try temporaryDirectory().appendingPathComponent("ws")
        let workspace = try Workspace.create(at: directory, config: .init(organization: actor.organization, gln: try GLN(actor.gln)),
                                             trustAnchors: [pki.root.certificate])
        let signer = try pki.signer(actor)
        try workspace.installIdentity(chain: [signer.certificate] + signer.chain, key: signer.key, passphrase: nil)
        if revocationList { try workspace.addRevocationList(pki.crl) }
        var recorder = EventRecorder(workspace: workspace, signer: try workspace.signer(passphrase: nil))
        recorder.now = { Date(timeIntervalSince1970: 1_780_000_000) }  // 2026-05-28
        return recorder
    }

    /// A workspace of `actor` that has imported `from`'s bundle of `subject`, as a partner receives it.
    static func handedOver(from: EventRecorder, to actor: SampleActor, subject: String = lot) throws -> EventRecorder {
        let file = try temporaryDirectory().appendingPathComponent("handed-over.provenance.json")
        try from.workspace.exportBundle(subject: subject).write(to: file)
        let partner = try workspace(actor)
        _ = try partner.workspace.importBundle(at: file)
        return partner
    }

    /// `actor`'s workspace once `coop` has shipped it `quantity` of the lot, and it has imported
    /// the bundle and received the shipment (a minute, then two, after the harvest).
    static func shippedAndReceived(_ quantity: Decimal, from coop: EventRecorder, to actor: SampleActor) throws -> EventRecorder {
        try coop.ship(amounts: [.init(lot: lot, quantity: quantity)], to: try GLN(actor.gln), time: day.addingTimeInterval(60))
        let partner = try handedOver(from: coop, to: actor)
        try partner.receive(amounts: [.init(lot: lot, quantity: quantity)], from: try GLN(SampleActor.honeyCoop.gln), time: day.addingTimeInterval(120))
        return partner
    }

    /// `category`: the product's; a product of no built-in policy (`other`) lets the cooperative
    /// blend its own lots, which the honey policy gives to processors.
    static func cooperativeWithHarvest(_ quantity: Decimal = 1200, revocationList: Bool = true, category: String = "honey") throws -> EventRecorder {
        let coop = try workspace(.honeyCoop, revocationList: revocationList)
        try coop.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: honey, nameVi: "Mật ong", nameEn: "Honey", category: category, unit: "KGM"))
            try tx.addPlot(try StoredPlot(id: "P1", name: "Lũng Pù", geometryJSON: #"{"type":"Point","coordinates":[105.41,23.17]}"#))
        }
        try coop.harvest(gtin: honey, lot: "MV-1", quantity: quantity, plots: ["P1"], harvestDate: "2026-04-10", time: day)
        return coop
    }
}

@Suite("Registry: events, refusals and integrity")
struct RegistryTests {
    @Test("a harvest is stored signed, with its identifiers, and verifies")
    func harvestStored() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let records = try coop.workspace.registry.allRecords()
        #expect(records.count == 1)
        #expect(records[0].event.isCommissioning && records[0].event.productCategory == "honey")
        #expect(try coop.workspace.registry.digests(concerning: Parties.lot) == [records[0].digest])
        #expect(records[0].event.eventID == (try EventHash.eventID(for: records[0].event)))
        #expect(try coop.workspace.check().findings.isEmpty)
    }

    @Test("bulk harvests are checked first, signed in parallel, and stored all or nothing")
    func bulkHarvests() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let before = try coop.workspace.registry.count()
        func request(_ lot: String) -> EventRecorder.HarvestRequest {
            .init(gtin: Parties.honey, lot: lot, quantity: 5, unit: nil, plots: ["P1"], harvestDate: "2026-04-10", organicCertificate: nil)
        }
        #expect(throws: TraceError.self) { try coop.harvestAll([request("D-1"), request("D-2"), request("D-1")]) { _, _ in } }
        #expect(throws: TraceError.self) { try coop.harvestAll([request("D-3"), request("MV-1")]) { _, _ in } }  // MV-1 is stored already
        #expect(try coop.workspace.registry.count() == before)
        var reported: [Int] = []
        try coop.harvestAll((0..<300).map { request("B-\($0)") }) { done, total in
            #expect(total == 300)
            reported.append(done)
        }
        #expect(reported.last == 300 && reported == reported.sorted())
        #expect(try coop.workspace.registry.count() == before + 300)
        #expect(try coop.workspace.check().findings.isEmpty)
    }

    @Test("a batch registered at once is signed, stored and linked in order, all or nothing")
    func batchRegistration() throws {
        let coop = try Parties.workspace(.honeyCoop)
        let registry = coop.workspace.registry, signer = try Parties.pki.signer(.honeyCoop)
        let gln = try GLN(SampleActor.honeyCoop.gln), exporter = try GLN(SampleActor.exporter.gln)
        func lot(_ i: Int) -> String { "https://id.gs1.org/01/08936000120016/10/B\(i)" }
        let harvests = (0..<600).map { i in
            EventFactory.harvest(lot: lot(i), quantity: 10, uom: "KGM", at: EPCISTime(date: Parties.day.addingTimeInterval(Double(i))),
                                 location: gln, harvestDate: "2026-04-10", plots: [], category: "honey")
        }
        let envelopes = try registry.register(harvests, by: signer)
        #expect(envelopes.count == 600)
        #expect(try registry.allRecords().map(\.digest) == envelopes.map(\.digest))  // stored in the order of the events
        for (i, envelope) in envelopes.enumerated() where i % 97 == 0 {
            let event = try EPCISEvent.decode(payload: envelope.payload)
            #expect(event.quantityList?.first?.epcClass == lot(i))
            #expect(event.eventID == (try EventHash.eventID(for: event)))
            #expect(try registry.digests(concerning: lot(i)) == [envelope.digest])
        }
        // The second batch links to the first; one event in it cannot be hashed, so none of it is stored.
        var ships = (0..<600).map { i in
            EventFactory.ship(quantities: [QuantityElement(epcClass: lot(i), quantity: 10, uom: "KGM")],
                              previous: [InputLink(record: envelopes[i].digest, lot: lot(i))],
                              at: EPCISTime(date: Parties.day.addingTimeInterval(86_400 + Double(i))), from: gln, to: exporter)
        }
        ships[450].extensions["agt:note"] = .string("Infinity")  // the CBV hash refuses infinite numbers
        #expect(throws: TraceError.self) { try registry.register(ships, by: signer) }
        #expect(try registry.count() == 600)
        ships[450].extensions = [:]
        let shipped = try registry.register(ships, by: signer)
        #expect(try registry.count() == 1200)
        #expect(try registry.downstream(of: [envelopes[7].digest]) == [envelopes[7].digest, shipped[7].digest])
        #expect(try coop.workspace.check().findings.isEmpty)
    }

    /// Batches for the stream tests: `count` harvests of lots `prefix`0… (or inspections of them,
    /// linked to `harvests`), by the cooperative (or the laboratory).
    static func streamBatch(_ prefix: String, _ count: Int, inspecting harvests: [Envelope] = []) throws -> RegistrationBatch {
        let coop = try GLN(SampleActor.honeyCoop.gln), lab = try GLN(SampleActor.laboratory.gln)
        func lot(_ i: Int) -> String { "https://id.gs1.org/01/08936000120016/10/\(prefix)\(i)" }
        if harvests.isEmpty {
            let events = (0..<count).map { i in
                EventFactory.harvest(lot: lot(i), quantity: 10, uom: "KGM", at: EPCISTime(date: Parties.day.addingTimeInterval(Double(i))),
                                     location: coop, harvestDate: "2026-04-10", plots: [], category: "honey")
            }
            return RegistrationBatch(events, by: try Parties.pki.signer(.honeyCoop))
        }
        let events = (0..<count).map { i in
            EventFactory.inspection(lot: lot(i), previous: harvests[i].digest, at: EPCISTime(date: Parties.day.addingTimeInterval(3600 + Double(i))),
                                    location: lab, conformant: true, measurements: [Measurement("moisture", 18, "P1")])
        }
        return RegistrationBatch(events, by: try Parties.pki.signer(.laboratory))
    }

    @Test("a stream of batches is stored a transaction each, in order, and each is heard once committed")
    func streamedRegistration() throws {
        let coop = try Parties.workspace(.honeyCoop)
        let registry = coop.workspace.registry
        let first = try Self.streamBatch("S", 300), second = try Self.streamBatch("T", 200)
        var heard: [[Envelope]] = []
        // The third batch is taken once the second is stored, after the first has committed: it may link to the first.
        let batches = sequence(state: 0) { (taken: inout Int) -> RegistrationBatch? in
            defer { taken += 1 }
            switch taken {
            case 0: return first
            case 1: return second
            case 2: return try? Self.streamBatch("S", 300, inspecting: heard[0])
            default: return nil
            }
        }
        try registry.register(batches) { envelopes in
            heard.append(envelopes)
            // Heard after the commit: another connection already reads every record heard so far.
            let stored = try registry.count()
            #expect(stored == heard.map(\.count).reduce(0, +))
        }
        #expect(heard.map(\.count) == [300, 200, 300])
        #expect(try registry.allRecords().map(\.digest) == heard.joined().map(\.digest))
        for i in [0, 151, 299] {
            #expect(try registry.digests(concerning: "https://id.gs1.org/01/08936000120016/10/S\(i)") == [heard[0][i].digest, heard[2][i].digest])
            #expect(try EPCISEvent.decode(payload: heard[2][i].payload).bizStep == "inspecting")
        }
        #expect(try coop.workspace.check().findings.isEmpty)
    }

    @Test("a failure ends a stream: the batches committed before it stay, nothing of the failing batch or the next is stored",
          arguments: ["signing", "hearing"])
    func streamFailure(failing: String) throws {
        let coop = try Parties.workspace(.honeyCoop)
        let registry = coop.workspace.registry
        var second = try Self.streamBatch("U", 200)
        if failing == "signing" { second.events[120].extensions["agt:note"] = .string("Infinity") }  // the CBV hash refuses it
        let batches = [try Self.streamBatch("S", 100), second, try Self.streamBatch("V", 400), try Self.streamBatch("W", 50)]
        var heard = 0
        #expect(throws: TraceError.self) {
            try registry.register(batches) { envelopes in
                heard += 1
                if failing == "hearing", heard == 2 { throw TraceError("test.stop", "the caller stops after the second batch") }
            }
        }
        // Signing: the second batch fails and nothing of it is stored. Hearing: the second batch had
        // committed when its caller failed; the third, taken and being signed meanwhile, is not stored.
        #expect(heard == (failing == "signing" ? 1 : 2))
        #expect(try registry.count() == (failing == "signing" ? 100 : 300))
        #expect(try registry.digests(concerning: "https://id.gs1.org/01/08936000120016/10/V0").isEmpty)
        #expect(try coop.workspace.check().findings.isEmpty)
    }

    @Test("an empty stream registers nothing and hears nothing")
    func emptyStream() throws {
        let coop = try Parties.workspace(.honeyCoop)
        var heard = 0
        try coop.workspace.registry.register([RegistrationBatch]()) { _ in heard += 1 }
        #expect(heard == 0)
        #expect(try coop.workspace.registry.count() == 0)
    }

    @Test("what cannot be true is refused with its code, and nothing is written", arguments: [
        "lot.exists", "product.unknown", "plot.unknown", "time.future", "argument.invalid", "quantity.exceeded", "lot.unknown", "quantity.unit",
    ])
    func refusals(code: String) throws {
        let coop = try Parties.cooperativeWithHarvest()
        let before = try coop.workspace.registry.count()
        let exporter = try GLN(SampleActor.exporter.gln)
        #expect {
            switch code {
            case "lot.exists": try coop.harvest(gtin: Parties.honey, lot: "MV-1", quantity: 5, plots: [], harvestDate: "2026-04-10", time: Parties.day)
            case "product.unknown": try coop.harvest(gtin: try GTIN("08936000120023"), lot: "X", quantity: 5, plots: [], harvestDate: "2026-04-10")
            case "plot.unknown": try coop.harvest(gtin: Parties.honey, lot: "MV-2", quantity: 5, plots: ["nowhere"], harvestDate: "2026-04-10")
            case "time.future": try coop.harvest(gtin: Parties.honey, lot: "MV-2", quantity: 5, plots: [], harvestDate: "2027-01-01")
            case "argument.invalid": try coop.harvest(gtin: Parties.honey, lot: "MV-2", quantity: 0, plots: [], harvestDate: "2026-04-10")
            case "quantity.exceeded": try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 1201)], to: exporter)
            case "lot.unknown": try coop.ship(amounts: [.init(lot: Parties.lot + "9", quantity: 1)], to: exporter)
            default: try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 1, unit: "LTR")], to: exporter)
            }
        } throws: { ($0 as? TraceError)?.code.rawValue == code }
        #expect(try coop.workspace.registry.count() == before)
    }

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

    @Test("a bundle sound on its own that does not fit the registry's records is refused whole: another party's harvest of a lot held here would make every export of it invalid")
    func importMustFitTheRegistry() throws {
        let coop = try Parties.cooperativeWithHarvest()
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 600)], to: try GLN(SampleActor.exporter.gln), time: Parties.day.addingTimeInterval(60))
        let exporter = try Parties.handedOver(from: coop, to: .exporter)
        let before = try exporter.workspace.registry.count()
        // Another producer harvests the same GTIN and lot number and ships it to the exporter.
        let other = try Parties.workspace(.orangeCoop)
        try other.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: Parties.honey, nameVi: "Mật ong", nameEn: "Honey", category: "honey", unit: "KGM"))
        }
        try other.harvest(gtin: Parties.honey, lot: "MV-1", quantity: 100, plots: [], harvestDate: "2026-04-12", time: Parties.day.addingTimeInterval(120))
        try other.ship(amounts: [.init(lot: Parties.lot, quantity: 100)], to: try GLN(SampleActor.exporter.gln), time: Parties.day.addingTimeInterval(180))
        let file = try temporaryDirectory().appendingPathComponent("same-lot.provenance.json")
        let bundle = try other.workspace.exportBundle(subject: Parties.lot)
        #expect(try other.workspace.handOverReport(of: bundle).level == .trusted)  // sound on its own
        try bundle.write(to: file)
        #expect { try exporter.workspace.importBundle(at: file) } throws: { error in
            let error = error as? TraceError
            return error?.code == "import.refused" && error?.message.contains("massBalance.recreated") == true
        }
        #expect(try exporter.workspace.registry.count() == before)
        #expect(try exporter.workspace.handOverReport(of: try exporter.workspace.exportBundle(subject: Parties.lot)).level == .trusted)
        // A bundle that fits (the cooperative's own, handed over again) still imports, harmlessly.
        let again = try temporaryDirectory().appendingPathComponent("again.provenance.json")
        try coop.workspace.exportBundle(subject: Parties.lot).write(to: again)
        #expect(try exporter.workspace.importBundle(at: again).added == 0)
    }

    @Test("a partner's clock a few minutes fast does not stop the next step, as verifiers allow that skew; a step dated further before the record it follows is refused (time.order)")
    func clockSkewBetweenParties() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let shipped = Parties.day.addingTimeInterval(3600)
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 600)], to: try GLN(SampleActor.exporter.gln), time: shipped)
        let exporter = try Parties.handedOver(from: coop, to: .exporter)
        let from = try GLN(SampleActor.honeyCoop.gln)
        // The exporter's clock reads ten minutes before the cooperative's shipment: refused, nothing written.
        #expect { try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: 600)], from: from, time: shipped.addingTimeInterval(-600)) } throws: { error in
            let error = error as? TraceError
            return error?.code == "time.order" && error?.message.contains("before") == true
        }
        #expect(try exporter.workspace.registry.count() == 2)
        // Two minutes before it (the cooperative's clock runs fast): received, and the buyer's verifier agrees.
        try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: 600)], from: from, time: shipped.addingTimeInterval(-120))
        let report = try exporter.workspace.handOverReport(of: try exporter.workspace.exportBundle(subject: Parties.lot))
        #expect(report.level == .trusted && report.findings.isEmpty, "\(report.findings)")
    }

    @Test("the registry signs nothing its certificate chain could not sign at the event's time: before it was valid, or after its revocation")
    func signerValidity() throws {
        let collector = try Parties.workspace(.revokedHerbs)  // revoked on 2026-03-01 by the CRL the workspace holds
        try collector.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: Parties.honey, nameVi: "Mật ong", nameEn: "Honey", category: "honey", unit: "KGM"))
        }
        func harvest(_ lot: String, _ time: String) throws {
            try collector.harvest(gtin: Parties.honey, lot: lot, quantity: 5, plots: [], harvestDate: String(time.prefix(10)), time: try EPCISTime(parsing: time).date)
        }
        try harvest("Q-1", "2026-02-15T07:00:00+07:00")  // before the revocation: a verifier notes it, and accepts it
        #expect { try harvest("Q-2", "2026-04-12T07:00:00+07:00") } throws: { error in
            let error = error as? TraceError
            return error?.code == "certificate.revoked" && error?.message.contains("was revoked on 2026-03-01T00:00:00Z") == true
        }
        #expect { try harvest("Q-3", "2025-12-20T07:00:00+07:00") } throws: { ($0 as? TraceError)?.code == "certificate.notYetValid" }
        // A spreadsheet's rows are held to it too, all or none.
        let rows = ["Q-4", "Q-5"].map {
            EventRecorder.HarvestRequest(gtin: Parties.honey, lot: $0, quantity: 5, unit: nil, plots: [], harvestDate: "2026-04-10", organicCertificate: nil)
        }
        #expect { try collector.harvestAll(rows) { _, _ in } } throws: { ($0 as? TraceError)?.code == "certificate.revoked" }
        #expect(try collector.workspace.registry.count() == 1)
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

    @Test("harvest dates are days that exist, not after the day of the record in its own time zone")
    func harvestDates() throws {
        let coop = try Parties.workspace(.honeyCoop)
        try coop.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: Parties.honey, nameVi: "Mật ong", nameEn: "Honey", category: "honey", unit: "KGM"))
        }
        for (date, code) in [("2026-02-30", "argument.invalid"), ("2026-02-29", "argument.invalid"), ("2026-4-1", "argument.invalid"),
                             ("2026-04-13", "time.future")] {
            #expect("\(date)") {
                try coop.harvest(gtin: Parties.honey, lot: "D1", quantity: 5, plots: [], harvestDate: date, time: Parties.day)
            } throws: { ($0 as? TraceError)?.code.rawValue == code }
        }
        #expect(try coop.workspace.registry.count() == 0)
        // 06:00 on 12 April in Viet Nam is still 11 April in UTC: a harvest of the 12th is recorded.
        let morning = try EPCISTime(parsing: "2026-04-12T06:00:00+07:00").date
        try coop.harvest(gtin: Parties.honey, lot: "D2", quantity: 5, plots: [], harvestDate: "2026-04-12", time: morning)
        try coop.harvest(gtin: Parties.honey, lot: "D3", quantity: 5, plots: [], harvestDate: "2024-02-29", time: morning)
        #expect(try coop.workspace.registry.count() == 2)
        #expect(throws: TraceError.self) { try HeldCertificate(number: "C1", body: "B", validFrom: "2026-02-29", validUntil: "2027-01-01") }
        #expect(throws: TraceError.self) {
            try StoredPlot(id: "P", name: "N", geometryJSON: #"{"type":"Point","coordinates":[105,23]}"#, organicSince: "2026-02-30")
        }
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

    /// Check re-verifies the records as stored, in the form this version writes (bytes) or the
    /// JSON form registries wrote before: a payload altered behind the database's back, and a row
    /// that no longer reads (JSON broken, bytes cut short), are findings on them.
    @Test("check re-verifies the records as stored: one altered behind the database's back, and one that no longer reads, are findings on them",
          arguments: ["bytes", "JSON"])
    func checkFindsAlteredRecords(form: String) throws {
        let coop = try Parties.cooperativeWithHarvest()
        let exporter = try GLN(SampleActor.exporter.gln)
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 1)], to: exporter, time: Parties.day.addingTimeInterval(60))
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 2)], to: exporter, time: Parties.day.addingTimeInterval(120))
        #expect(try coop.workspace.check().findings.isEmpty)
        let registry = coop.workspace.registry
        let stored = try registry.allRecords()
        let rows = try registry.pool.read { try Data.fetchAll($0, sql: "SELECT envelope FROM record ORDER BY seq") }
        #expect(rows.allSatisfy { $0.first == StoredEnvelope.eventForm })  // what this version writes
        var altered = stored[1].envelope
        altered.payload = Data(String(decoding: altered.payload, as: UTF8.self).replacingOccurrences(of: "\"quantity\":1,", with: "\"quantity\":9,").utf8)
        #expect(altered.payload != stored[1].envelope.payload)
        let (alteredRow, brokenRow) = form == "JSON" ? (altered.jsonBytes(), Data("{not json".utf8)) : (Data(StoredEnvelope.bytes(of: altered)), rows[2].dropLast(3))
        // Another program writes to the file with the append-only trigger dropped.
        try registry.pool.write { db in
            try db.execute(sql: "DROP TRIGGER record_no_update")
            try db.execute(sql: "UPDATE record SET envelope = ? WHERE seq = ?", arguments: [alteredRow, stored[1].seq])
            try db.execute(sql: "UPDATE record SET envelope = ? WHERE seq = ?", arguments: [brokenRow, stored[2].seq])
        }
        let report = try coop.workspace.check()
        #expect(report.level == .invalid)
        #expect(report.findings.contains { $0.code == .signatureInvalid })
        #expect(report.findings.contains { $0.code == .recordMalformed && $0.record == "records[2]" })
        #expect(report.records.count == 2)  // the two that still read
        #expect(throws: TraceError.self) { try registry.allRecords() }  // reading the broken one is an error, not a crash
    }

    @Test("the database itself refuses to update or delete a record")
    func appendOnly() throws {
        let coop = try Parties.cooperativeWithHarvest()
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 1)], to: try GLN(SampleActor.exporter.gln), time: Parties.day.addingTimeInterval(60))
        for sql in ["UPDATE record SET biz_step = 'shipping'", "DELETE FROM record", "DELETE FROM link", "UPDATE link SET lot = 'x'",
                    "UPDATE record_identifier SET identifier = 'x'", "DELETE FROM record_identifier"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try coop.workspace.registry.pool.write { try $0.execute(sql: sql) } }
        }
        #expect(try coop.workspace.registry.count() == 2)
    }

    @Test("the events report names the product on every row: a partner's from its harvest record, a pallet's from what was packed into it")
    func eventsReportProducts() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let exporterGLN = try GLN(SampleActor.exporter.gln), sscc = try SSCC("089360001000000018")
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 600)], to: exporterGLN, time: Parties.day.addingTimeInterval(60))
        let file = try temporaryDirectory().appendingPathComponent("handed-over.provenance.json")
        try coop.workspace.exportBundle(subject: Parties.lot).write(to: file)
        // The exporter registers no product of its own: it knows the honey only from the coop's bundle.
        let exporter = try Parties.workspace(.exporter)
        #expect(try exporter.workspace.importBundle(at: file).added == 2)
        try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: 600)], from: try GLN(SampleActor.honeyCoop.gln), time: Parties.day.addingTimeInterval(120))
        try exporter.pack(into: sscc, contents: [.init(lot: Parties.lot, quantity: 600)], time: Parties.day.addingTimeInterval(180))
        try exporter.ship(units: [sscc], to: try GLN(SampleActor.importerSingapore.gln), time: Parties.day.addingTimeInterval(240))
        func rows(from: Date?) throws -> [[Substring]] {
            try EventReport.csv(workspace: exporter.workspace, from: from, to: nil).split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        }
        let all = try rows(from: nil)
        #expect(all.map { $0[2] } == ["commissioning", "shipping", "receiving", "packing", "packing", "shipping"])
        #expect(all[3][3] == "https://id.gs1.org/00/089360001000000018" && all[3][4] == "unit" && all[4][3] == Substring(Parties.lot) && all[4][4] == "content")
        #expect(all.allSatisfy { $0[5] == "Honey" }, "\(all)")
        // A window holding only the pallet's shipment: its packing lies outside, and still names its contents.
        let pallet = try rows(from: Parties.day.addingTimeInterval(200))
        #expect(pallet.count == 1 && pallet[0][3] == "https://id.gs1.org/00/089360001000000018" && pallet[0][5] == "Honey", "\(pallet)")
    }

    @Test("the events report has a row for every lot an event names: each lot of a shipment, a blend's inputs and output, with their amounts")
    func eventsReportRowPerLot() throws {
        let coop = try Parties.cooperativeWithHarvest(category: "other")
        try coop.harvest(gtin: Parties.honey, lot: "MV-2", quantity: 300, plots: ["P1"], harvestDate: "2026-04-10", time: Parties.day)
        let second = DigitalLink.lot(Parties.honey, lot: "MV-2").uri, blend = DigitalLink.lot(Parties.honey, lot: "MV-B").uri
        try coop.transform(inputs: [.init(lot: Parties.lot, quantity: 200), .init(lot: second, quantity: 100)], outputs: [.init(lot: blend, quantity: 290)],
                           time: Parties.day.addingTimeInterval(60))
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 100), .init(lot: blend, quantity: 50)], to: try GLN(SampleActor.exporter.gln),
                      time: Parties.day.addingTimeInterval(120))
        let rows = try EventReport.csv(workspace: coop.workspace, from: Parties.day.addingTimeInterval(30), to: nil).split(separator: "\r\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        // step, lot, role, quantity, unit
        #expect(rows.map { [$0[2], $0[3], $0[4], $0[6], $0[7]] } == [
            ["transforming", Parties.lot, "input", "200", "KGM"], ["transforming", second, "input", "100", "KGM"],
            ["transforming", blend, "output", "290", "KGM"],
            ["shipping", Parties.lot, "", "100", "KGM"], ["shipping", blend, "", "50", "KGM"],
        ], "\(rows)")
        #expect(Set(rows.map { $0[13] }).count == 2)  // two records
    }

    @Test("import verifies first: an untrusted bundle changes nothing; the same bundle twice adds nothing")
    func importing() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let file = try temporaryDirectory().appendingPathComponent("harvest.provenance.json")
        try coop.workspace.exportBundle(subject: Parties.lot).write(to: file)
        let certifier = try Parties.workspace(.certifier)
        #expect(try certifier.workspace.importBundle(at: file).added == 1)
        #expect(try certifier.workspace.importBundle(at: file).added == 0)
        // A workspace trusting another root refuses the same bundle.
        let stranger = try Workspace.create(at: try temporaryDirectory().appendingPathComponent("ws"),
                                            config: .init(organization: "Other", gln: try GLN(SampleActor.importerBangkok.gln)),
                                            trustAnchors: [try TamperedSample.impostorRoot()])
        #expect { try stranger.importBundle(at: file) } throws: { ($0 as? TraceError)?.code == "import.refused" }
        #expect(try stranger.registry.count() == 0)
        // Its anchors file gone or broken: an error naming the file, not a refusal blaming the bundle.
        let anchors = stranger.directory.appendingPathComponent("trust-anchors.pem")
        for damage in ["missing", "junk", "empty"] {
            try? FileManager.default.removeItem(at: anchors)
            if damage == "junk" { try Data("junk".utf8).write(to: anchors) }
            if damage == "empty" { try Data().write(to: anchors) }  // made without --trust: trusts no one
            #expect {
                try stranger.importBundle(at: file)
            } throws: { error in
                let error = error as? TraceError
                return damage == "empty" ? error?.code == "import.refused" && error?.message.hasSuffix("it was made without --trust)") == true
                    : error?.code == "workspace.corrupt" && error?.message.contains("trust-anchors.pem") == true
            }
        }
        #expect(try stranger.registry.count() == 0)
        // A tampered bundle is refused too.
        var tampered = try coop.workspace.exportBundle(subject: Parties.lot)
        tampered.records[0].signatures[0].sig[8] ^= 0x01
        try tampered.write(to: file)
        let lab = try Parties.workspace(.laboratory)
        #expect(throws: TraceError.self) { try lab.workspace.importBundle(at: file) }
        #expect(try lab.workspace.registry.count() == 0)
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

    @Test("an identity's status warns a month before its chain expires, and names an expired chain and a revocation list past due")
    func identityStatusOverTime() throws {
        let coop = try Parties.workspace(.honeyCoop)
        #expect(try IdentityStatus.of(coop.workspace, now: Parties.day).findings.isEmpty)
        let soon = try IdentityStatus.of(coop.workspace, now: date("2045-12-20T00:00:00Z"))
        #expect(soon.findings.map(\.code) == ["certificate.expiresSoon"] && !soon.hasProblems, "\(soon.findings)")
        let late = try IdentityStatus.of(coop.workspace, now: date("2046-02-01T00:00:00Z"))
        #expect(late.hasProblems && late.findings.map(\.code) == ["certificate.expired", "certificate.revocationUnknown"], "\(late.findings)")
    }

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

    @Test("the events report is a CSV, quoted and safe for spreadsheets, within its window")
    func eventsReport() throws {
        let coop = try Parties.cooperativeWithHarvest()
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 100)], to: try GLN(SampleActor.exporter.gln),
                      documents: [BizTransaction(type: "inv", bizTransaction: "=HYPERLINK(\"x\"),1")], time: Parties.day.addingTimeInterval(60))
        let csv = try EventReport.csv(workspace: coop.workspace, from: nil, to: nil)
        let lines = csv.split(separator: "\r\n")
        #expect(lines.count == 3)
        #expect(lines[0] == Substring(EventReport.header.joined(separator: ",")))
        #expect(lines[1].contains("commissioning") && lines[1].contains("Honey") && lines[1].contains("1200"))
        // A harvest's row says when and where it was harvested; other rows leave those empty (and measurements: none here).
        #expect(lines[1].hasSuffix(",active,,2026-04-10,2026-04-10,Lũng Pù,"), "\(lines[1])")
        #expect(lines[2].hasSuffix(",in_transit,,,,,"), "\(lines[2])")
        #expect(lines[2].contains("\"'=HYPERLINK(\"\"x\"\"),1\""))
        // A value that only starts like a number is still defused; a number is left as it is.
        #expect(EventReport.field("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0")
        #expect(EventReport.field("-2.5") == "-2.5" && EventReport.field("+7") == "+7")
        // Decided by bytes, as a spreadsheet reads them: a mark after '=' hides no formula, "\r\n" is a
        // line break, a quote before a mark is still doubled; a leading tab or carriage return is defused.
        #expect(EventReport.field("=\u{301}1+1") == "'=\u{301}1+1")
        #expect(EventReport.field("a\r\nb") == "\"a\r\nb\"")
        #expect(EventReport.field("x\"\u{301}y") == "\"x\"\"\u{301}y\"")
        #expect(EventReport.field("\tcmd") == "'\tcmd" && EventReport.field("Mật ong") == "Mật ong")
        #expect(try EventReport.csv(workspace: coop.workspace, from: Parties.day.addingTimeInterval(30), to: nil).split(separator: "\r\n").count == 2)
        // The window is from ..< to: the harvest at `day` is in [day, day+60) and the shipment at day+60 is not.
        let window = try EventReport.csv(workspace: coop.workspace, from: Parties.day, to: Parties.day.addingTimeInterval(60)).split(separator: "\r\n")
        #expect(window.count == 2 && window[1].contains("commissioning"))
        #expect(try EventReport.csv(workspace: coop.workspace, from: Parties.day.addingTimeInterval(61), to: nil).split(separator: "\r\n").count == 1)
        let plan = try coop.workspace.registry.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM record WHERE event_time >= 0 AND event_time < 1 ORDER BY seq")
                .map { $0["detail"] as String }
        }
        #expect(plan.joined().contains("record_by_time"), "\(plan)")
    }
}

@Suite("Master data")
struct MasterDataTests {
    @Test("a plot's geometry is a GeoJSON Point, Polygon or MultiPolygon in range, its area more than zero, organic since a past day",
          arguments: [
            (#"{"type":"Point","coordinates":[105.41,23.17]}"#, nil, nil, nil),
            (#"{"type":"Point","coordinates":[105.41,23.17,1200]}"#, nil, "3.2", "2020-01-01"),
            (#"{"type":"Polygon","coordinates":[[[105.4,23.1],[105.5,23.1],[105.5,23.2],[105.4,23.1]]]}"#, nil, nil, nil),
            (#"{"type":"MultiPolygon","coordinates":[[[[1,2],[3,4],[5,6],[1,2]]],[[[7,8],[9,8],[9,9],[7,8]]]]}"#, nil, nil, nil),
            (#"{"type":"Point","coordinates":[105.4]}"#, "coordinates must be [longitude, latitude]", nil, nil),
            (#"{"type":"Point","coordinates":["105.4","23.1"]}"#, "coordinates must be [longitude, latitude]", nil, nil),
            (#"{"type":"Point","coordinates":[23.1,105.4]}"#, "latitude -90 to 90", nil, nil),
            (#"{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6]]]}"#, "coordinates[0] must be a ring of at least four positions", nil, nil),
            (#"{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6],[7,8]]]}"#, "closed ring", nil, nil),
            (#"{"type":"Polygon","coordinates":[]}"#, "list of linear rings", nil, nil),
            (#"{"type":"MultiPolygon","coordinates":[[[[1,2],[3,4],[5,6],[1,2]]],[[[1,2],[300,4],[5,6],[1,2]]]]}"#, "coordinates[1][0][1]", nil, nil),
            (#"{"type":"LineString","coordinates":[[1,2],[3,4]]}"#, "not Point, Polygon or MultiPolygon", nil, nil),
            ("null", "must be a GeoJSON", nil, nil),
            (#"{"type":"Point","coordinates":[105.41,23.17]}"#, "area 0", "0", nil),
            (#"{"type":"Point","coordinates":[105.41,23.17]}"#, "still to come", nil, "2099-01-01"),
          ] as [(String, String?, String?, String?)])
    func plotGeometry(geometry: String, problem: String?, area: String?, organicSince: String?) {
        let made = Result { try StoredPlot(id: "P9", name: "Lũng Pù", geometryJSON: geometry, areaHectares: area, organicSince: organicSince) }
        switch (made, problem) {
        case (.success, nil): break
        case (.failure(let error), let problem?): #expect("\(error)".contains(problem), "\(error)")
        case (.success, let problem?): Issue.record("\(geometry) was accepted; expected: \(problem)")
        case (.failure(let error), nil): Issue.record("\(geometry) was refused: \(error)")
        }
    }

    @Test("names and plot ids typed in either Unicode form (a Vietnamese keyboard's composed or combining mode) are one: stored composed, found either way")
    func unicodeForms() throws {
        let coop = try Parties.workspace(.honeyCoop)
        let composed = "L\u{0169}ng P\u{00F9}", combining = "Lu\u{0303}ng Pu\u{0300}"  // "Lũng Pù" both ways
        #expect(composed == combining && Array(composed.utf8) != Array(combining.utf8))
        let point = #"{"type":"Point","coordinates":[105.41,23.17]}"#
        try coop.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: Parties.honey, nameVi: "M\u{00E2}\u{0323}t ong", nameEn: "Honey", category: "honey", unit: "KGM"))
            try tx.addPlot(try StoredPlot(id: combining, name: combining, geometryJSON: point))
            #expect(throws: TraceError.self) { try tx.addPlot(try StoredPlot(id: composed, name: "again", geometryJSON: point)) }
            let stored = try tx.plots()
            #expect(stored.count == 1 && Array(stored[0].id.utf8) == Array(composed.utf8) && Array(stored[0].name.utf8) == Array(composed.utf8))
            #expect(Array(try tx.products()[0].nameVi.utf8) == Array("M\u{1EAD}t ong".utf8))
        }
        // A harvest names the plot typed either way, and its record carries the composed text.
        try coop.harvest(gtin: Parties.honey, lot: "U1", quantity: 5, plots: [composed], harvestDate: "2026-04-10", time: Parties.day)
        try coop.harvest(gtin: Parties.honey, lot: "U2", quantity: 5, plots: [combining], harvestDate: "2026-04-10", time: Parties.day)
        for record in try coop.workspace.registry.allRecords() {
            let plot = record.event.ilmd?["agt:plots"]?.arrayValue?.first?["properties"]?["name"]?.stringValue ?? ""
            #expect(Array(plot.utf8) == Array(composed.utf8))
        }
    }

    @Test("products, plots and held certificates are validated, listed and never registered twice")
    func masterData() throws {
        let coop = try Parties.cooperativeWithHarvest()
        try coop.workspace.registry.transaction { tx in
            #expect(try tx.products().map(\.gtin) == [Parties.honey])
            #expect(try tx.plots().map(\.id) == ["P1"])
            #expect(throws: TraceError.self) { try tx.addProduct(try Product(gtin: Parties.honey, nameVi: "a", nameEn: "b", category: "honey", unit: "KGM")) }
            #expect(throws: TraceError.self) { try tx.addPlot(try StoredPlot(id: "P1", name: "x", geometryJSON: #"{"type":"Point","coordinates":[1,2]}"#)) }
            try tx.addHeldCertificate(try HeldCertificate(number: "VC-1", body: "VietCert", validFrom: "2026-01-01", validUntil: "2026-04-30"))
            #expect(try tx.heldCertificates().map(\.number) == ["VC-1"])
        }
        #expect(throws: TraceError.self) { try Product(gtin: Parties.honey, nameVi: "a", nameEn: "b", category: "fish", unit: "KGM") }
        for unit in ["kg", "", "KGMS", "K G"] {  // UN/ECE Recommendation 20 codes only, as EPCIS has them
            #expect { try Product(gtin: Parties.honey, nameVi: "a", nameEn: "b", category: "honey", unit: unit) } throws: { "\($0)".contains("UN/ECE") }
        }
        #expect(throws: TraceError.self) { try StoredPlot(id: "P2", name: "x", geometryJSON: #"{"type":"Line"}"#) }
        #expect(throws: TraceError.self) { try HeldCertificate(number: "X", body: "Y", validFrom: "2026-12-01", validUntil: "2026-01-01") }
        // A harvest under a held certificate must fall inside its validity.
        #expect { try coop.harvest(gtin: Parties.honey, lot: "MV-9", quantity: 5, plots: [], harvestDate: "2026-05-01", organicCertificate: "VC-1",
                                  time: Parties.day.addingTimeInterval(20 * 86_400)) } throws: {
            ($0 as? TraceError)?.code == "certificate.expired"
        }
        try coop.harvest(gtin: Parties.honey, lot: "MV-9", quantity: 5, plots: [], harvestDate: "2026-04-01", organicCertificate: "VC-1", time: Parties.day)
    }
}
