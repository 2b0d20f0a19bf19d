import Foundation
internal import CByteKernels

/// Standard base64 (RFC 4648 §4) in its one canonical form, decoded straight from the bytes of a
/// JSON string: padded to a multiple of four, no byte outside the alphabet, and the bits after the
/// last byte zero. This is the form of every envelope AgriTrace writes.
///
/// It is a fast path, never a second judge: anything else gives nil, and the caller then reads
/// the text the general way (``Envelope/decodeBase64(_:field:)``). Where this decodes, the general
/// way gives the same bytes (tested); it is strict only so that it never accepts more.
enum CanonicalBase64 {
    static func decode(_ text: UnsafeRawBufferPointer) -> Data? {
        let count = text.count
        guard count % 4 == 0 else { return nil }
        guard count > 0 else { return Data() }
        let padding = text[count - 1] != UInt8(ascii: "=") ? 0 : text[count - 2] != UInt8(ascii: "=") ? 1 : 2
        // Decoded into memory of its own that the Data then takes: `Data(count:)` would zero it
        // first, and writing into a Data through `withUnsafeMutableBytes` costs reference counts.
        let length = count / 4 * 3 - padding
        guard let buffer = malloc(length) else { return nil }
        let out = UnsafeMutableRawBufferPointer(start: buffer, count: length)
        guard Self.shifted.withUnsafeBufferPointer({ decode(text, padding: padding, shifted: $0, into: out) }) else {
            free(buffer)
            return nil
        }
        return Data(bytesNoCopy: buffer, count: length, deallocator: .free)
    }

    /// Decodes four characters at a time, each looked up in its own quarter of ``shifted`` (its
    /// value already in place among the group's 24 bits), the group then or-ed together: an
    /// invalid character sets a bit above the 24, and the one test of the group sees it.
    private static func decode(_ text: UnsafeRawBufferPointer, padding: Int, shifted: UnsafeBufferPointer<UInt32>,
                               into out: UnsafeMutableRawBufferPointer) -> Bool {
        var read = 0, written = 0
        func group(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> UInt32 {
            shifted[Int(a)] | shifted[256 + Int(b)] | shifted[512 + Int(c)] | shifted[768 + Int(d)]
        }
        let whole = text.count - (padding == 0 ? 0 : 4)  // the last group, if padded, apart
        if whole >= 32, let textBase = text.baseAddress, let outBase = out.baseAddress {
            // Thirty-two characters a step with AVX2 (CByteKernels) as far as they are all in the
            // alphabet; the groups from where it stopped one by one here, which judge what stopped it.
            read = agt_base64_decode_blocks(textBase.assumingMemoryBound(to: UInt8.self), whole, outBase.assumingMemoryBound(to: UInt8.self))
            written = read / 4 * 3
        }
        while read < whole {
            let bits = group(text[read], text[read + 1], text[read + 2], text[read + 3])
            guard bits < Self.invalid else { return false }
            out[written] = UInt8(truncatingIfNeeded: bits >> 16)
            out[written + 1] = UInt8(truncatingIfNeeded: bits >> 8)
            out[written + 2] = UInt8(truncatingIfNeeded: bits)
            read += 4
            written += 3
        }
        let zero = UInt8(ascii: "A")  // the character of value 0, in the padding's place
        if padding == 1 {  // three characters, 18 bits: two bytes and two zero bits
            let bits = group(text[read], text[read + 1], text[read + 2], zero)
            guard bits < Self.invalid, bits & 0xFF == 0 else { return false }
            out[written] = UInt8(truncatingIfNeeded: bits >> 16)
            out[written + 1] = UInt8(truncatingIfNeeded: bits >> 8)
        } else if padding == 2 {  // two characters, 12 bits: one byte and four zero bits
            let bits = group(text[read], text[read + 1], zero, zero)
            guard bits < Self.invalid, bits & 0xFFFF == 0 else { return false }
            out[written] = UInt8(truncatingIfNeeded: bits >> 16)
        }
        return true
    }

    /// Set for a byte outside the alphabet (the padding character included: it is read only where
    /// the length says it stands).
    private static let invalid: UInt32 = 1 << 24

    /// Four tables of 256: a byte's value in the alphabet shifted to its place among a group's 24
    /// bits (18, 12, 6 or 0), or ``invalid``.
    private static let shifted: [UInt32] = {
        var table = [UInt32](repeating: invalid, count: 1024)
        for (value, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            for place in 0..<4 {
                table[place * 256 + Int(character)] = UInt32(value) << (18 - 6 * place)
            }
        }
        return table
    }()
}
