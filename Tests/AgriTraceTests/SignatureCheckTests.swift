import Foundation
import Testing
@testable import AgriTrace
@testable import TraceCrypto

@Suite("Signature checks")
struct SignatureCheckTests {
    /// The honey bundle and 40 more harvests by the cooperative: 48 records, three runs of
    /// ``BundleVerifier/runLength``, with tampered records early, in the middle and last.
    static let tampered: (bundle: ProvenanceBundle, expected: [(TraceError.Code, String)]) = {
        do {
            var bundle = Fixtures.bundle
            for extra in 0..<40 {
                let time = try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00")
                let event = EventFactory.harvest(lot: HoneyScenario.lot + "X\(extra)", quantity: Decimal(10 + extra), uom: "KGM",
                                                 at: EPCISTime(date: time.date.addingTimeInterval(Double(extra) * 60), offsetMinutes: 420),
                                                 location: try GLN(SampleActor.honeyCoop.gln), harvestDate: "2026-04-12", plots: [])
                bundle.records.append(try Fixtures.scenario.harvester.sign(event))
            }
            #expect(bundle.records.count == 48)
            // A signature changed; a record signed by a key the bundle lacks, then changed; a payload
            // changed (its signature and its event hash both fail); the last record's signature changed.
            bundle.records[2].signatures[0].sig[20] ^= 1
            var stranger = bundle.records[20].signatures[0]
            stranger.keyid = String(repeating: "e", count: 64)
            bundle.records[20].signatures[0].sig[30] ^= 1
            bundle.records[20].signatures.insert(stranger, at: 0)
            let text = String(decoding: bundle.records[30].payload, as: UTF8.self)
            bundle.records[30].payload = Data(text.replacingOccurrences(of: "\"quantity\":32", with: "\"quantity\":33").utf8)
            bundle.records[40].signatures = []  // judged at once: nothing to verify
            bundle.records[47].signatures[0].sig[10] ^= 1
            let (early, middle, changed, last) = (bundle.records[2].digest, bundle.records[20].digest, bundle.records[30].digest, bundle.records[47].digest)
            return (bundle, [(.signatureInvalid, early), (.signatureUnknownKey, middle), (.signatureInvalid, middle),
                             (.signatureInvalid, changed), (.eventIDMismatch, changed), (.signatureMissing, bundle.records[40].digest),
                             (.signatureInvalid, last)])
        } catch { fatalError("tampered bundle: \(error)") }
    }()

    @Test("every signature is judged, and a record's findings come in the same order, whether its turn comes while the bundle is read or beside the context and the checks",
          arguments: [0, 1, 1_000])
    func deferredSignatures(backlog: Int) throws {
        var verifier = Fixtures.verifier()
        verifier.deferredBacklog = backlog
        let report = verifier.verify(data: try Self.tampered.bundle.jsonData())
        let integrity = report.findings.filter { $0.code.rawValue.hasPrefix("signature.") || $0.code == .eventIDMismatch }
        #expect(integrity.map(\.code) == Self.tampered.expected.map(\.0))
        #expect(integrity.map(\.record) == Self.tampered.expected.map(\.1))
        let coop = try Fixtures.pki.signer(.honeyCoop).certificate.partyName
        #expect(integrity[1].message.contains("eeeeeeeeeeeeeeee…") && integrity[2].message.contains(coop))
        #expect(report.level == .invalid)
        // All of the report, not only these findings, is the same however the work was spread.
        let whole = Fixtures.verifier().verify(data: try Self.tampered.bundle.jsonData())
        #expect(report.findings.map(\.message) == whole.findings.map(\.message))
        #expect(report.records.map(\.mark) == whole.records.map(\.mark))
    }

    @Test("a signer of more records than the table threshold is still judged record by record: altered signatures after it are found")
    func signerOfManyRecords() throws {
        var bundle = Fixtures.bundle
        let start = try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00")
        for extra in 0..<(FixedBaseVerifier.Adoption.threshold + 300) {
            let event = EventFactory.harvest(lot: HoneyScenario.lot + "M\(extra)", quantity: 10, uom: "KGM",
                                             at: EPCISTime(date: start.date.addingTimeInterval(Double(extra) * 60), offsetMinutes: 420),
                                             location: try GLN(SampleActor.honeyCoop.gln), harvestDate: "2026-04-12", plots: [])
            bundle.records.append(try Fixtures.scenario.harvester.sign(event))
        }
        let (first, second, last) = (bundle.records.count - 200, bundle.records.count - 100, bundle.records.count - 1)
        bundle.records[first].signatures[0].sig[12] ^= 1
        bundle.records[second].signatures[0].sig[40] ^= 0x80
        bundle.records[last].signatures[0].sig[bundle.records[last].signatures[0].sig.count - 1] ^= 1
        let report = Fixtures.verifier().verify(data: try bundle.jsonData())
        let invalid = report.findings.filter { $0.code == .signatureInvalid }
        #expect(invalid.map(\.record) == [first, second, last].map { bundle.records[$0].digest })
        #expect(!report.findings.contains { $0.code.rawValue.hasPrefix("signature.") && $0.code != .signatureInvalid })
    }

    @Test("without its signature check a verification finds none of the signature problems, and the rest the same")
    func withoutSignatureCheck() throws {
        let verifier = BundleVerifier(options: Fixtures.verifier().options, recordChecks: [EventHashCheck()])
        let report = verifier.verify(data: try Self.tampered.bundle.jsonData())
        #expect(report.findings.filter { $0.code.rawValue.hasPrefix("signature.") }.isEmpty)
        #expect(report.findings.filter { $0.code == .eventIDMismatch }.map(\.record) == [Self.tampered.expected[4].1])
    }

    @Test("only a signature to verify waits: a record with none, too many, or only keyids the bundle lacks is judged at once")
    func whatWaits() throws {
        let check = SignatureCheck(), bundle = Self.tampered.bundle
        let file = try BundleFile(data: try bundle.jsonData())
        let certificates = Dictionary(try bundle.certificates.map { try Certificate(der: $0) }.map { ($0.fingerprint.hexString, $0) },
                                      uniquingKeysWith: { first, _ in first })
        func pending(_ index: Int, _ change: (inout Envelope) -> Void = { _ in }) throws -> SignatureCheck.Pending {
            var envelope = try Envelope.parse(file.records[index])
            change(&envelope)
            let event = try EPCISEvent.decode(payload: envelope.payload)
            return check.pending(for: RecordUnderCheck(envelope: envelope, event: event, digest: envelope.digest, certificates: certificates, isCanonical: true))
        }
        let (signed, tampered, strangerFirst, unsigned) = (try pending(0), try pending(2), try pending(20), try pending(40))
        let stranger = try pending(0) { $0.signatures[0].keyid = String(repeating: "e", count: 64) }
        let tooMany = try pending(0) { $0.signatures = Array(repeating: $0.signatures[0], count: SignatureCheck.maximumSignatures + 1) }
        #expect(check.isCostly(signed) && check.isCostly(tampered) && check.isCostly(strangerFirst))
        #expect(!check.isCostly(unsigned) && !check.isCostly(stranger) && !check.isCostly(tooMany))
    }
}

@Suite("Side work")
struct SideWorkTests {
    @Test("every job runs once and its output comes back in the jobs' order; the body runs once, beside them", arguments: [0, 1, 2, 1_000])
    func jobsAndBody(count: Int) {
        final class Counter: @unchecked Sendable {
            let lock = NSLock()
            var runs: [Int: Int] = [:]
            func ran(_ job: Int) { lock.withLock { runs[job, default: 0] += 1 } }
        }
        let counter = Counter()
        let jobs: [@Sendable () -> String] = (0..<count).map { job in { counter.ran(job); return "job \(job)" } }
        let (body, outputs) = SideWork(jobs).run { () -> Int in
            counter.ran(-1)
            return 42
        }
        #expect(body == 42)
        #expect(outputs == (0..<count).map { "job \($0)" })
        #expect(counter.runs[-1] == 1)
        #expect(counter.runs.filter { $0.key >= 0 }.count == count && counter.runs.values.allSatisfy { $0 == 1 })
    }
}
