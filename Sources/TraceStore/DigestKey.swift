import TraceCrypto

/// The registry's index key for a record digest: its first 64 bits, as a signed integer.
///
/// A 64-bit key is a quarter of the size of the digest's text in every index that holds it, but
/// it is not unique against a party who grinds digests on purpose (2^32 tries find two records
/// sharing one); every lookup therefore compares the full digest as well.
enum DigestKey {
    static func of(_ digest: String) -> Int64 {
        let text = digest.utf8
        if text.count == 71, text.starts(with: "sha256:".utf8) {
            var value: UInt64 = 0
            for byte in text.dropFirst(7).prefix(16) {
                guard let nibble = nibble(byte) else { return ofOtherText(digest) }
                value = value << 4 | nibble
            }
            return Int64(bitPattern: value)
        }
        return ofOtherText(digest)
    }

    /// Any other text (an input that a foreign record names): the first 64 bits of its SHA-256.
    private static func ofOtherText(_ text: String) -> Int64 {
        Int64(bitPattern: Digest.sha256(Array(text.utf8)).prefix(8).reduce(0) { $0 << 8 | UInt64($1) })
    }

    private static func nibble(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte - UInt8(ascii: "a") + 10)
        default: nil
        }
    }
}
