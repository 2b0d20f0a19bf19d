import Foundation

/// Substring search and replacement on UTF-8 bytes, code point by code point as the reference
/// event hash (Python) compares. Foundation's `contains`, `range(of:)` and
/// `replacingOccurrences` bridge the text to UTF-16 on every call, which made a long hostile
/// value cost a microsecond per byte.
enum ByteSearch {
    /// Where `needle` first occurs in `text` at or after byte `start`, in bytes from the start.
    static func offset(of needle: String, in text: String, from start: Int = 0) -> Int? {
        var text = text, needle = needle
        return text.withUTF8 { hay in
            needle.withUTF8 { pin in
                guard let hayBase = hay.baseAddress, let pinBase = pin.baseAddress, let first = pin.first else { return nil }
                var at = start
                while at + pin.count <= hay.count {
                    guard let hit = memchr(hayBase + at, Int32(first), hay.count - pin.count + 1 - at) else { return nil }
                    let offset = UnsafeRawPointer(hit) - UnsafeRawPointer(hayBase)
                    if memcmp(hayBase + offset, pinBase, pin.count) == 0 { return offset }
                    at = offset + 1
                }
                return nil
            }
        }
    }

    /// `text` with each occurrence of `needle`, from left to right, replaced by `replacement`.
    static func replacingAll(_ needle: String, with replacement: String, in text: String) -> String {
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
}
