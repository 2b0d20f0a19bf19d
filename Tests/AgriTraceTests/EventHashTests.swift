import Foundation
import Testing
@testable import AgriTrace
import TestSupport

/// The CBV 2.0 event hash against the reference implementation's vectors in ../shared/vectors.
@Suite("CBV 2.0 event hash")
struct EventHashTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var document: String
        var eventIndex: Int
        var preHash: String
        var hash: String
        var testDescription: String { "\(document)#\(eventIndex)" }
    }

    static let vectors = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/epcis-event-hash")
    static let cases: [Case] = {
        struct File: Decodable { var cases: [Case] }
        guard let data = try? Data(contentsOf: vectors.appendingPathComponent("cases.json")),
              let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.cases
    }()

    @Test("the vectors are there to test against")
    func vectorsPresent() {
        #expect(Self.cases.count == 33)
    }

    @Test("every vector's pre-hash and hash match", arguments: cases)
    func vector(_ vector: Case) throws {
        let data = try Data(contentsOf: Self.vectors.appendingPathComponent("documents/\(vector.document)"))
        let preHashes = try EventHash.preHashes(ofDocument: data)
        let preHash = try preHashes[vector.eventIndex].get()
        #expect(preHash == vector.preHash)
        #expect(EventHash.hash(preHash: preHash) == vector.hash)
    }
}
