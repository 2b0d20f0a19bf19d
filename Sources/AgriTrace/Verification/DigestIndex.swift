import Foundation
import TraceCrypto

/// Where each record digest first stands in a bundle's list of records.
///
/// An open-addressed table of positions, probed by a seeded hash of a digest's bytes
/// (``InternTable/hash(_:seed:)``, eight bytes a step) and a tag from the same hash, the digests
/// themselves compared in place and by code point. A `Dictionary` of the 71-byte strings hashed
/// each one with SipHash, once for every record and again for every link. The seed is the
/// process's own, so no bundle can choose digests or links that collide; the table is never
/// more than half full.
public struct DigestIndex: Sendable {
    /// The digests, by position: what a slot's position is compared by.
    private let digests: [String]
    /// Each slot: a tag from a digest's hash (never 0) and its position; tag 0 marks an empty slot.
    private var tags: [UInt32]
    private var positions: [Int]
    private let seed = UInt64.random(in: .min ... .max)

    /// The index of `digests`, by position, and which positions repeat an earlier digest (they
    /// are not indexed: a digest leads to its first place).
    static func of(_ digests: [String]) -> (index: DigestIndex, isRepeat: [Bool]) {
        var index = DigestIndex(digests: digests)
        var isRepeat = [Bool](repeating: false, count: digests.count)
        for position in digests.indices {
            digests[position].withUTF8Bytes { bytes in
                isRepeat[position] = !index.insert(UnsafeRawBufferPointer(bytes), at: position)
            }
        }
        return (index, isRepeat)
    }

    private init(digests: [String]) {
        self.digests = digests
        var capacity = 16
        while capacity < 2 * digests.count { capacity *= 2 }
        tags = Array(repeating: 0, count: capacity)
        positions = Array(repeating: 0, count: capacity)
    }

    /// The first position of `digest`; nil when no record has it.
    public subscript(_ digest: String) -> Int? {
        digest.withUTF8Bytes { bytes in
            let key = UnsafeRawBufferPointer(bytes)
            var (slot, tag) = start(key)
            while tags[slot] != 0 {
                if tags[slot] == tag, ExactText.bytes(of: digests[positions[slot]], equal: key) { return positions[slot] }
                slot = (slot + 1) & (tags.count - 1)
            }
            return nil
        }
    }

    /// Places `key`, the digest at `position`; false when an earlier position holds it already.
    private mutating func insert(_ key: UnsafeRawBufferPointer, at position: Int) -> Bool {
        var (slot, tag) = start(key)
        while tags[slot] != 0 {
            if tags[slot] == tag, ExactText.bytes(of: digests[positions[slot]], equal: key) { return false }
            slot = (slot + 1) & (tags.count - 1)
        }
        (tags[slot], positions[slot]) = (tag, position)
        return true
    }

    /// The first slot to probe for `key`, and its tag (the hash's high half, made odd).
    private func start(_ key: UnsafeRawBufferPointer) -> (slot: Int, tag: UInt32) {
        let hash = InternTable.hash(key, seed: seed)
        return (Int(truncatingIfNeeded: hash) & (tags.count - 1), UInt32(truncatingIfNeeded: hash >> 32) | 1)
    }
}
