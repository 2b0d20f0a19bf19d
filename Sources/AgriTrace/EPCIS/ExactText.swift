import Foundation

/// Text compared and hashed by its UTF-8 bytes, that is by code point, as Python and so GS1's
/// event hash reference compare: not by Swift's canonical equivalence, under which `Å` (U+00C5),
/// `A` + U+030A and the Ångström sign U+212B are one string. A table keyed by `String` would hand
/// back the first of them for the others, and an event hash would then hash bytes its event does
/// not hold (a value typed in NFD on one machine after the same in NFC on another).
struct ExactText: Hashable, Sendable, ExpressibleByStringLiteral {
    let text: String

    init(stringLiteral text: String) { self.text = text }

    init(_ text: String) { self.text = text }

    static func == (lhs: ExactText, rhs: ExactText) -> Bool {
        lhs.text.utf8.withContiguousStorageIfAvailable { bytes(of: rhs.text, equal: UnsafeRawBufferPointer($0)) }
            ?? lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    /// Whether `text`'s UTF-8 bytes are exactly `bytes`, compared in place: a table lookup compares
    /// keys often, and copying each string out to reach its bytes cost two reference count changes.
    static func bytes(of text: String, equal bytes: UnsafeRawBufferPointer) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { stored in
            guard stored.count == bytes.count else { return false }
            guard let a = stored.baseAddress, let b = bytes.baseAddress, UnsafeRawPointer(a) != b else { return true }  // empty, or the same storage
            return memcmp(a, b, bytes.count) == 0
        } ?? text.utf8.elementsEqual(bytes)
    }

    func hash(into hasher: inout Hasher) {
        text.withUTF8Bytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// What a `Set` or `Dictionary` of ``ExactText`` hashes by: ``InternTable/hash(_:seed:)`` of
    /// the bytes, eight a step, not `Hasher`'s SipHash (about 300 instructions for a 50-byte lot
    /// identifier against 40; a verification asked String-keyed tables some 20 times a record).
    /// Not a keyed cryptographic hash: colliding keys could be chosen only by someone who knew the
    /// seed, which is the table's own (its storage's address) mixed with ``processSeed``.
    func _rawHashValue(seed: Int) -> Int {
        Self.rawHash(of: text, seed: seed)
    }

    /// ``_rawHashValue(seed:)`` of `text`: for keys that hold a string beside other fields.
    static func rawHash(of text: String, seed: Int) -> Int {
        let seed = UInt64(truncatingIfNeeded: seed) ^ processSeed
        return text.withUTF8Bytes { Int(truncatingIfNeeded: InternTable.hash(UnsafeRawBufferPointer($0), seed: seed)) }
    }

    /// This process's secret part of every table's seed, from Swift's own (random for each process,
    /// fixed where SWIFT_DETERMINISTIC_HASHING asks it to be): a table's seed alone is the address
    /// of its storage, which ``Hasher`` never hashes by without such a secret either.
    private static let processSeed: UInt64 = {
        var hasher = Hasher()
        hasher.combine(0x4147_5452_4143_45)  // any value: what is hashed is the process's seed
        return UInt64(truncatingIfNeeded: hasher.finalize())
    }()
}
