import Foundation

extension Decimal {
    /// `text` as a number only if the whole of it is one: an optional sign, digits, and
    /// optionally `decimalMark` and more digits; no exponent, spaces or digit grouping.
    ///
    /// Foundation's `Decimal(string:)` reads the longest prefix that is a number instead —
    /// "1200,5" gives 1200, "1,200" gives 1, "12abc" gives 12 — which would silently misread a
    /// quantity a clerk typed the way their locale writes it. Every number a person or a file
    /// hands AgriTrace goes through here.
    ///
    /// A number of more than ``maximumDigits`` significant digits, or as many before the point,
    /// is refused as well: Foundation would round it without a word (41 nines become 38 nines and
    /// three zeros), and the CBV event hash reads numbers as doubles, which hold 15 digits exactly.
    public init?(wholeText text: String, decimalMark: UInt8 = UInt8(ascii: ".")) {
        var bytes = Array(text.utf8)
        var index = 0
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { index = 1 }
        let integerStart = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        guard index > integerStart else { return nil }
        if index < bytes.count {
            guard bytes[index] == decimalMark else { return nil }
            bytes[index] = UInt8(ascii: ".")
            index += 1
            let fractionStart = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > fractionStart, index == bytes.count else { return nil }
        }
        let digits = bytes[integerStart...].filter { $0 != UInt8(ascii: ".") }
        let integerDigits = bytes[integerStart...].prefix { $0 != UInt8(ascii: ".") }.drop { $0 == UInt8(ascii: "0") }
        let significant = digits.drop { $0 == UInt8(ascii: "0") }.reversed().drop { $0 == UInt8(ascii: "0") }
        guard significant.count <= Self.maximumDigits, integerDigits.count <= Self.maximumDigits else { return nil }
        self.init(string: String(decoding: bytes, as: UTF8.self), locale: Locale(identifier: "en_US_POSIX"))
    }

    /// The most significant digits a number people type may have: as many as a double holds exactly.
    public static let maximumDigits = 15
}
