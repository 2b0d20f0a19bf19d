import Foundation

/// Foundation's layout of a `Decimal`, read and written for values whose mantissa fits 64 bits:
/// an exponent byte, a byte of length (in 16-bit words) and flags, two reserved bytes, then the
/// mantissa as little-endian 16-bit words. Foundation's arithmetic on such values takes one to
/// five thousand instructions (it works on arrays of words); quantities and readings all fit,
/// and the mass balance adds and compares several for every record.
///
/// swift-foundation keeps the fields internal on Linux, so this reads the bytes; whether it
/// reads and writes them as Foundation does is checked once, against Foundation itself
/// (``isUnderstood``), and every caller falls back to Foundation when it is not.
enum DecimalLayout {
    /// A finite value's sign, exponent and mantissa, and whether Foundation marked it compact
    /// (no trailing decimal zero in the mantissa, as its arithmetic leaves every result).
    struct Parts: Equatable {
        var isNegative: Bool
        var exponent: Int
        var mantissa: UInt64
        var isCompact: Bool
    }

    /// The parts of `value`; nil for NaN and for a mantissa longer than 64 bits.
    static func parts(of value: Decimal) -> Parts? {
        guard MemoryLayout<Decimal>.size == 20 else { return nil }
        return withUnsafeBytes(of: value) { bytes -> Parts? in
            let flags = bytes[1], length = Int(flags >> 4), isNegative = flags & 0x08 != 0
            guard length <= 4, !(length == 0 && isNegative) else { return nil }  // longer; NaN
            var mantissa: UInt64 = 0
            for word in 0..<length { mantissa |= UInt64(bytes[4 + 2 * word]) << (16 * word) | UInt64(bytes[5 + 2 * word]) << (16 * word + 8) }
            return Parts(isNegative: isNegative, exponent: Int(Int8(bitPattern: bytes[0])), mantissa: mantissa, isCompact: flags & 0x04 != 0)
        }
    }

    /// The value `±mantissa × 10^exponent` in the compact form Foundation's arithmetic gives
    /// (trailing zeros moved into the exponent; zero as all zero bytes); nil when the exponent
    /// falls outside what a `Decimal` holds.
    static func decimal(isNegative: Bool, exponent: Int, mantissa: UInt64) -> Decimal? {
        guard mantissa != 0 else { return Decimal() }
        var (mantissa, exponent) = (mantissa, exponent)
        while mantissa % 10 == 0, exponent < Int(Int8.max) {
            mantissa /= 10
            exponent += 1
        }
        guard MemoryLayout<Decimal>.size == 20, (Int(Int8.min)...Int(Int8.max)).contains(exponent) else { return nil }
        let length = (64 - mantissa.leadingZeroBitCount + 15) / 16
        var value = Decimal()
        withUnsafeMutableBytes(of: &value) { bytes in
            bytes[0] = UInt8(bitPattern: Int8(exponent))
            bytes[1] = UInt8(length << 4) | (isNegative ? 0x08 : 0) | 0x04
            for word in 0..<length {
                bytes[4 + 2 * word] = UInt8(truncatingIfNeeded: mantissa >> (16 * word))
                bytes[5 + 2 * word] = UInt8(truncatingIfNeeded: mantissa >> (16 * word + 8))
            }
        }
        return value
    }

    /// `a + b`: in 64-bit integers when both mantissas fit and one exponent scales to the other,
    /// else by Foundation. Exactly Foundation's result, to the byte.
    static func sum(_ a: Decimal, _ b: Decimal) -> Decimal {
        (isUnderstood ? fast(a, b, { $0.addingReportingOverflow($1) }) : nil) ?? a + b
    }

    /// `a - b`, as ``sum(_:_:)`` computes it.
    static func difference(_ a: Decimal, _ b: Decimal) -> Decimal {
        (isUnderstood ? fast(a, b, { $0.subtractingReportingOverflow($1) }) : nil) ?? a - b
    }

    /// `a < b`, as ``sum(_:_:)`` computes it.
    static func isLess(_ a: Decimal, than b: Decimal) -> Bool {
        (isUnderstood ? aligned(a, b).map { $0.0 < $0.1 } : nil) ?? (a < b)
    }

    /// `operation` on the aligned mantissas, as a `Decimal`; nil when either value, the
    /// alignment or the result does not fit, and when either value is zero: Foundation then gives
    /// back the other operand as it is, and a zero keeps whatever exponent it was written with
    /// (`0.000 + 0` is `0`, `0 + 0.000` is `0.000`), which only Foundation itself reproduces.
    private static func fast(_ a: Decimal, _ b: Decimal, _ operation: (Int64, Int64) -> (partialValue: Int64, overflow: Bool)) -> Decimal? {
        guard let (x, y, exponent) = aligned(a, b), x != 0, y != 0 else { return nil }
        let (result, overflow) = operation(x, y)
        return overflow ? nil : decimal(isNegative: result < 0, exponent: exponent, mantissa: result.magnitude)
    }

    /// Both values' signed mantissas at the smaller of their exponents (the other's mantissa
    /// scaled by a power of ten; a zero takes the other's exponent), and that exponent; nil when
    /// either is NaN, a mantissa does not fit 63 bits, or the scaling overflows.
    private static func aligned(_ a: Decimal, _ b: Decimal) -> (Int64, Int64, exponent: Int)? {
        guard let a = parts(of: a), let b = parts(of: b), a.mantissa <= UInt64(Int64.max), b.mantissa <= UInt64(Int64.max) else { return nil }
        let exponent = a.mantissa == 0 ? b.exponent : b.mantissa == 0 ? a.exponent : min(a.exponent, b.exponent)
        func scaled(_ side: Parts) -> Int64? {
            var mantissa = side.isNegative ? -Int64(side.mantissa) : Int64(side.mantissa)
            guard mantissa != 0 else { return 0 }
            for _ in 0..<(side.exponent - exponent) {
                let (next, overflow) = mantissa.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                mantissa = next
            }
            return mantissa
        }
        guard let x = scaled(a), let y = scaled(b) else { return nil }
        return (x, y, exponent)
    }

    /// Whether this Foundation lays `Decimal` out as read here, and its sums, differences and
    /// order are what the fast paths give: checked once, on pairs of values of every shape, to
    /// the byte (a pair the fast paths leave to Foundation is not compared).
    static let isUnderstood: Bool = {
        let samples = ["0", "1", "-1", "1.5", "0.585", "-0.05", "1200", "-1200", "600", "12.5", "1e3", "999999999999999999",
                       "-105.4102", "18446744073709551615", "0.0000000001", "7e20", "-7e-20"].compactMap { Decimal(string: $0) }
        func bytes(_ value: Decimal) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }
        guard samples.count == 17, fast(samples[1], samples[3], { $0.addingReportingOverflow($1) }) != nil else { return false }  // 1 + 1.5 fits
        return samples.allSatisfy { a in
            samples.allSatisfy { b in
                let sum = fast(a, b, { $0.addingReportingOverflow($1) }), difference = fast(a, b, { $0.subtractingReportingOverflow($1) })
                return sum.map { bytes($0) == bytes(a + b) } ?? true && difference.map { bytes($0) == bytes(a - b) } ?? true
                    && aligned(a, b).map { ($0.0 < $0.1) == (a < b) } ?? true
            }
        }
    }()
}

extension Decimal {
    /// Adds `other`, as ``DecimalLayout/sum(_:_:)`` adds: in place, so a table's entry is
    /// looked up once (`balances[holder, default: 0].add(amount)`).
    mutating func add(_ other: Decimal) {
        self = DecimalLayout.sum(self, other)
    }
}
