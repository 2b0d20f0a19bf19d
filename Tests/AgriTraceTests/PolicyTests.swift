import Foundation
import Testing
@testable import AgriTrace
import TestSupport
import TraceCrypto

@Suite("Policies: roles, steps, limits, mass balance, organic claims, revocation")
struct PolicyTests {
    let pki = Fixtures.pki

    @Test("the clean bundle of each product is trusted under its built-in policy", arguments: CleanSample.allCases)
    func cleanProductsPass(sample: CleanSample) throws {
        let report = try Fixtures.verify(try sample.make(pki: pki))
        #expect(report.policy == sample.rawValue)
        #expect(report.level == .trusted, "\(report.journeyText())")
    }

    @Test("each fraud sample is caught with its code", arguments: FraudSample.allCases)
    func fraudCaught(sample: FraudSample) throws {
        let report = try Fixtures.verify(try sample.make(pki: pki))
        #expect(report.codes.contains(sample.expectedCode.rawValue), "\(sample): \(report.codes)")
        #expect(report.level == .invalid)
    }

    @Test("the committed fraud samples and policy files match what the code says")
    func committedFraudAndPolicies() throws {
        let anchors = try Certificate.all(fileAt: repositoryRoot.appendingPathComponent("Certificates/root-ca.pem"))
        let verifier = BundleVerifier(options: VerificationOptions(trustAnchors: anchors))
        let fraud = repositoryRoot.appendingPathComponent("Samples/fraud")
        let expected = try JSONDecoder().decode([String: [String: String]].self, from: Data(contentsOf: fraud.appendingPathComponent("expected.json")))
        #expect(expected.count == FraudSample.allCases.count)
        for (name, want) in expected {
            let report = verifier.verify(contentsOf: fraud.appendingPathComponent("\(name).provenance.json"))
            #expect(report.codes.contains(want["code"] ?? "?"), "\(name): \(report.codes)")
        }
        for sample in CleanSample.allCases {
            let report = verifier.verify(contentsOf: repositoryRoot.appendingPathComponent("Samples/\(sample.rawValue)/\(sample.rawValue).provenance.json"))
            #expect(report.level == .trusted, "\(sample): \(report.codes)")
            let file = repositoryRoot.appendingPathComponent("Samples/policies/\(sample.rawValue).json")
            #expect(try Policy.load(from: file) == Policy.builtIn[sample.rawValue])
        }
    }

    @Test("a measured value exactly at its limit passes; just above fails")
    func limitBoundary() throws {
        var honey = try HoneyScenario(pki: pki)
        honey.moisture = 20
        #expect(try Fixtures.verify(try honey.bundle(crls: [pki.crl])).level == .trusted)
        honey.moisture = Decimal(string: "20.01") ?? 0
        let report = try Fixtures.verify(try honey.bundle(crls: [pki.crl]))
        #expect(report.codes.contains("policy.limitExceeded"))
        // Said in the units a buyer reads, not Recommendation 20's codes (P1 is percent).
        #expect(report.findings.contains { $0.message == "moisture 20.01 %, above the limit of 20 %" }, "\(report.findings.map(\.message))")
    }

    @Test("a yield exactly at the tolerance passes; one kilogram more fails")
    func yieldBoundary() throws {
        var beef = try BeefScenario(pki: pki)
        beef.cutsKilograms = 3360  // 0.8 × 4200
        #expect(try Fixtures.verify(try beef.bundle(crls: [pki.crl])).level == .trusted)
        beef.cutsKilograms = 3361
        #expect(try Fixtures.verify(try beef.bundle(crls: [pki.crl])).codes.contains("massBalance.yield"))
        beef.cutsKilograms = 2310  // 0.55 × 4200, the lower bound
        #expect(try Fixtures.verify(try beef.bundle(crls: [pki.crl])).level == .trusted)
    }

    @Test("handing over exactly the harvest balances; one kilogram more is over-shipped")
    func massBalanceBoundary() throws {
        var honey = try HoneyScenario(pki: pki)
        honey.handedOver = 1200
        #expect(try Fixtures.verify(try honey.bundle(crls: [pki.crl])).level == .trusted)
        honey.handedOver = 1201
        let report = try Fixtures.verify(try honey.bundle(crls: [pki.crl]))
        #expect(report.codes == ["massBalance.exceeded"])
        #expect(report.findings.first?.message.contains("but GLN 8936000100018 holds only 1200 kg of it") == true, "\(report.findings)")
    }

    @Test("once a shipment's destination records receiving it, it holds what it received: a loss on the way is not stock to ship")
    func receiptsSettleShipments() throws {
        let lot = HoneyScenario.lot
        let (coop, exporter, importer) = (try GLN(SampleActor.honeyCoop.gln), try GLN(SampleActor.exporter.gln), try GLN(SampleActor.importerSingapore.gln))
        func time(_ day: Int) throws -> EPCISTime { try EPCISTime(parsing: "2026-04-\(day)T08:00:00.000+07:00") }
        func kilograms(_ quantity: Decimal) -> [QuantityElement] { [QuantityElement(epcClass: lot, quantity: quantity, uom: "KGM")] }
        var ledger = LotLedger()
        ledger.apply(EventFactory.harvest(lot: lot, quantity: 1200, uom: "KGM", at: try time(12), location: coop, harvestDate: "2026-04-12", plots: []),
                     signer: coop.value, digest: "sha256:harvest")
        ledger.apply(EventFactory.ship(quantities: kilograms(1200), previous: [InputLink(record: "sha256:harvest", lot: lot)], at: try time(13), from: coop, to: exporter),
                     signer: coop.value, digest: "sha256:shipment")
        #expect(ledger.balance(of: lot, holder: exporter.value) == 1200, "a shipment not yet received counts as delivered")
        func receipt(_ quantity: Decimal, of shipment: String = "sha256:shipment", by receiver: GLN, digest: String) throws {
            ledger.apply(EventFactory.receive(quantities: kilograms(quantity), previous: [InputLink(record: shipment, lot: lot)], at: try time(14), from: coop, at: receiver),
                         signer: receiver.value, digest: digest)
        }
        // A receipt naming the lot without a quantity, or in litres, says nothing of how much arrived.
        var unstated = EventFactory.receive(quantities: [QuantityElement(epcClass: lot)], previous: [InputLink(record: "sha256:shipment", lot: lot)],
                                            at: try time(14), from: coop, at: exporter)
        ledger.apply(unstated, signer: exporter.value, digest: "sha256:unstated")
        unstated.quantityList = [QuantityElement(epcClass: lot, quantity: 3, uom: "LTR")]
        var litres = ledger
        litres.apply(unstated, signer: exporter.value, digest: "sha256:litres")
        #expect(litres.balance(of: lot, holder: exporter.value) == 1200 && litres.findings.map(\.code) == [.massBalanceUnit], "\(litres.findings)")
        #expect(ledger.balance(of: lot, holder: exporter.value) == 1200 && ledger.findings.isEmpty)
        try receipt(1185, by: exporter, digest: "sha256:first")
        #expect(ledger.balance(of: lot, holder: exporter.value) == 1185)
        try receipt(1000, by: importer, digest: "sha256:other")  // not the shipment's destination: changes nothing
        try receipt(5, of: "sha256:harvest", by: exporter, digest: "sha256:unknown")  // not a shipment
        #expect(ledger.balance(of: lot, holder: exporter.value) == 1185 && ledger.balance(of: lot, holder: importer.value) == 0)
        #expect(ledger.findings.isEmpty, "\(ledger.findings)")
        var shipsAll = ledger
        shipsAll.apply(EventFactory.ship(quantities: kilograms(1200), previous: [InputLink(record: "sha256:first", lot: lot)], at: try time(15), from: exporter, to: importer),
                       signer: exporter.value, digest: "sha256:onward")
        #expect(shipsAll.findings.map(\.code) == [.massBalanceExceeded])
        #expect(shipsAll.findings.first?.message.contains("holds only 1185 kg") == true, "\(shipsAll.findings)")
        try receipt(15, by: exporter, digest: "sha256:second")  // the rest arrives later
        #expect(ledger.balance(of: lot, holder: exporter.value) == 1200 && ledger.findings.isEmpty)
        try receipt(1, by: exporter, digest: "sha256:third")
        #expect(ledger.balance(of: lot, holder: exporter.value) == 1200)
        #expect(ledger.findings.map(\.record) == ["sha256:third"] && ledger.findings.first?.message.contains("carried only 1200 kg") == true, "\(ledger.findings)")
    }

    @Test("lots and holders are told apart by their code points: a lot spelled in other code points that Unicode counts as equal is another lot")
    func lotsByCodePoint() throws {
        let coop = try GLN(SampleActor.honeyCoop.gln), exporter = try GLN(SampleActor.exporter.gln)
        let at = try EPCISTime(parsing: "2026-04-13T08:00:00.000+07:00")
        let composed = "https://id.gs1.org/01/08936000120016/10/%C3%85-\u{00C5}", decomposed = "https://id.gs1.org/01/08936000120016/10/%C3%85-A\u{030A}"
        #expect(composed == decomposed)  // to Swift's String, one text
        var ledger = LotLedger()
        ledger.apply(EventFactory.harvest(lot: composed, quantity: 100, uom: "KGM", at: at, location: coop, harvestDate: "2026-04-12", plots: []), signer: coop.value, digest: "h")
        #expect(ledger.knows(composed) && !ledger.knows(decomposed))
        #expect(ledger.balance(of: composed, holder: coop.value) == 100 && ledger.balance(of: decomposed, holder: coop.value) == 0)
        ledger.apply(EventFactory.ship(quantities: [QuantityElement(epcClass: decomposed, quantity: 60, uom: "KGM")], previous: [], at: at, from: coop, to: exporter),
                     signer: coop.value, digest: "s")
        #expect(ledger.balance(of: composed, holder: coop.value) == 100, "shipping the other spelling takes nothing of this lot")
        #expect(ledger.holdings(of: coop.value).map(\.lot) == [composed])
    }

    @Test("a receipt of less than was already used of a shipment is a finding, and leaves nothing negative")
    func receiptAfterUse() throws {
        let lot = HoneyScenario.lot
        let (coop, exporter, importer) = (try GLN(SampleActor.honeyCoop.gln), try GLN(SampleActor.exporter.gln), try GLN(SampleActor.importerSingapore.gln))
        let at = try EPCISTime(parsing: "2026-04-13T08:00:00.000+07:00")
        let kilograms = { (quantity: Decimal) in [QuantityElement(epcClass: lot, quantity: quantity, uom: "KGM")] }
        var ledger = LotLedger()
        ledger.apply(EventFactory.harvest(lot: lot, quantity: 100, uom: "KGM", at: at, location: coop, harvestDate: "2026-04-12", plots: []), signer: coop.value, digest: "h")
        ledger.apply(EventFactory.ship(quantities: kilograms(100), previous: [], at: at, from: coop, to: exporter), signer: coop.value, digest: "s")
        ledger.apply(EventFactory.ship(quantities: kilograms(80), previous: [], at: at, from: exporter, to: importer), signer: exporter.value, digest: "t")
        ledger.apply(EventFactory.receive(quantities: kilograms(50), previous: [InputLink(record: "s", lot: lot)], at: at, from: coop, at: exporter),
                     signer: exporter.value, digest: "r")
        #expect(ledger.findings.map(\.record) == ["r"] && ledger.findings.first?.code == .massBalanceExceeded, "\(ledger.findings)")
        #expect(ledger.balance(of: lot, holder: exporter.value) == 0)
    }

    /// Lot A (honey: harvested, inspected by the certifier and tested by the laboratory) and lot
    /// B (of `categoryB`, never inspected), harvested by the cooperative, handed to the exporter,
    /// packed onto one pallet and shipped to the importer: the bundle of `subject`.
    func sharedPallet(categoryB: String, organicB: Bool = false, subject: (_ a: String, _ b: String, _ unit: String) -> String) throws -> ProvenanceBundle {
        let (coop, certifier, lab, exporter, importer) = (try pki.signer(.honeyCoop), try pki.signer(.certifier), try pki.signer(.laboratory),
                                                          try pki.signer(.exporter), try pki.signer(.importerSingapore))
        let gln = { (actor: SampleActor) throws in try GLN(actor.gln) }
        let a = HoneyScenario.lot, b = DigitalLink.lot(try GTIN("08936000120054"), lot: "JG-1").uri, sscc = try SSCC("089360001000000025")
        let unit = DigitalLink.logisticUnit(sscc).uri
        func at(_ hour: Int) throws -> EPCISTime { try EPCISTime(parsing: "2026-04-12T\(10 + hour):00:00.000+07:00") }
        func kilograms(_ lot: String, _ quantity: Decimal) -> QuantityElement { QuantityElement(epcClass: lot, quantity: quantity, uom: "KGM") }
        let harvestA = try coop.sign(EventFactory.harvest(lot: a, quantity: 100, uom: "KGM", at: try at(0), location: try gln(.honeyCoop),
                                                          harvestDate: "2026-04-12", plots: [], category: "honey"))
        let harvestB = try coop.sign(EventFactory.harvest(lot: b, quantity: 50, uom: "KGM", at: try at(0), location: try gln(.honeyCoop),
                                                          harvestDate: "2026-04-12", plots: [], organicCertificate: organicB ? "VC-ORG-9" : nil,
                                                          category: categoryB))
        let inspected = try certifier.sign(EventFactory.inspection(lot: a, previous: harvestA.digest, at: try at(1), location: try gln(.certifier), conformant: true))
        let tested = try lab.sign(EventFactory.inspection(lot: a, previous: inspected.digest, at: try at(2), location: try gln(.laboratory), conformant: true,
                                                          measurements: [Measurement("moisture", 18, "P1"), Measurement("HMF", 10, "mg/kg")]))
        let handed = try coop.sign(EventFactory.ship(quantities: [kilograms(a, 100), kilograms(b, 50)],
                                                     previous: [InputLink(record: tested.digest, lot: a), InputLink(record: harvestB.digest, lot: b)],
                                                     at: try at(3), from: try gln(.honeyCoop), to: try gln(.exporter)))
        let received = try exporter.sign(EventFactory.receive(quantities: [kilograms(a, 100), kilograms(b, 50)],
                                                              previous: [InputLink(record: handed.digest, lot: a), InputLink(record: handed.digest, lot: b)],
                                                              at: try at(4), from: try gln(.honeyCoop), at: try gln(.exporter)))
        let packed = try exporter.sign(EventFactory.pack(into: sscc, contents: [(a, 100, "KGM", received.digest), (b, 50, "KGM", received.digest)],
                                                         at: try at(5), location: try gln(.exporter)))
        let shipped = try exporter.sign(EventFactory.ship(units: [unit], previous: [InputLink(record: packed.digest, lot: unit)], at: try at(6),
                                                          from: try gln(.exporter), to: try gln(.importerSingapore)))
        let arrived = try importer.sign(EventFactory.receive(units: [unit], previous: [InputLink(record: shipped.digest, lot: unit)], at: try at(7),
                                                             from: try gln(.exporter), at: try gln(.importerSingapore)))
        return ProvenanceBundle(subject: subject(a, b, unit), records: [harvestA, harvestB, inspected, tested, handed, received, packed, shipped, arrived],
                                certificates: [coop, certifier, lab, exporter, importer].map(\.certificate.derRepresentation) + [pki.issuing.certificate.derRepresentation],
                                crls: [pki.crl.derRepresentation])
    }

    @Test("what shared a pallet with the goods neither takes them out of their policy nor stands in for their steps")
    func palletMatesDoNotCount() throws {
        // The inspected lot: its own honey policy, met.
        let a = try Fixtures.verify(try sharedPallet(categoryB: "herb") { a, _, _ in a })
        #expect(a.policy == "honey" && a.level == .trusted, "\(a.journeyText())")
        // A lot never inspected, travelling with one that was: the other's inspections are not its own.
        let b = try Fixtures.verify(try sharedPallet(categoryB: "honey") { _, b, _ in b })
        #expect(b.policy == "honey" && b.level == .invalid, "\(b.journeyText())")
        #expect(b.findings.filter { $0.code == .stepMissing }.map(\.message).allSatisfy { $0.contains("inspecting by a") }
                && b.findings.filter { $0.code == .stepMissing }.count == 2, "\(b.findings)")
        // B's buyer is shown A's records (the links need them) marked as another's goods; A's buyer sees B's harvest so marked.
        #expect(b.records.filter { $0.otherGoods == true }.map { $0.step ?? "" } == ["commissioning", "inspecting", "inspecting"], "\(b.journeyText())")
        #expect(b.journeyText().split(separator: "\n").filter { $0.hasSuffix("[other goods: shared a pallet or a shipment with these]") }.count == 3)
        #expect(a.records.filter { $0.otherGoods == true }.count == 1)
        // Herbs packed beside honey keep the herb policy (a bundle of two categories had none: packing a jar
        // of honey beside chilled beef took the beef out of its cold chain limits).
        let herb = try Fixtures.verify(try sharedPallet(categoryB: "herb") { _, b, _ in b })
        #expect(herb.policy == "herb" && herb.codes.contains("policy.stepMissing") && !herb.codes.contains("policy.limitExceeded"), "\(herb.findings)")
        // The pallet itself holds two categories: no one policy, and the buyer is told.
        let pallet = try Fixtures.verify(try sharedPallet(categoryB: "herb") { _, _, unit in unit })
        #expect(pallet.policy == nil && pallet.codes == ["policy.mixed"] && pallet.level == .trusted, "\(pallet.findings)")
        #expect(pallet.journeyText().contains("note [policy.mixed]"))
        #expect(try Fixtures.verify(try sharedPallet(categoryB: "honey") { _, _, unit in unit }).policy == "honey")
        // B claims organic with no certifier's inspection: refused for B and the pallet, not for A beside it.
        #expect(try Fixtures.verify(try sharedPallet(categoryB: "herb", organicB: true) { _, b, _ in b }).codes.contains("organic.brokenChain"))
        #expect(try Fixtures.verify(try sharedPallet(categoryB: "herb", organicB: true) { _, _, unit in unit }).codes.contains("organic.brokenChain"))
        let beside = try Fixtures.verify(try sharedPallet(categoryB: "herb", organicB: true) { a, _, _ in a })
        #expect(beside.level == .trusted && beside.findings.isEmpty, "\(beside.findings)")
    }

    @Test("a threshold counts distinct parties, not signatures")
    func thresholdCountsIdentities() throws {
        var policy = Policy.honey
        policy.requiredSteps[1].minSigners = 2
        var bundle = try HoneyScenario(pki: pki).bundle(crls: [pki.crl])
        // The certifier signs its inspection a second time with the same identity: still one party.
        let certifier = try pki.signer(.certifier)
        try certifier.countersign(&bundle.records[1])
        let options = VerificationOptions(trustAnchors: [pki.root.certificate], at: Fixtures.verifyTime, policy: policy)
        let report = BundleVerifier(options: options).verify(data: try bundle.jsonData())
        #expect(report.codes == ["policy.threshold"])
        // A second certifier identity (the laboratory is not one) would be needed; with minSigners 1 it passes.
        policy.requiredSteps[1].minSigners = 1
        #expect(BundleVerifier(options: VerificationOptions(trustAnchors: [pki.root.certificate], at: Fixtures.verifyTime, policy: policy))
            .verify(data: try bundle.jsonData()).level == .trusted)
    }

    @Test("a negative quantity is refused: shipping -50 kg must not make room for 50 kg that never existed")
    func negativeQuantity() throws {
        let coop = try pki.signer(.honeyCoop), lot = HoneyScenario.lot
        let (from, to) = (try GLN(SampleActor.honeyCoop.gln), try GLN(SampleActor.exporter.gln))
        let harvest = try coop.sign(EventFactory.harvest(lot: lot, quantity: 100, uom: "KGM", at: try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00"),
                                                         location: from, harvestDate: "2026-04-12", plots: []))
        func ship(_ kilograms: Decimal, after previous: Envelope, hour: Int) throws -> Envelope {
            try coop.sign(EventFactory.ship(quantities: [QuantityElement(epcClass: lot, quantity: kilograms, uom: "KGM")],
                                            previous: [InputLink(record: previous.digest, lot: lot)],
                                            at: try EPCISTime(parsing: "2026-04-13T0\(hour):00:00.000+07:00"), from: from, to: to))
        }
        let back = try ship(-50, after: harvest, hour: 7), out = try ship(150, after: back, hour: 8)
        let bundle = ProvenanceBundle(subject: lot, records: [harvest, back, out],
                                      certificates: [coop.certificate, pki.issuing.certificate].map(\.derRepresentation),
                                      crls: [pki.crl.derRepresentation])
        let report = BundleVerifier(options: VerificationOptions(trustAnchors: [pki.root.certificate], at: Fixtures.verifyTime),
                                    checks: [MassBalanceCheck()]).verify(data: try bundle.jsonData())
        #expect(report.codes == ["massBalance.exceeded", "massBalance.negative"])
        #expect(report.findings.first { $0.code == .massBalanceNegative }?.record == back.digest)
        #expect(report.level == .invalid)
        // Below zero by any amount, in any list; zero is not.
        var event = try EPCISEvent.decode(payload: back.payload)
        event.quantityList = [QuantityElement(epcClass: lot, quantity: 0), QuantityElement(epcClass: lot, quantity: 17.5)]
        #expect(event.negativeQuantity == nil)
        event.childQuantityList = [QuantityElement(epcClass: lot + "0", quantity: Decimal(string: "-0.001"))]
        #expect(event.negativeQuantity?.epcClass == lot + "0")
    }

    /// A harvest of 10 kg by the honey cooperative and a shipment of it, signed by `shipper`.
    func harvestAndShipment(shipper: SampleActor, quantity: Decimal, unit: String) throws -> ProvenanceBundle {
        let coop = try pki.signer(.honeyCoop), signer = try pki.signer(shipper)
        let lot = HoneyScenario.lot
        let harvest = try coop.sign(EventFactory.harvest(lot: lot, quantity: 10, uom: "KGM", at: try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00"),
                                                         location: try GLN(SampleActor.honeyCoop.gln), harvestDate: "2026-04-12", plots: []))
        let ship = try signer.sign(EventFactory.ship(
            quantities: [QuantityElement(epcClass: lot, quantity: quantity, uom: unit)], previous: [InputLink(record: harvest.digest, lot: lot)],
            at: try EPCISTime(parsing: "2026-04-13T07:20:00.000+07:00"), from: try GLN(SampleActor.honeyCoop.gln), to: try GLN(SampleActor.exporter.gln)))
        return ProvenanceBundle(subject: lot, records: [harvest, ship],
                                certificates: [coop.certificate, signer.certificate, pki.issuing.certificate].map(\.derRepresentation),
                                crls: [pki.crl.derRepresentation])
    }

    @Test("a shipment signed by someone other than the shipper is a party mismatch")
    func partyMismatch() throws {
        let report = try Fixtures.verifyWithoutPolicy(try harvestAndShipment(shipper: .exporter, quantity: 10, unit: "KGM"))
        #expect(report.codes == ["party.mismatch"])
        #expect(report.findings[0].message.contains("8936000100018"))
    }

    @Test("an imported shipment naming another party as the shipper draws nothing from that party's stock")
    func importedShipmentDrawsNothing() throws {
        let coop = try pki.signer(.honeyCoop), lab = try pki.signer(.laboratory), lot = HoneyScenario.lot
        let (coopGLN, labGLN) = (try GLN(SampleActor.honeyCoop.gln), try GLN(SampleActor.laboratory.gln))
        let harvest = try coop.sign(EventFactory.harvest(lot: lot, quantity: 100, uom: "KGM", at: try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00"),
                                                         location: coopGLN, harvestDate: "2026-04-12", plots: []))
        // The laboratory "imports" an event from some other system: the cooperative shipped all of it to the laboratory.
        var claim = EventFactory.ship(quantities: [QuantityElement(epcClass: lot, quantity: 100, uom: "KGM")],
                                      previous: [InputLink(record: harvest.digest, lot: lot)],
                                      at: try EPCISTime(parsing: "2026-04-13T07:00:00.000+07:00"), from: coopGLN, to: labGLN)
        claim.extensions["agt:imported"] = ["source": "erp", "by": .string(labGLN.value)]
        let imported = try lab.sign(claim)
        let genuine = try coop.sign(EventFactory.ship(quantities: [QuantityElement(epcClass: lot, quantity: 60, uom: "KGM")],
                                                      previous: [InputLink(record: harvest.digest, lot: lot)],
                                                      at: try EPCISTime(parsing: "2026-04-13T08:00:00.000+07:00"), from: coopGLN,
                                                      to: try GLN(SampleActor.exporter.gln)))
        let bundle = ProvenanceBundle(subject: lot, records: [harvest, imported, genuine],
                                      certificates: [coop.certificate, lab.certificate, pki.issuing.certificate].map(\.derRepresentation),
                                      crls: [pki.crl.derRepresentation])
        let report = BundleVerifier(options: VerificationOptions(trustAnchors: [pki.root.certificate], at: Fixtures.verifyTime),
                                    checks: [MassBalanceCheck()]).verify(data: try bundle.jsonData())
        #expect(report.codes.isEmpty, "the cooperative still holds its 100 kg: \(report.findings)")
        var ledger = LotLedger()
        for (record, signer) in [(harvest, coopGLN), (imported, labGLN), (genuine, coopGLN)] {
            ledger.apply(try EPCISEvent.decode(payload: record.payload), signer: signer.value, digest: record.digest)
        }
        #expect(ledger.balance(of: lot, holder: coopGLN.value) == 40)
    }

    @Test("a lot is created once: a second harvest of it, by its producer or another, is a finding on the second")
    func lotCreatedOnce() throws {
        let coop = try pki.signer(.honeyCoop), lot = HoneyScenario.lot, coopGLN = try GLN(SampleActor.honeyCoop.gln)
        func harvest(_ kilograms: Decimal, _ time: String) throws -> Envelope {
            try coop.sign(EventFactory.harvest(lot: lot, quantity: kilograms, uom: "KGM", at: try EPCISTime(parsing: time),
                                               location: coopGLN, harvestDate: "2026-04-12", plots: []))
        }
        let first = try harvest(100, "2026-04-12T07:30:00.000+07:00"), second = try harvest(900, "2026-04-12T09:30:00.000+07:00")
        let bundle = ProvenanceBundle(subject: lot, records: [first, second], certificates: [coop.certificate, pki.issuing.certificate].map(\.derRepresentation),
                                      crls: [pki.crl.derRepresentation])
        let report = BundleVerifier(options: VerificationOptions(trustAnchors: [pki.root.certificate], at: Fixtures.verifyTime),
                                    checks: [MassBalanceCheck()]).verify(data: try bundle.jsonData())
        #expect(report.codes == ["massBalance.recreated"])
        #expect(report.findings.first?.record == second.digest)
    }

    @Test("unpacking gives back what a unit holds and no more: unpacking what was never packed makes no stock")
    func unpackingBalances() throws {
        let coop = try pki.signer(.honeyCoop), lot = HoneyScenario.lot, coopGLN = try GLN(SampleActor.honeyCoop.gln)
        let unit = try SSCC("089360001000000018")
        func time(_ hour: Int) throws -> EPCISTime { try EPCISTime(parsing: "2026-04-13T0\(hour):00:00.000+07:00") }
        let harvest = try coop.sign(EventFactory.harvest(lot: lot, quantity: 100, uom: "KGM", at: try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00"),
                                                         location: coopGLN, harvestDate: "2026-04-12", plots: []))
        let pack = try coop.sign(EventFactory.pack(into: unit, contents: [(lot, 60, "KGM", harvest.digest)], at: try time(7), location: coopGLN))
        func unpack(_ kilograms: Decimal) throws -> Envelope {
            try coop.sign(EventFactory.unpack(unit, contents: [QuantityElement(epcClass: lot, quantity: kilograms, uom: "KGM")],
                                              previous: pack.digest, packing: pack.digest, at: try time(8), location: coopGLN))
        }
        func findings(_ unpacking: Envelope) throws -> Set<String> {
            let bundle = ProvenanceBundle(subject: lot, records: [harvest, pack, unpacking],
                                          certificates: [coop.certificate, pki.issuing.certificate].map(\.derRepresentation), crls: [pki.crl.derRepresentation])
            return BundleVerifier(options: VerificationOptions(trustAnchors: [pki.root.certificate], at: Fixtures.verifyTime),
                                  checks: [MassBalanceCheck()]).verify(data: try bundle.jsonData()).codes
        }
        #expect(try findings(try unpack(60)).isEmpty)
        #expect(try findings(try unpack(90)) == ["massBalance.exceeded"])
    }

    @Test("a shipment stated in other units of mass is weighed exactly against the 10 kg harvest", arguments: [
        ("10000", "GRM", true), ("10000.001", "GRM", false), ("0.1", "DTN", true), ("0.01", "TNE", true),
        ("352", "ONZ", true), ("353", "ONZ", false), ("22.046", "LBR", true), ("22.047", "LBR", false),
    ])
    func massInOtherUnits(quantity: String, unit: String, balances: Bool) throws {
        let report = try Fixtures.verifyWithoutPolicy(try harvestAndShipment(shipper: .honeyCoop, quantity: Decimal(string: quantity) ?? 0, unit: unit))
        #expect(report.codes == (balances ? [] : ["massBalance.exceeded"]), "\(quantity) \(unit)")
    }

    @Test("units convert by their exact definitions, only within their dimension")
    func unitConversions() {
        #expect(UnitOfMeasure.known.count == 40)
        #expect(UnitOfMeasure.known.values.allSatisfy { $0.factor > 0 })
        // Every code, the kilogram too (found without the table), is the table's unit.
        #expect(UnitOfMeasure.known.allSatisfy { UnitOfMeasure.of($0.key) == $0.value })
        #expect(UnitOfMeasure.of(nil) == UnitOfMeasure.known["H87"] && UnitOfMeasure.of("BX").dimension == "unit:BX")
        #expect(UnitOfMeasureName.convert(1, from: "GLL", to: "LTR") == Decimal(string: "3.785411784"))
        #expect(UnitOfMeasureName.convert(2, from: "GLI", to: "PTI") == 16)
        #expect(UnitOfMeasureName.convert(1, from: "GRO", to: "DZN") == 12)
        #expect(UnitOfMeasureName.convert(3, from: "PR", to: "H87") == 6)
        #expect(UnitOfMeasureName.convert(1, from: "MTQ", to: "HLT") == 10)
        #expect(UnitOfMeasureName.convert(1, from: "STN", to: "LBR") == 2000)
        #expect(UnitOfMeasureName.convert(1, from: "KGM", to: "LTR") == nil)
        #expect(UnitOfMeasureName.convert(1, from: "DZN", to: "KGM") == nil)
        #expect(UnitOfMeasureName.convert(5, from: "BX", to: "BX") == 5)
        #expect(UnitOfMeasureName.convert(5, from: "BX", to: "H87") == nil)
    }

    @Test("the journey shows quantities as people read them; a code AgriTrace does not know stays as it is")
    func quantitiesForPeople() throws {
        let pounds = try Fixtures.verifyWithoutPolicy(try harvestAndShipment(shipper: .honeyCoop, quantity: 22, unit: "LBR"))
        #expect(pounds.records.map(\.quantity) == ["10 kg", "22 lb"])
        #expect(pounds.journeyText().contains("— 22 lb to "))
        let boxes = try Fixtures.verifyWithoutPolicy(try harvestAndShipment(shipper: .honeyCoop, quantity: 5, unit: "BX"))
        #expect(boxes.records.map(\.quantity) == ["10 kg", "5 BX"])
        #expect(UnitOfMeasureName.text(3, "GLL") == "3 gal (US)")
        #expect(UnitOfMeasureName.text(2, nil) == "2 pieces")  // EPCIS: no unit, a count of instances
    }

    @Test("goods whose harvests declare no category with a built-in policy are verified under none, and the buyer is told; --no-policy asks for none")
    func noPolicyIsSaid() throws {
        let bundle = try harvestAndShipment(shipper: .honeyCoop, quantity: 10, unit: "KGM")
        let report = try Fixtures.verify(bundle)
        #expect(report.policy == nil && report.codes == ["policy.none"] && report.level == .trusted, "\(report.findings)")
        #expect(report.findings.first?.message.contains("declare no product category") == true && report.journeyText().contains("note [policy.none]"))
        #expect(try Fixtures.verifyWithoutPolicy(bundle).findings.isEmpty)
    }

    @Test("quantities in units that do not convert are refused")
    func unitMismatch() throws {
        #expect(try Fixtures.verifyWithoutPolicy(try harvestAndShipment(shipper: .honeyCoop, quantity: 8, unit: "LTR")).codes == ["massBalance.unit"])
    }

    @Test("a yield exactly at either end of the tolerance passes; the least step outside it is massBalance.yield, with the ratio in its message")
    func yieldBoundaries() throws {
        let location = try GLN(SampleActor.honeyCoop.gln), time = try EPCISTime(parsing: "2026-11-03T07:00:00.000+07:00")
        let tolerance = Policy.YieldTolerance(min: Decimal(string: "0.35")!, max: Decimal(string: "0.9")!)
        func problem(_ input: String, _ output: String) -> (code: TraceError.Code, severity: Finding.Severity, message: String)? {
            let event = EventFactory.transform(
                inputs: [(QuantityElement(epcClass: "https://id.gs1.org/01/08936000120023/10/A", quantity: Decimal(string: input), uom: "KGM"), "sha256:" + String(repeating: "a", count: 64))],
                outputs: [QuantityElement(epcClass: "https://id.gs1.org/01/08936000120078/10/B", quantity: Decimal(string: output), uom: "KGM")],
                at: time, location: location)
            return LotLedger.yieldProblem(of: event, tolerance: tolerance)
        }
        #expect(problem("1000", "350") == nil && problem("1000", "900") == nil && problem("3", "1.05") == nil)
        #expect(problem("1000", "349.999")?.code == .massBalanceYield && problem("1000", "900.001")?.code == .massBalanceYield)
        #expect(problem("3", "2.7000001")?.code == .massBalanceYield && problem("3", "1.0499999")?.code == .massBalanceYield)
        #expect(problem("1000", "901")?.message.contains("a yield of 0.901") == true)
        #expect(problem("1000", "0") != nil && problem("0.000001", "1") != nil)
    }

    @Test("juicing kilograms of oranges into litres is a note that the yield went unchecked, not a problem; too much juice from litres is")
    func yieldAcrossUnits() throws {
        let coop = try pki.signer(.honeyCoop), location = try GLN(SampleActor.honeyCoop.gln)
        let oranges = "https://id.gs1.org/01/08936000120023/10/HY-1", juice = "https://id.gs1.org/01/08936000120078/10/JU-1"
        let harvest = try coop.sign(EventFactory.harvest(lot: oranges, quantity: 100, uom: "KGM", at: try EPCISTime(parsing: "2026-11-02T07:00:00.000+07:00"),
                                                         location: location, harvestDate: "2026-11-01", plots: []))
        func juicing(_ litres: Decimal, from unit: String = "KGM") throws -> VerificationReport {
            let transform = try coop.sign(EventFactory.transform(
                inputs: [(QuantityElement(epcClass: oranges, quantity: 100, uom: unit), harvest.digest)],
                outputs: [QuantityElement(epcClass: juice, quantity: litres, uom: "LTR")],
                at: try EPCISTime(parsing: "2026-11-03T07:00:00.000+07:00"), location: location))
            return try Fixtures.verifyWithoutPolicy(ProvenanceBundle(subject: juice, records: [harvest, transform],
                                                        certificates: [coop.certificate, pki.issuing.certificate].map(\.derRepresentation),
                                                        crls: [pki.crl.derRepresentation]))
        }
        let juiced = try juicing(55)
        #expect(juiced.level == .trusted && juiced.codes == ["massBalance.unit"] && juiced.findings.allSatisfy { $0.severity == .warning }, "\(juiced.findings)")
        #expect(juiced.findings.first?.message.contains("the yield is not checked") == true)
        #expect(try juicing(120).level == .trusted)  // litres from kilograms: nothing to compare them by
        let overflowing = try juicing(120, from: "LTR")  // 100 L in, 120 L out
        #expect(overflowing.level == .invalid && overflowing.codes.contains("massBalance.yield"), "\(overflowing.findings)")
    }

    @Test("a lot a laboratory found non-conformant is refused with no limit broken and under no policy; a later conformant test by a laboratory leaves a note")
    func nonConformantLot() throws {
        var honey = try HoneyScenario(pki: pki)
        honey.labConformant = false  // moisture 17.8 %, within every limit: the laboratory failed it for what it does not measure
        let failed = try Fixtures.verify(try honey.bundle(crls: [pki.crl]))
        #expect(failed.level == .invalid && failed.codes == ["lot.nonConformant"], "\(failed.findings)")
        #expect(failed.findings.first?.message.hasPrefix("Northern Food Testing Laboratory found \(HoneyScenario.lot) non-conformant (moisture 17.8 %") == true)
        // The verdict says what is wrong: the goods, not the provenance.
        #expect(failed.journeyText().hasSuffix("Result: INVALID — the goods failed an inspection: do not sell or consume them.\n"), "\(failed.journeyText())")
        var options = VerificationOptions(trustAnchors: [pki.root.certificate], at: Fixtures.verifyTime)
        options.automaticPolicy = false
        #expect(BundleVerifier(options: options).verify(data: try honey.bundle(crls: [pki.crl]).jsonData()).codes == ["lot.nonConformant"])
        // A certifier's later pass does not answer a laboratory's failure.
        honey.retest = ("2026-04-18T18:00:00.000+07:00", try pki.signer(.certifier))
        let certified = try Fixtures.verify(try honey.bundle(crls: [pki.crl]))
        #expect(certified.level == .invalid && certified.codes.contains("lot.nonConformant"), "\(certified.findings)")
        // The laboratory testing the lot again does: the buyer still reads both.
        honey.retest = ("2026-04-18T18:00:00.000+07:00", try pki.signer(.laboratory))
        let retested = try Fixtures.verify(try honey.bundle(crls: [pki.crl]))
        #expect(retested.level == .trusted, "\(retested.findings)")
        #expect(retested.findings.map(\.code) == ["lot.nonConformant"] && retested.findings.first?.severity == .warning)
        #expect(retested.findings.first?.message.hasSuffix("; Northern Food Testing Laboratory found it conformant on 2026-04-18") == true)
    }

    @Test("goods a record of their history declares recalled are refused")
    func recalledLot() throws {
        var bundle = try Fixtures.scenario.bundle(crls: [pki.crl])
        let coop = try pki.signer(.honeyCoop)
        let harvest = try #require(bundle.records.first)
        let hostileReason = String(repeating: "x", count: 5000)  // a verification keeps 200 characters of it
        bundle.records.append(try coop.sign(EventFactory.recall(lot: HoneyScenario.lot, previous: harvest.digest,
                                                                 at: try EPCISTime(parsing: "2026-05-03T09:00:00.000+07:00"),
                                                                 location: try GLN(SampleActor.honeyCoop.gln), reason: hostileReason)))
        let report = try Fixtures.verify(bundle)
        #expect(report.level == .invalid && report.codes.contains("lot.recalled"), "\(report.findings)")
        #expect(report.journeyText().hasSuffix("Result: INVALID — the goods were recalled: do not sell or consume them.\n"), "\(report.journeyText())")
        #expect(report.findings.contains { $0.message.hasSuffix("recalled \(HoneyScenario.lot) on 2026-05-03: " + String(repeating: "x", count: 200)) })
        // Goods found non-conformant by a step that is no inspection (another system's) say so too.
        var held = EventFactory.recall(lot: HoneyScenario.lot, previous: harvest.digest, at: try EPCISTime(parsing: "2026-05-04T09:00:00.000+07:00"),
                                       location: try GLN(SampleActor.honeyCoop.gln), reason: "")
        held.disposition = "non_conformant"
        held.extensions = [:]
        bundle.records.append(try coop.sign(held))
        #expect(try Fixtures.verify(bundle).findings.contains { $0.code == "lot.nonConformant" && $0.message.contains("\(HoneyScenario.lot) non-conformant on 2026-05-04") })
    }

    @Test("a recall by a party that never made, moved, held or examined the goods is a note, not a refusal")
    func unfoundedRecall() throws {
        var bundle = try Fixtures.scenario.bundle(crls: [pki.crl])
        let harvest = try #require(bundle.records.first)
        func recall(by actor: SampleActor) throws -> Envelope {
            try pki.signer(actor).sign(EventFactory.recall(lot: HoneyScenario.lot, previous: harvest.digest,
                                                          at: try EPCISTime(parsing: "2026-05-03T09:00:00.000+07:00"),
                                                          location: try GLN(actor.gln), reason: "sabotage"))
        }
        bundle.certificates += try [.orangeCoop, .importerSingapore].map { try pki.signer($0).certificate.derRepresentation }
        // The orange cooperative never touched the honey: its recall is noted, the buyer still trusts the lot.
        bundle.records.append(try recall(by: .orangeCoop))
        let report = try Fixtures.verify(bundle)
        #expect(report.level == .trusted && report.codes == ["lot.recallUnfounded"], "\(report.findings.map { "\($0.code) \($0.message)" })")
        #expect(report.findings.first?.severity == .warning
                && report.findings.first?.message.contains("signed no other record of it in this bundle") == true, "\(report.findings)")
        // The importer, which received the lot, is heard.
        bundle.records.append(try recall(by: .importerSingapore))
        let heard = try Fixtures.verify(bundle)
        #expect(heard.level == .invalid && heard.codes.contains("lot.recalled") && heard.codes.contains("lot.recallUnfounded"), "\(heard.findings.map { "\($0.code) \($0.message)" })")
    }

    @Test("a record signed before its signer's revocation is a note, or refused under strict revocation")
    func revokedLater() throws {
        let collector = try pki.signer(.revokedHerbs)
        let lot = "https://id.gs1.org/01/08936000120054/10/QB-2026-001"
        let harvest = try collector.sign(EventFactory.harvest(lot: lot, quantity: 50, uom: "KGM", at: try EPCISTime(parsing: "2026-02-15T07:00:00.000+07:00"),
                                                              location: try GLN(SampleActor.revokedHerbs.gln), harvestDate: "2026-02-15", plots: []))
        let bundle = ProvenanceBundle(subject: lot, records: [harvest], certificates: [collector.certificate, pki.issuing.certificate].map(\.derRepresentation),
                                      crls: [pki.crl.derRepresentation])
        let lenient = try Fixtures.verifyWithoutPolicy(bundle)
        #expect(lenient.level == .trusted)
        #expect(lenient.findings.map(\.code) == ["certificate.revokedLater"] && lenient.findings[0].severity == .warning)
        // Both times in the event's own zone, to be compared at a glance.
        #expect(lenient.findings[0].message.contains("was revoked on 2026-03-01T07:00:00.000+07:00, after this event of 2026-02-15T07:00:00.000+07:00"),
                "\(lenient.findings[0].message)")
        let strict = BundleVerifier(options: VerificationOptions(trustAnchors: [pki.root.certificate], at: Fixtures.verifyTime, strictRevocation: true))
            .verify(data: try bundle.jsonData())
        #expect(strict.level == .invalid)
    }

    @Test("broken policy files are refused with what and where", arguments: [
        (#"{"agritracePolicy": 2, "name": "x", "category": "x", "stepRoles": {}, "requiredSteps": []}"#, "policy.version"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {}}"#, "requiredSteps"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {"inspecting": ["wizard"]}, "requiredSteps": []}"#, "stepRoles"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {}, "requiredSteps": [], "yieldTolerance": {"min": 2, "max": 1}}"#, "yieldTolerance"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {}, "requiredSteps": [], "yieldTolerance": {"min": -1, "max": 1}}"#, "yieldTolerance"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {}, "requiredSteps": [], "clockSkewSeconds": -100}"#, "clockSkewSeconds"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {}, "requiredSteps": [], "clockSkewSeconds": 1e20}"#, "clockSkewSeconds"),
        ("[]", "policy.malformed"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {}, "requiredSteps": [{"step": "inspecting", "roles": [], "minSigners": -3}]}"#,
         "requiredSteps[0].minSigners must be 1 to 1000, not -3"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {}, "requiredSteps": [{"step": "", "roles": []}]}"#, "requiredSteps[0].step is empty"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {}, "requiredSteps": [], "stepLimits": {"transporting": [{"measurement": "temperature", "min": 8, "max": 4}]}}"#,
         "stepLimits.transporting[0] has min 8 over max 4"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {}, "requiredSteps": [], "stepLimits": {"transporting": [{"measurement": ""}]}}"#,
         "stepLimits.transporting[0].measurement is empty"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {}, "requiredSteps": [], "stepLimits": {"transporting": {"max": 4}}}"#, "stepLimits"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {}, "requiredSteps": [{"step": "inspecting", "roles": [], "limits": [{"measurement": "HMF", "min": 40, "max": 10}]}]}"#,
         "requiredSteps[0].limits[0] has min 40 over max 10"),
        (#"{"agritracePolicy": 1, "name": "x", "category": "x", "stepRoles": {}, "requiredSteps": [{"step": "inspecting", "roles": [], "limits": [{"measurement": "HMF", "max": "x"}]}]}"#,
         "requiredSteps[0].limits[0].max must be a number"),
        ("", "is not a policy file"), ("null", "is not a policy file"), ("-----BEGIN CERTIFICATE-----", "is not a policy file"),
    ])
    func brokenPolicies(json: String, expected: String) {
        #expect { try Policy.decode(Data(json.utf8)) } throws: { "\($0)".contains(expected) }
    }
}
