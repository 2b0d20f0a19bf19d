import Foundation
import Testing
@testable import AgriTrace
import TestSupport
import TraceCrypto

@Suite("Tampered bundles")
struct TamperingTests {
    @Test("each tampered sample gives its code and level", arguments: TamperedSample.allCases)
    func tamperedSample(sample: TamperedSample) throws {
        let report = try Fixtures.verify(try sample.make(pki: Fixtures.pki))
        #expect(report.codes.contains(sample.expectedCode.rawValue), "\(sample): \(report.codes)")
        #expect(report.level == sample.expectedLevel)
    }

    @Test("the committed samples verify as Samples/honey/tampered/expected.json says")
    func committedSamples() throws {
        let root = repositoryRoot
        let anchors = try Certificate.all(fileAt: root.appendingPathComponent("Certificates/root-ca.pem"))
        let verifier = BundleVerifier(options: VerificationOptions(trustAnchors: anchors))
        let clean = verifier.verify(contentsOf: root.appendingPathComponent("Samples/honey/honey.provenance.json"))
        #expect(clean.level == .trusted, "\(clean.journeyText())")
        let tampered = root.appendingPathComponent("Samples/honey/tampered")
        let expected = try JSONDecoder().decode([String: [String: String]].self, from: Data(contentsOf: tampered.appendingPathComponent("expected.json")))
        #expect(expected.count == TamperedSample.allCases.count)
        for (name, want) in expected {
            let report = verifier.verify(contentsOf: tampered.appendingPathComponent("\(name).provenance.json"))
            #expect(report.codes.contains(want["code"] ?? "?"), "\(name): \(report.codes)")
            #expect(report.level.rawValue == want["level"], "\(name)")
        }
    }

    @Test("flipping any of hundreds of bytes in payloads and signatures never yields trusted")
    func mutationNeverTrusted() throws {
        let bundle = Fixtures.bundle
        let verifier = Fixtures.verifier()
        var mutations = 0
        for index in bundle.records.indices {
            let payload = bundle.records[index].payload
            let signature = bundle.records[index].signatures[0].sig
            // Every 7th payload byte (hundreds per record) and every signature byte.
            for position in stride(from: 0, to: payload.count, by: 7) {
                var copy = bundle
                copy.records[index].payload[position] ^= 0x20
                let report = verifier.verify(data: try copy.jsonData())
                #expect(report.level != .trusted, "payload byte \(position) of record \(index)")
                mutations += 1
            }
            for position in signature.indices {
                var copy = bundle
                copy.records[index].signatures[0].sig[position] ^= 0x01
                let report = verifier.verify(data: try copy.jsonData())
                #expect(report.level == .invalid, "signature byte \(position) of record \(index)")
                mutations += 1
            }
        }
        #expect(mutations > 1000)
    }

    @Test("an untrusted anchor set makes the clean bundle valid, not trusted")
    func otherAnchors() throws {
        let other = try TamperedSample.impostor(like: Fixtures.pki.signer(.exporter)).chain
        let report = Fixtures.verifier(anchors: other).verify(data: try Fixtures.bundle.jsonData())
        #expect(report.level == .valid)
        #expect(report.codes == ["certificate.untrusted"])
        // Names that no trusted certificate vouches for are not shown as whom goods went to: GLNs are.
        let shipments = report.records.filter { $0.step == "shipping" || $0.step == "receiving" }
        #expect(shipments.count == 4 && shipments.allSatisfy { $0.source == nil && $0.destination == nil && $0.destinationGLN != nil })
        #expect(report.journeyText().contains("— 1200 kg to GLN 8936000100070\n"))
    }

    @Test("a record signed after the verification time is reported as in the future")
    func futureEvent() throws {
        let report = BundleVerifier(options: VerificationOptions(trustAnchors: [Fixtures.pki.root.certificate], at: date("2026-04-20T00:00:00Z")))
            .verify(data: try Fixtures.bundle.jsonData())
        #expect(report.codes.contains("event.future"))
        #expect(report.level == .invalid)
    }

    @Test("links pointing backwards in time beyond the clock skew are refused")
    func timeOrder() throws {
        let pki = Fixtures.pki
        let producer = try pki.signer(.honeyCoop), exporter = try pki.signer(.exporter)
        let lot = HoneyScenario.lot
        let (harvest, ship) = try Self.harvestAndShipment(shippedAt: "2026-04-12T07:20:00.000+07:00")
        let bundle = ProvenanceBundle(subject: lot, records: [harvest, ship],
                                      certificates: [producer.certificate, exporter.certificate, pki.issuing.certificate].map(\.derRepresentation),
                                      crls: [pki.crl.derRepresentation])
        let report = try Fixtures.verifyWithoutPolicy(bundle)
        #expect(report.codes == ["link.timeOrder"])
        let skewed = BundleVerifier(options: VerificationOptions(trustAnchors: [pki.root.certificate], at: Fixtures.verifyTime, clockSkew: 900))
        #expect(skewed.verify(data: try bundle.jsonData()).level == .trusted)
    }

    @Test("a reading dated after its record, or before the goods came where it was taken (their shipment, looking through other logs and inspections), is refused; an unreadable time is event.invalid")
    func readingTimes() throws {
        let pki = Fixtures.pki
        let producer = try pki.signer(.honeyCoop), carrier = try pki.signer(.carrier)
        let certifier = try pki.signer(.certifier), lab = try pki.signer(.laboratory)
        let lot = HoneyScenario.lot
        let (harvest, ship) = try Self.harvestAndShipment(shippedAt: "2026-04-13T06:00:00.000+07:00")
        func reports(_ times: [String]) -> JSONValue {
            [["sensorReport": .array(times.map { .object(["type": "agt:temperature", "value": .number(3), "uom": "CEL", "time": .string($0)]) })]]
        }
        func verify(_ records: [Envelope], clockSkew: TimeInterval = 300) throws -> VerificationReport {
            let bundle = ProvenanceBundle(subject: lot, records: records,
                                          certificates: [producer, carrier, certifier, lab].map(\.certificate.derRepresentation) + [pki.issuing.certificate.derRepresentation],
                                          crls: [pki.crl.derRepresentation])
            var options = VerificationOptions(trustAnchors: [pki.root.certificate], at: Fixtures.verifyTime, clockSkew: clockSkew)
            options.automaticPolicy = false
            return BundleVerifier(options: options).verify(data: try bundle.jsonData())
        }
        /// The carrier's log of readings at `times`, recorded at `at` on the day of shipping, following `previous`.
        func leg(_ times: [String], at: String = "18:00", after previous: Envelope = ship) throws -> Envelope {
            var event = EventFactory.transport(units: [lot], previous: [InputLink(record: previous.digest, lot: lot)],
                                               at: try EPCISTime(parsing: "2026-04-13T\(at):00.000+07:00"), location: try GLN(SampleActor.carrier.gln))
            event.sensorElementList = reports(times)
            return try carrier.sign(event)
        }
        #expect(try verify([harvest, ship, try leg(["2026-04-13T06:30:00+07:00", "2026-04-13T17:59:00+07:00"])]).level == .trusted)
        let late = try verify([harvest, ship, try leg(["2026-04-13T10:00:00+07:00", "2026-04-14T09:00:00+07:00", "2026-04-14T11:00:00+08:00"])])
        #expect(late.codes == ["measurement.timeOrder"])
        #expect(late.findings.first?.message.hasPrefix("2 of 3 readings have a time after the record itself (2026-04-13T18:00:00.000+07:00), up to 2026-04-14T11:00:00+08:00") == true)
        let early = try verify([harvest, ship, try leg(["2026-04-12T22:00:00Z", "2026-04-13T12:00:00+07:00"])])  // 05:00 in Viet Nam, before the 06:00 shipment
        #expect(early.codes == ["measurement.timeOrder"])
        #expect(early.findings.first?.message.contains("1 of 2 readings has a time before the goods came to be where they were measured (2026-04-13T06:00:00.000+07:00") == true)
        // A second log, of the whole day, after one uploaded at noon: its readings before noon are still of this trip; before the shipment they are not.
        let noon = try leg(["2026-04-13T07:00:00+07:00"], at: "12:00")
        #expect(try verify([harvest, ship, noon, try leg(["2026-04-13T06:30:00+07:00", "2026-04-13T17:00:00+07:00"], after: noon)]).level == .trusted)
        #expect(try verify([harvest, ship, noon, try leg(["2026-04-13T05:00:00+07:00"], after: noon)]).codes == ["measurement.timeOrder"])
        #expect(try verify([harvest, ship, try leg(["2026-04-13T18:10:00+07:00"])], clockSkew: 900).level == .trusted)  // within the clock skew
        let unreadable = try verify([harvest, ship, try leg(["yesterday", "2026-04-13T12:00:00+07:00"])])
        #expect(unreadable.codes == ["event.invalid"])
        #expect(unreadable.findings.first?.message.contains("1 of 2 readings has a time that is no EPCIS time") == true)
        // A laboratory's sample measured before the certifier's inspection it follows was signed, but after the harvest: sound.
        let inspection = try certifier.sign(EventFactory.inspection(lot: lot, previous: harvest.digest, at: try EPCISTime(parsing: "2026-04-12T12:00:00.000+07:00"),
                                                                    location: try GLN(SampleActor.certifier.gln), conformant: true))
        func labTest(measuredAt time: String, after previous: Envelope = inspection) throws -> Envelope {
            try lab.sign(EventFactory.inspection(lot: lot, previous: previous.digest, at: try EPCISTime(parsing: "2026-04-12T15:00:00.000+07:00"),
                                                 location: try GLN(SampleActor.laboratory.gln), conformant: true,
                                                 measurements: [Measurement("moisture", 17, "P1", time: time)]))
        }
        #expect(try verify([harvest, inspection, try labTest(measuredAt: "2026-04-12T10:00:00+07:00")]).level == .trusted)
        #expect(try verify([harvest, inspection, try labTest(measuredAt: "2026-04-12T07:00:00+07:00")]).codes == ["measurement.timeOrder"])
        // Nor does a write-off of part of the lot move the rest.
        let writeOff = try producer.sign(EventFactory.discard(quantities: [QuantityElement(epcClass: lot, quantity: 1, uom: "KGM")],
                                                              previous: [InputLink(record: harvest.digest, lot: lot)],
                                                              at: try EPCISTime(parsing: "2026-04-12T12:00:00.000+07:00"),
                                                              location: try GLN(SampleActor.honeyCoop.gln), reason: "a jar broke"))
        #expect(try verify([harvest, writeOff, try labTest(measuredAt: "2026-04-12T10:00:00+07:00", after: writeOff)]).level == .trusted)
    }

    /// The cooperative's harvest of 10 kg of the honey lot at 2026-04-12 07:30 (+07:00) and its
    /// shipment of them to the exporter at `shippedAt`, signed.
    static func harvestAndShipment(shippedAt: String) throws -> (harvest: Envelope, ship: Envelope) {
        let producer = try Fixtures.pki.signer(.honeyCoop)
        let lot = HoneyScenario.lot
        let gln = try GLN(SampleActor.honeyCoop.gln)
        let harvest = try producer.sign(EventFactory.harvest(lot: lot, quantity: 10, uom: "KGM", at: try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00"),
                                                             location: gln, harvestDate: "2026-04-12", plots: []))
        let ship = try producer.sign(EventFactory.ship(
            quantities: [QuantityElement(epcClass: lot, quantity: 10, uom: "KGM")], previous: [InputLink(record: harvest.digest, lot: lot)],
            at: try EPCISTime(parsing: shippedAt), from: gln, to: try GLN(SampleActor.exporter.gln)))
        return (harvest, ship)
    }

    @Test("a graph with a cycle is found and named, record by record")
    func cycleDetection() throws {
        func event(_ inputs: [String]) throws -> EPCISEvent {
            EPCISEvent(type: .objectEvent, eventTime: try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00"), action: .observe,
                       inputs: inputs.map { InputLink(record: $0, lot: "L") })
        }
        let graph = LinkGraph(events: ["a": try event([]), "b": try event(["a", "d"]), "c": try event(["b"]), "d": try event(["c"]), "e": try event(["d"])])
        #expect(Set(graph.oneCycle()) == ["b", "c", "d"])
        #expect(throws: TraceError.self) { try graph.topologicalOrder() }
        let dag = LinkGraph(events: ["a": try event([]), "b": try event(["a"]), "c": try event(["a", "b"])])
        #expect(try dag.topologicalOrder() == ["a", "b", "c"])
        #expect(dag.oneCycle().isEmpty)
    }
}
