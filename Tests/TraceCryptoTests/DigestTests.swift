import Foundation
import Synchronization
import Testing
@testable import TraceCrypto
import TestSupport

@Suite("Digests")
struct DigestTests {
    @Test("SHA-2 one-shot digests match the FIPS 180 examples")
    func fipsExamples() {
        let abc = Array("abc".utf8)
        #expect(Digest.hash(abc, algorithm: .sha256).hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hash(abc, algorithm: .sha384).hexString == "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")
        #expect(Digest.hash(abc, algorithm: .sha512).hexString == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
        let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(Digest.sha256(twoBlocks).hexString == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Digest.sha256([UInt8]()).hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("one-shot digests on many threads at once, of every algorithm in turn, each give the digest of their own bytes")
    func threadsKeepTheirOwnContext() {
        // Each thread reuses one digest context: a digest must never see another's bytes, nor
        // another algorithm's state, however they interleave. Threads of their own: a test's
        // `concurrentPerform` may run on one thread of the testing library's pool.
        let messages = (0..<200).map { index in Array("message \(index) ".utf8) + [UInt8](repeating: UInt8(index % 251), count: index * 7) }
        let expected = messages.map { message in DigestAlgorithm.allCases.map { Digest.hash(message, algorithm: $0) } }
        let mismatches = Mutex(0), done = DispatchGroup()
        for thread in 0..<4 {
            done.enter()
            Thread {
                var found = 0
                for round in 0..<20 {
                    for (index, message) in messages.enumerated() {
                        // Another algorithm first on each turn, so that a context changes algorithm.
                        for step in DigestAlgorithm.allCases.indices {
                            let which = (step + index + round + thread) % DigestAlgorithm.allCases.count
                            if Digest.hash(message, algorithm: DigestAlgorithm.allCases[which]) != expected[index][which] { found += 1 }
                        }
                    }
                }
                mismatches.withLock { $0 += found }
                done.leave()
            }.start()
        }
        done.wait()
        #expect(mismatches.withLock { $0 } == 0)
    }

    @Test("a SHA-256 digest held in place gives the digest's bytes and hex, and knows its own lower-case digits only")
    func digestInPlace() {
        for message in ["", "abc", String(repeating: "x", count: 1000)].map({ Array($0.utf8) }) {
            let digest = SHA256Digest(of: message), hex = Digest.sha256(message).hexString
            #expect(withUnsafeBytes(of: digest.bytes) { Array($0) } == Digest.sha256(message))
            #expect(digest.hexString(after: "sha256:") == "sha256:" + hex && digest.hexString(after: "<", before: ">") == "<\(hex)>")
            func spelled(_ text: String) -> Bool { Array(text.utf8).withUnsafeBufferPointer { digest.isSpelled(byLowercaseHex: $0) } }
            #expect(spelled(hex))
            #expect(!spelled(hex.uppercased()) && !spelled(String(hex.dropLast())) && !spelled(hex + "0"))
            for position in [0, 1, 31, 62, 63] {  // one digit changed, at either end and between
                var changed = Array(hex.utf8)
                changed[position] = changed[position] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
                #expect(!spelled(String(decoding: changed, as: UTF8.self)))
            }
        }
    }

    @Test("hex text of bytes, alone or between a prefix and a suffix, short or long")
    func hexText() {
        #expect([UInt8]().hexString == "" && ([0x00, 0x0f, 0xa0, 0xff] as [UInt8]).hexString == "000fa0ff")
        #expect(([0xab] as [UInt8]).hexString(after: "x:") == "x:ab" && ([0xab] as [UInt8]).hexString(after: "", before: "?") == "ab?")
        let digest = Digest.sha256(Array("abc".utf8))
        #expect(digest.hexString(after: "ni:///sha-256;", before: "?ver=CBV2.0")
                == "ni:///sha-256;ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad?ver=CBV2.0")
        #expect(Data([0x01, 0x23]).hexString(after: "sha256:") == "sha256:0123")
    }

    @Test("streaming a million 'a's in uneven pieces gives the FIPS 180 answer")
    func streamingMillionA() {
        var hasher = Digest.Hasher(.sha256)
        var remaining = 1_000_000
        var piece = 1
        while remaining > 0 {
            let n = min(piece, remaining)
            hasher.update([UInt8](repeating: 0x61, count: n))
            remaining -= n
            piece = piece * 3 + 1
        }
        #expect(hasher.finalize().hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("a file's streamed digest equals the one-shot digest of its bytes")
    func fileDigest() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("report.pdf")
        let data = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try data.write(to: file)
        for algorithm in DigestAlgorithm.allCases {
            #expect(try Digest.hash(fileAt: file, algorithm: algorithm) == Digest.hash(data, algorithm: algorithm))
        }
        let empty = dir.appendingPathComponent("empty")
        try Data().write(to: empty)
        #expect(try Digest.hash(fileAt: empty) == Digest.sha256(Data()))
        // A device or a directory is refused at once: /dev/zero would be read for ever.
        for path in ["/dev/zero", dir.path, dir.appendingPathComponent("missing").path] {
            #expect(throws: (any Error).self, "\(path)") { try Digest.hash(fileAt: URL(fileURLWithPath: path)) }
        }
    }
}
