import Foundation
import Testing
import TestSupport

@Suite("agritrace epcis")
struct EPCISCLITests {
    static let vectors = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/epcis-event-hash")

    @Test("epcis hash prints the reference hashes of a vector document, and --prehash the pre-hashes")
    func hashVectors() throws {
        let document = Self.vectors.appendingPathComponent("documents/epcisDocWithVariousEventTypes.jsonld").path
        struct Case: Decodable { var document: String; var eventIndex: Int; var preHash: String; var hash: String }
        struct File: Decodable { var cases: [Case] }
        let cases = try JSONDecoder().decode(File.self, from: Data(contentsOf: Self.vectors.appendingPathComponent("cases.json")))
            .cases.filter { $0.document == "epcisDocWithVariousEventTypes.jsonld" }.sorted { $0.eventIndex < $1.eventIndex }
        let hashes = try CLI.agritrace(["epcis", "hash", document])
        #expect(hashes.status == 0)
        #expect(hashes.output.split(separator: "\n").map(String.init) == cases.map(\.hash))
        let preHashes = try CLI.agritrace(["epcis", "hash", "--prehash", document])
        #expect(preHashes.output.split(separator: "\n").map(String.init) == cases.map(\.preHash))
    }

    @Test("epcis hash agrees with GS1's reference on documents of hostile Unicode: NFC and NFD, marks, joiners, look-alikes")
    func hashHostileUnicode() throws {
        // Five documents of 40 events from scripts/fuzz-event-hash.py (seeds 1-5), each against the PyPI reference.
        let script = repositoryRoot.appendingPathComponent("scripts/fuzz-event-hash.py").path
        let result = try run(["python3", script, CLI.bin.path, "5", "1"])
        #expect(result.status == 0 && result.output.contains("5 documents of 40 events, 0 with a difference"), "\(result.output)")
    }

    @Test("epcis hash refuses what is not an EPCIS document with exit 2")
    func hashBadInput() throws {
        #expect(try CLI.agritrace(["epcis", "hash", CLI.root]).status == 2)
        #expect(try CLI.agritrace(["epcis", "hash", CLI.honey]).status == 2)
        #expect(try CLI.agritrace(["epcis", "hash", "/nonexistent.jsonld"]).status == 2)
        // Over the size a document may have (parsed whole, at some seven times its size in memory): refused unread.
        let limit = 256 << 20  // EPCISDocument.maximumBytes
        let huge = try sparseFile(try temporaryDirectory().appendingPathComponent("huge.jsonld"), size: limit + 1)
        let refused = try CLI.agritrace(["epcis", "hash", huge.path])
        #expect(refused.status == 2 && refused.output.contains("over the \(limit)-byte limit"), "\(refused.output)")
    }

    @Test("an exported bundle validates against the EPCIS 2.0 JSON schema and keeps every eventID; a broken one does not validate")
    func exportValidates() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("herb.jsonld")
        let herb = repositoryRoot.appendingPathComponent("Samples/herb/herb.provenance.json").path
        #expect(try CLI.agritrace(["epcis", "export", herb, "--out", out.path]).status == 0)
        let checker = repositoryRoot.appendingPathComponent("Tests/Support/epcis_schema_check.py").path
        let schema = Self.vectors.appendingPathComponent("EPCIS-JSON-Schema.json").path
        let valid = try run(["python3", checker, schema, out.path])
        #expect(valid.status == 0, "\(valid.output)")
        #expect(valid.output.contains("0 errors"))
        // Every exported event hashes to the eventID it carries.
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
        let events = ((document?["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]]) ?? []
        let hashes = try CLI.agritrace(["epcis", "hash", out.path]).output.split(separator: "\n").map(String.init)
        #expect(events.count == 15 && hashes == events.compactMap { $0["eventID"] as? String })
        // The validator does catch a broken document.
        let broken = String(decoding: try Data(contentsOf: out), as: UTF8.self).replacingOccurrences(of: #""action":"ADD""#, with: #""action":"MAYBE""#)
        try Data(broken.utf8).write(to: out)
        #expect(try run(["python3", checker, schema, out.path]).status == 1)
    }
}
