import Foundation
import Testing
@testable import AgriTrace
import TestSupport
import TraceCrypto

@Suite("Hostile and broken bundles")
struct BadInputTests {
    func verify(_ text: String) -> VerificationReport { Fixtures.verifier().verify(data: Data(text.utf8)) }

    @Test("unusable files are reported as unusable with a code", arguments: [
        ("", "bundle.malformed"), ("not json", "bundle.malformed"), ("[]", "bundle.malformed"),
        (#"{"agritraceBundle": 2, "subject": "x", "records": [], "certificates": []}"#, "bundle.version"),
        (#"{"agritraceBundle": "1", "subject": "x", "records": [], "certificates": []}"#, "bundle.malformed"),
        (#"{"subject": "x", "records": [], "certificates": []}"#, "bundle.malformed"),
        (#"{"agritraceBundle": 1, "subject": "x", "records": {}, "certificates": []}"#, "bundle.malformed"),
        (#"{"agritraceBundle": 1, "subject": "x", "records": [], "certificates": "[]"}"#, "bundle.malformed"),
        (#"{"agritraceBundle": 1, "subject": "x", "records": [[1, 2], {"a": [3]}, [], "#, "bundle.malformed"),
        (#"{"agritraceBundle": 1, "subject": "x", "records": [1 2], "certificates": []}"#, "bundle.malformed"),
        (#"{"agritraceBundle": 1, "subject": "x", "records": [], "certificates": []} trailing"#, "bundle.malformed"),
    ])
    func unusable(text: String, code: String) {
        let report = verify(text)
        #expect(report.unusable)
        #expect(report.level == .invalid)
        #expect(report.codes == [code])
    }

    @Test("a record over 4 MiB of payload, or 6 MiB of envelope, is record.tooLarge; the signer refuses to make one")
    func oversizedRecords() throws {
        func bundle(payload: Int, padding: Int = 0) -> String {
            let envelope = #"{"payloadType": "application/vnd.gs1.epcis+json", "payload": ""# + Data(count: payload).base64EncodedString()
                + #"", "signatures": []"# + String(repeating: " ", count: padding) + "}"
            return #"{"agritraceBundle": 1, "subject": "x", "certificates": [], "records": ["# + envelope + ", " + envelope + "]}"
        }
        let limit = Envelope.maximumPayloadBytes
        let over = verify(bundle(payload: limit + 1))
        #expect(over.level == .invalid && over.findings.filter { $0.code == .recordTooLarge }.map(\.record) == ["records[0]", "records[1]"])
        #expect(verify(bundle(payload: 100, padding: Envelope.maximumBytes)).findings.filter { $0.code == .recordTooLarge }.count == 2)
        #expect(!verify(bundle(payload: limit)).codes.contains("record.tooLarge"))
        let signer = try Fixtures.pki.signer(.honeyCoop)
        #expect(throws: TraceError.self) { try signer.sign(payload: Data(count: limit + 1)) }
        #expect((try? signer.sign(payload: Data(count: limit))) != nil)
    }

    @Test("a FIFO or device given as a bundle, trust anchor, key or policy is refused at once, not waited on")
    func specialFilesRefused() throws {
        let fifo = try temporaryDirectory().appendingPathComponent("bundle.fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        for path in [fifo.path, "/dev/zero"] {
            let url = URL(fileURLWithPath: path)
            let report = Fixtures.verifier().verify(contentsOf: url)
            #expect(report.unusable && report.codes == ["bundle.malformed"])
            #expect(throws: TraceError.self) { try BundleFile(contentsOf: url, mapped: false) }
            #expect(throws: CryptoError.self) { try Certificate.all(fileAt: url) }
            #expect(throws: CryptoError.self) { try PrivateKey(fileAt: url) }
            #expect(throws: TraceError.self) { try Policy.load(from: url) }
        }
    }

    @Test("a truncated bundle is unusable, at every cut")
    func truncated() throws {
        let data = try Fixtures.bundle.jsonData()
        for cut in stride(from: 1, to: data.count - 2, by: max(1, data.count / 97)) {
            let report = Fixtures.verifier().verify(data: data.prefix(cut))
            #expect(report.unusable && report.level == .invalid, "cut at \(cut)")
        }
    }

    @Test("10,000-deep nesting is refused, not a stack overflow")
    func deepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let report = verify(#"{"agritraceBundle": 1, "subject": "x", "records": [\#(deep)], "certificates": []}"#)
        #expect(report.unusable && report.findings.first?.message.contains("nesting") == true)
        let deepObjects = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(verify(deepObjects).unusable)
    }

    @Test("broken records are invalid with the record's position, and the rest still verify")
    func brokenRecords() throws {
        var text = String(decoding: try Fixtures.bundle.jsonData(), as: UTF8.self)
        let firstPayload = Fixtures.bundle.records[0].payload.base64EncodedString()
        text = text.replacingOccurrences(of: firstPayload, with: "!!!not base64!!!")
        let report = verify(text)
        #expect(report.level == .invalid)
        #expect(report.findings.contains { $0.code == .recordMalformed && $0.record == "records[0]" })
        #expect(report.records.count == Fixtures.bundle.records.count - 1)
    }

    @Test("an identifier or CBV word that is not ASCII, or a unit that is no UN/ECE code, is not signed, and makes a record signed anyway invalid; percent-encoded, it is a URI")
    func nonASCIIIdentifiers() throws {
        let signer = try Fixtures.pki.signer(.honeyCoop)
        let event = try EPCISEvent.decode(payload: Fixtures.bundle.records[0].payload)
        let notASCII = "is not ASCII", notUnit = "is not a UN/ECE Recommendation 20 unit code"
        for (field, says, edit) in [("bizLocation.id", notASCII, { (e: inout EPCISEvent) in e.bizLocation = Location(id: "urn:agt:place:Mèo-Vạc") }),
                                    ("epcList[0]", notASCII, { (e: inout EPCISEvent) in e.epcList = ["https://example.com/" + String(repeating: "\u{301}", count: 5000)] }),
                                    ("agt:inputs[0].lot", notASCII, { (e: inout EPCISEvent) in e.inputs = [InputLink(record: Fixtures.bundle.records[1].digest, lot: "lô")] }),
                                    ("bizStep", notASCII, { (e: inout EPCISEvent) in e.bizStep = "thu_hoạch" }),
                                    ("parentID", notASCII, { (e: inout EPCISEvent) in e.parentID = "é" }),  // one accented letter and nothing else
                                    ("sourceList[0].type", notASCII, { (e: inout EPCISEvent) in e.sourceList = [Source(type: "chủ", source: "https://id.gs1.org/417/8936000100018")] }),
                                    ("quantityList[0].uom kg", notUnit, { (e: inout EPCISEvent) in e.quantityList?[0].uom = "kg" }),
                                    ("quantityList[0].uom KGM\"}", notUnit, { (e: inout EPCISEvent) in e.quantityList?[0].uom = "KGM\"}" })] {
            var changed = event
            edit(&changed)
            #expect { try signer.sign(changed) } throws: { ($0 as? TraceError)?.code == .eventInvalid }  // the signer refuses it
            changed.eventID = try EventHash.eventID(for: changed)  // a hostile party signs the payload itself
            var bundle = Fixtures.bundle
            bundle.records[0] = try signer.sign(payload: try changed.payloadBytes())
            #expect(throws: TraceError.self) { try EPCISEvent.decode(payload: bundle.records[0].payload) }
            let report = try Fixtures.verify(bundle)
            #expect(report.level == .invalid)
            #expect(report.findings.contains { $0.code == .eventInvalid && $0.message.contains("\(field) \(says)") }, "\(field): \(report.findings)")
        }
        var encoded = event  // and a document number, which a clerk types, may be any text
        encoded.bizLocation = Location(id: "urn:agt:place:M%C3%A8o-V%E1%BA%A1c")
        encoded.bizTransactionList = [BizTransaction(type: "inv", bizTransaction: "urn:agritrace:inv:HĐ-0042")]
        let decoded = try EPCISEvent.decode(payload: try signer.sign(encoded).payload)
        #expect(decoded.bizLocation == encoded.bizLocation && decoded.bizTransactionList == encoded.bizTransactionList)
    }

    @Test("a canonical payload of ASCII bytes alone still has its units checked; one with any other byte has every identifier checked")
    func wireFormOfCanonicalPayloads() throws {
        var event = EventFactory.harvest(lot: "https://id.gs1.org/01/08936000120016/10/L1", quantity: 12, uom: "KGM",
                                         at: try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00"), location: try GLN("8936000100018"),
                                         harvestDate: "2026-04-12", plots: [])
        event.eventID = try EventHash.eventID(for: event)
        func read(_ event: EPCISEvent) throws -> (payloadIsASCII: Bool, event: EPCISEvent) {
            let payload = try event.payloadBytes()
            let read = try EPCISEvent.read(payload: payload)
            #expect(read.isCanonical)
            return (payload.allSatisfy { $0 < 0x80 }, read.event)
        }
        #expect(try read(event) == (true, event))
        var badUnit = event
        badUnit.quantityList?[0].uom = "kg"
        #expect(try badUnit.payloadBytes().allSatisfy { $0 < 0x80 })
        #expect { try read(badUnit) } throws: { ($0 as? TraceError)?.message.contains("quantityList[0].uom kg is not a UN/ECE") == true }
        for (field, edit) in [("epcList[0]", { (e: inout EPCISEvent) in e.epcList = ["urn:agt:lô"] }),
                              ("quantityList[0].epcClass", { (e: inout EPCISEvent) in e.quantityList?[0].epcClass = "urn:agt:lô" }),
                              ("bizLocation.id", { (e: inout EPCISEvent) in e.bizLocation = Location(id: "urn:agt:place:Mèo-Vạc") })] {
            var changed = event
            edit(&changed)
            #expect { try read(changed) } throws: { ($0 as? TraceError)?.message.contains("\(field) is not ASCII") == true }
        }
    }

    @Test("records that are not envelopes, other payload types and junk payloads are invalid", arguments: [
        #"{"x": 1}"#,
        #"{"payloadType": "text/plain", "payload": "aGVsbG8=", "signatures": []}"#,
        #"{"payloadType": "application/vnd.agritrace.event+json", "payload": "aGVsbG8=", "signatures": []}"#,
        #"{"payloadType": "application/vnd.agritrace.event+json", "payload": "e30=", "signatures": []}"#,
        "42",
    ])
    func junkRecords(record: String) {
        let report = verify(#"{"agritraceBundle": 1, "subject": "x", "records": [\#(record)], "certificates": []}"#)
        #expect(report.level == .invalid)
        #expect(!report.unusable)
        #expect(report.findings.contains { $0.code == .recordMalformed || $0.code == .eventInvalid })
    }

    @Test("junk certificates and CRLs are findings, not crashes")
    func junkCertificates() throws {
        var bundle = Fixtures.bundle
        bundle.certificates.append(Data("junk".utf8))
        bundle.crls.append(Data([0x30, 0x03, 0x02, 0x01, 0x00]))
        var text = String(decoding: try bundle.jsonData(), as: UTF8.self)
        text = text.replacingOccurrences(of: #""certificates": ["#, with: #""certificates": [ 17,"#)
        let report = verify(text)
        #expect(report.codes.isSuperset(of: ["certificate.malformed", "crl.malformed"]))
    }

    @Test("a 1 GB file of junk is rejected at once, and an over-limit file by its size")
    func hugeJunk() throws {
        let url = try temporaryDirectory().appendingPathComponent("junk.provenance.json")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data("\u{1}garbage".utf8)))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 1 << 30)  // sparse: 1 GiB of zero bytes after the junk
        try handle.close()
        let report = Fixtures.verifier().verify(contentsOf: url)
        #expect(report.unusable && report.codes == ["bundle.malformed"])
        let limited = try? BundleFile(contentsOf: url, sizeLimit: 1 << 20)
        #expect(limited == nil)
        #expect { try BundleFile(contentsOf: url, sizeLimit: 1 << 20) } throws: { ($0 as? TraceError)?.code == .bundleTooLarge }
    }

    @Test("a missing file and a directory are unusable")
    func missingFile() {
        #expect(Fixtures.verifier().verify(contentsOf: URL(fileURLWithPath: "/nonexistent/x.json")).unusable)
        #expect(Fixtures.verifier().verify(contentsOf: URL(fileURLWithPath: "/tmp")).unusable)
    }

    @Test("a bundle is written whole or not at all: where it cannot go, bundle.unwritable and no stray file; over an old one, replaced whole")
    func bundleWrites() throws {
        let dir = try temporaryDirectory()
        for target in [dir, dir.appendingPathComponent("missing/x.provenance.json")] {
            #expect { try Fixtures.bundle.write(to: target) } throws: { ($0 as? TraceError)?.code == "bundle.unwritable" }
        }
        let file = dir.appendingPathComponent("honey.provenance.json")
        try Data(String(repeating: "old ", count: 100_000).utf8).write(to: file)
        try Fixtures.bundle.write(to: file)
        #expect(try BundleFile(contentsOf: file, mapped: false).records.count == Fixtures.bundle.records.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["honey.provenance.json"])
    }
}
