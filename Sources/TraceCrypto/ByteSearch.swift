import Foundation

/// Substring search and replacement on UTF-8 bytes, code point by code point as the reference
/// event hash (Python) compares. Foundation's `contains`, `range(of:)` and
/// `replacingOccurrences` bridge the text to UTF-16 on every call, which made a long hostile
/// value or a long PEM file cost a microsecond per byte, or quadratic time.
public enum ByteSearch {
    /// Where `needle` first occurs in `hay` at or after `start`, counted from the start of `hay`.
    public static func offset(of needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        guard let hayBase = hay.baseAddress, let pinBase = needle.baseAddress, let first = needle.first else { return nil }
        var at = start
        while at + needle.count <= hay.count {
            guard let hit = memchr(hayBase + at, Int32(first), hay.count - needle.count + 1 - at) else { return nil }
            let offset = UnsafeRawPointer(hit) - UnsafeRawPointer(hayBase)
            if memcmp(hayBase + offset, pinBase, needle.count) == 0 { return offset }
            at = offset + 1
        }
        return nil
    }

    /// ``offset(of:in:from:)`` of an ASCII literal, read where the program holds it.
    @inlinable
    public static func offset(of needle: StaticString, in hay: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        offset(of: UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount), in: hay, from: start)
    }

    /// ``offset(of:in:from:)`` of one text in another, in bytes.
    public static func offset(of needle: String, in text: String, from start: Int = 0) -> Int? {
        return text.withUTF8Bytes { hay in needle.withUTF8Bytes { offset(of: $0, in: hay, from: start) } }
    }

    /// `text` with each occurrence of `needle`, from left to right, replaced by `replacement`.
    public static func replacingAll(_ needle: String, with replacement: String, in text: String) -> String {
        guard var next = offset(of: needle, in: text) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var copied = 0
        let utf8 = text.utf8
        while true {
            out += utf8.dropFirst(copied).prefix(next - copied)
            out += replacement.utf8
            copied = next + needle.utf8.count
            guard let found = offset(of: needle, in: text, from: copied) else { break }
            next = found
        }
        out += utf8.dropFirst(copied)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `bytes` are exactly the ASCII `text`: compared as bytes, where `==` on two
    /// different Strings takes Unicode's slower path to say so. Inlinable, as ``hasPrefix(_:_:at:)``:
    /// the pre-hash and the readers ask this of literals hundreds of times a record, and inlined
    /// a literal's length is known where it is written.
    @inlinable
    public static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        bytes.count == text.utf8CodeUnitCount && hasPrefix(bytes, text)
    }

    /// Whether `bytes` hold the ASCII `text` at `offset`.
    @inlinable
    public static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString, at offset: Int = 0) -> Bool {
        let count = text.utf8CodeUnitCount
        guard offset >= 0, offset + count <= bytes.count else { return false }
        guard let base = bytes.baseAddress else { return count == 0 }
        return memcmp(base + offset, text.utf8Start, count) == 0
    }
}
