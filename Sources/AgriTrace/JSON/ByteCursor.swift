import Foundation

/// A cursor over JSON bytes in one known compact form, for the one-pass readers of envelopes
/// and payloads: literal pieces are matched as bytes, strings without escapes taken as they are.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    /// Steps over `literal` if the bytes continue with it. Inlined: most literals are one byte
    /// (`"`, `,`, `:`, a bracket), and a reader takes a hundred of them a record; inlined, the
    /// literal's length is known where it is written and such a take is one compare.
    @inline(__always)
    mutating func take(_ literal: StaticString) -> Bool {
        if literal.utf8CodeUnitCount == 1 { return take(byte: literal.utf8Start.pointee) }
        return take(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Steps over `byte` if the bytes continue with it.
    @inline(__always)
    mutating func take(byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func take(_ literal: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count - index >= literal.count else { return false }
        guard let base = bytes.baseAddress, let other = literal.baseAddress, memcmp(base + index, other, literal.count) == 0 else { return literal.isEmpty }
        index += literal.count
        return true
    }

    /// Inside a string (after its opening quote): the bytes up to the next quote byte, stepping
    /// over it, unchecked; nil if there is none. Only for a caller that refuses every byte a JSON
    /// string would escape (a quote, a backslash, a control character), as base64 does: then the
    /// first quote is the closing one, found by `memchr`, many bytes a step.
    mutating func bytesToQuote() -> UnsafeRawBufferPointer? {
        guard let base = bytes.baseAddress, index < bytes.count,
              let quote = memchr(base + index, Int32(UInt8(ascii: "\"")), bytes.count - index) else { return nil }
        let end = base.distance(to: UnsafeRawPointer(quote))
        defer { index = end + 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[index..<end])
    }

    /// Inside a string (after its opening quote): the bytes up to the closing quote, stepping over
    /// it, if none of them is a control character or a backslash (nor, with `asciiOnly`, above
    /// 0x7F); nil otherwise, the cursor then somewhere inside.
    mutating func unescapedString(asciiOnly: Bool) -> UnsafeRawBufferPointer? {
        let start = index
        index = JSONScanner.plainWords(bytes, from: index, asciiOnly: asciiOnly)  // eight bytes at a time, then one by one
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return UnsafeRawBufferPointer(rebasing: bytes[start..<index - 1])
            }
            guard byte >= 0x20, byte != UInt8(ascii: "\\"), !(asciiOnly && byte >= 0x80) else { return nil }
            index += 1
        }
        return nil
    }
}
