import Foundation

/// Strings in Unicode code point order, as Python and JSON key sorting compare them (not Swift's
/// `<`, which compares canonical equivalents). UTF-8 byte order is code point order.
enum CodePointOrder {
    /// Negative, zero or positive as `a` comes before, with or after `b`.
    static func compare(_ a: String, _ b: String) -> Int {
        return a.withUTF8Bytes { x in b.withUTF8Bytes { y in compare(x, y) } }
    }

    static func precedes(_ a: String, _ b: String) -> Bool { compare(a, b) < 0 }

    /// Whether `a` comes before the literal `b`, compared without making a string of `b`.
    static func precedes(_ a: String, _ b: StaticString) -> Bool {
        return a.withUTF8Bytes { compare($0, UnsafeBufferPointer(start: b.utf8Start, count: b.utf8CodeUnitCount)) } < 0
    }

    /// ``compare(_:_:)`` of UTF-8 bytes: byte by byte, then the shorter (a prefix) first.
    static func compare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(x.count, y.count)
        if common > 0, let xBase = x.baseAddress, let yBase = y.baseAddress {
            let order = Int(memcmp(xBase, yBase, common))
            if order != 0 { return order }
        }
        return x.count - y.count
    }
}
