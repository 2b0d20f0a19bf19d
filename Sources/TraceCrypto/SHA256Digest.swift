import Foundation

/// A SHA-256 digest held in place, in 32 bytes of its own: a record's digest and its event hash
/// are made, compared and written out without an array for their bytes.
public struct SHA256Digest: Hashable, Sendable {
    /// The digest's bytes, in order.
    public let bytes: SIMD32<UInt8>

    /// The SHA-256 of `data`.
    public init(of data: some ContiguousBytes) {
        var bytes = SIMD32<UInt8>()
        withUnsafeMutableBytes(of: &bytes) { Digest.hash(data, algorithm: .sha256, into: $0.baseAddress) }
        self.bytes = bytes
    }

    /// `prefix`, the 64 lower-case hexadecimal digits, then `suffix`, as one string.
    public func hexString(after prefix: String, before suffix: String = "") -> String {
        withUnsafeBytes(of: bytes) { HexText.of($0, after: prefix, before: suffix) }
    }

    /// Whether `text` is exactly this digest's 64 lower-case hexadecimal digits.
    public func isSpelled(byLowercaseHex text: UnsafeBufferPointer<UInt8>) -> Bool {
        withUnsafeBytes(of: bytes) { HexText.spells($0, text) }
    }
}
