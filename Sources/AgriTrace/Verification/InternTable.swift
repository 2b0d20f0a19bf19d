import Foundation

/// The strings of one of ``StringInterner``'s shards: an open-addressed table keyed by a seeded
/// hash of the strings' UTF-8 bytes, read straight from a payload's bytes.
///
/// The interner asks it about five times per record it reads. With Swift's `Hasher` and a
/// `Dictionary`, a question took about 1,800 instructions, lock included; now about 570. Its
/// hash is a fast multiply-and-shift mix, not a keyed cryptographic one, so a bundle could be
/// built whose strings collide once its maker knew the seed. Probing stops after
/// ``maximumProbes`` slots: the table then grows if it is an eighth full or more, and otherwise
/// the colliding string is simply not shared, which costs memory as if there were no interner,
/// and never time.
struct InternTable {
    /// The slots: a tag from a string's hash (its high half, never 0; 0 marks an empty slot), and
    /// the string. 20 bytes a slot, up to three quarters full: about the memory per string of the
    /// `Dictionary` this replaced (the bench verifier's peak moved by under 0.3 MB).
    private var tags: [UInt32]
    private var strings: [String?]
    private var count = 0
    private let seed: UInt64

    static let maximumProbes = 32

    init(seed: UInt64, capacity: Int = 64) {
        self.seed = seed
        tags = Array(repeating: 0, count: capacity)
        strings = Array(repeating: nil, count: capacity)
    }

    /// The string kept for `bytes`, or the one `make` gives, kept from now on when a slot is free
    /// within ``maximumProbes``.
    mutating func string(for bytes: UnsafeRawBufferPointer, make: () -> String) -> String {
        string(for: bytes, hash: Self.hash(bytes, seed: seed), make: make)
    }

    /// ``string(for:make:)`` with the hash given: for tests, which choose hashes that collide.
    mutating func string(for bytes: UnsafeRawBufferPointer, hash: UInt64, make: () -> String) -> String {
        let mask = tags.count - 1, tag = Self.tag(hash)
        var slot = Int(truncatingIfNeeded: hash) & mask
        for _ in 0..<Self.maximumProbes {
            if tags[slot] == 0 {
                let made = make()
                (tags[slot], strings[slot]) = (tag, made)
                count += 1
                if count * 4 > tags.count * 3 { grow() }
                return made
            }
            if tags[slot] == tag, let known = strings[slot], ExactText.bytes(of: known, equal: bytes) { return known }
            slot = (slot + 1) & mask
        }
        // A run of full slots: a table an eighth full or more makes room; one emptier than that is
        // seeing hashes that collide whatever its size, and keeps its size.
        if count * 8 > tags.count {
            grow()
            return string(for: bytes, hash: hash, make: make)
        }
        return make()
    }

    /// Twice the slots, each string placed again by its hash, made again: the slots keep only tags.
    private mutating func grow() {
        let kept = strings
        self = InternTable(seed: seed, capacity: tags.count * 2)
        for case let string? in kept {
            let hash = string.withUTF8Bytes { Self.hash(UnsafeRawBufferPointer($0), seed: seed) }
            let mask = tags.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            for _ in 0..<Self.maximumProbes {
                if tags[slot] == 0 {
                    (tags[slot], strings[slot]) = (Self.tag(hash), string)
                    count += 1
                    break
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The high half of `hash`, which the slot index (its low bits) does not use, made odd so that
    /// it is never 0.
    private static func tag(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash >> 32) | 1 }

    /// A seeded hash of `bytes`: eight bytes at a time, each word mixed in by multiplies and shifts
    /// (the finaliser of SplitMix64). The last word of a text of eight bytes or more is its last
    /// eight bytes, overlapping the word before (the length is in the seed); a shorter text's bytes
    /// are gathered one by one.
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        func mix(_ value: UInt64) -> UInt64 {
            var z = value &* 0xBF58_476D_1CE4_E5B9
            z ^= z >> 31
            z = z &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 29)
        }
        var h = seed ^ UInt64(bytes.count)
        var tail: UInt64 = 0
        if bytes.count < 8 {
            for byte in bytes { tail = tail << 8 | UInt64(byte) }
        } else {
            var offset = 0
            while offset + 8 < bytes.count {
                h = mix(h ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            tail = bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
        }
        return mix(h ^ tail ^ 0x9E37_79B9_7F4A_7C15)
    }
}
