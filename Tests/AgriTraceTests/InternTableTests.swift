import Foundation
import Testing
@testable import AgriTrace

@Suite("Intern table")
struct InternTableTests {
    /// Where a string's bytes live: the same address for two strings means one shared copy.
    private func storage(_ text: String) -> UnsafePointer<UInt8>? { text.utf8.withContiguousStorageIfAvailable { $0.baseAddress } ?? nil }

    /// Asks `table` for `text` as a payload's bytes would: the string made only if none is kept.
    private func ask(_ table: inout InternTable, _ text: String, hash: UInt64? = nil) -> String {
        Array(text.utf8).withUnsafeBytes { bytes in
            let make = { String(decoding: bytes, as: UTF8.self) }
            return if let hash { table.string(for: bytes, hash: hash, make: make) } else { table.string(for: bytes, make: make) }
        }
    }

    @Test("equal bytes get the one kept string; other bytes, even of the same length, get their own")
    func sharesEqualBytes() {
        var table = InternTable(seed: 7)
        let lot = "https://id.gs1.org/01/08936000120016/10/HONEY-2026-001"
        let first = ask(&table, lot), again = ask(&table, lot)
        #expect(first == lot && storage(again) == storage(first))
        let other = ask(&table, "https://id.gs1.org/01/08936000120016/10/HONEY-2026-002")
        #expect(other.hasSuffix("002") && storage(other) != storage(first))
    }

    @Test("strings whose hashes collide are told apart by their bytes; past the probe limit they are not kept, and still right")
    func collisions() {
        var table = InternTable(seed: 7, capacity: 1024)  // room enough that the colliding strings do not make it grow
        let texts = (0..<(InternTable.maximumProbes + 3)).map { "urn:epc:id:sgln:8936000120.00.\($0)-colliding" }
        let first = texts.map { ask(&table, $0, hash: 42) }
        let second = texts.map { ask(&table, $0, hash: 42) }
        #expect(first == texts && second == texts)
        for index in texts.indices {
            let kept = storage(first[index]) == storage(second[index])
            #expect(kept == (index < InternTable.maximumProbes), "string \(index)")
        }
    }

    @Test("the table grows: thousands of strings are each kept and found again")
    func grows() {
        var table = InternTable(seed: 7)
        let texts = (0..<5_000).map { "https://id.gs1.org/414/893600012\(String(format: "%04d", $0))" }
        let first = texts.map { ask(&table, $0) }
        let second = texts.map { ask(&table, $0) }
        #expect(first == texts)
        #expect(zip(first, second).allSatisfy { storage($0) == storage($1) })
    }

    @Test("the hash changes with every byte, the length and the seed")
    func hash() {
        func hash(_ bytes: [UInt8], seed: UInt64 = 1) -> UInt64 { bytes.withUnsafeBytes { InternTable.hash($0, seed: seed) } }
        let full = Array("urn:epc:id:sgln:8936000120.00.0".utf8)
        // Texts shorter than a word, of one word, and ending in a part word (read overlapping the word before).
        for length in [7, 8, 9, 16, 17, full.count] {
            let base = Array(full.prefix(length))
            var seen: Set<UInt64> = [hash(base)]
            for index in base.indices {
                var changed = base
                changed[index] ^= 0x01
                seen.insert(hash(changed))
            }
            for count in 0...base.count { seen.insert(hash(Array(repeating: 0, count: count))) }
            seen.insert(hash(base, seed: 2))
            #expect(seen.count == 1 + base.count + (base.count + 1) + 1, "length \(length)")
        }
    }
}
