import Foundation

/// Strings in Unicode code point order, as Python and JSON key sorting compare them (not Swift's
/// `<`, which compares canonical equivalents). UTF-8 byte order is code point order.
enum CodePointOrder {
    /// Negative, zero or positive as `a` comes before, with or after `b`.
    static func compare(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard let xBase = x.baseAddress, let yBase = y.baseAddress else { return x.count - y.count }  // one is empty
                let order = Int(memcmp(xBase, yBase, min(x.count, y.count)))
                return order != 0 ? order : x.count - y.count
            }
        }
    }

    static func precedes(_ a: String, _ b: String) -> Bool { compare(a, b) < 0 }

    /// Whether `a` comes before the literal `b`, compared without making a string of `b`.
    static func precedes(_ a: String, _ b: StaticString) -> Bool {
        var a = a
        return a.withUTF8 { x in
            let common = min(x.count, b.utf8CodeUnitCount)
            let order = common == 0 ? 0 : x.baseAddress.map { Int(memcmp($0, b.utf8Start, common)) } ?? 0
            return order != 0 ? order < 0 : x.count < b.utf8CodeUnitCount
        }
    }
}
