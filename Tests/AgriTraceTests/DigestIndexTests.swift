import Foundation
import Testing
@testable import AgriTrace

@Suite("Digest index")
struct DigestIndexTests {
    static func digest(_ number: Int) -> String { RecordDigest.of(Data("record \(number)".utf8)) }

    @Test("each digest leads to its first place, repeats are marked, and anything else leads nowhere, as a dictionary of first places says")
    func firstPlaces() {
        var random = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 7, 8, 9, 1_000, 20_000] {
            // Digests, some repeated, and a few texts of other forms (a bundle's links may be anything).
            let digests = (0..<count).map { _ in Int.random(in: 0..<9, using: &random) == 0 ? "x\(Int.random(in: 0..<3, using: &random))" : Self.digest(Int.random(in: 0..<(count + 1), using: &random)) }
            let (index, isRepeat) = DigestIndex.of(digests)
            var expected: [String: Int] = [:]
            for (position, digest) in digests.enumerated() where expected[digest] == nil { expected[digest] = position }
            #expect(isRepeat == digests.indices.map { expected[digests[$0]] != $0 })
            for digest in Set(digests) { #expect(index[digest] == expected[digest], "\(digest)") }
            for other in (0..<50).map({ Self.digest(count + 1 + $0) }) + ["", "sha256:", "x", "x3"] where expected[other] == nil {
                #expect(index[other] == nil, "\(other)")
            }
        }
    }

    @Test("a digest one byte off, one byte short or long, or in upper case leads nowhere")
    func nearMisses() throws {
        let digest = Self.digest(1), (index, _) = DigestIndex.of([digest])
        #expect(index[digest] == 0)
        var bytes = Array(digest.utf8)
        bytes[40] = bytes[40] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        for other in [String(decoding: bytes, as: UTF8.self), String(digest.dropLast()), digest + "0", digest.uppercased(), " " + digest] {
            #expect(index[other] == nil, "\(other)")
        }
    }

    @Test("texts are told apart by code point: two spellings Swift's String equality joins lead to their own places")
    func codePoints() {
        let (index, isRepeat) = DigestIndex.of(["\u{C5}", "A\u{30A}"])
        #expect(isRepeat == [false, false] && index["\u{C5}"] == 0 && index["A\u{30A}"] == 1)
    }
}
