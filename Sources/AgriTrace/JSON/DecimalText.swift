import Foundation

/// `Decimal.description`, the form AgriTrace writes numbers in. Foundation formats a number in
/// about two microseconds (it divides the mantissa by ten digit by digit); a hostile record of a
/// hundred thousand distinct numbers would spend most of its verification there. A number whose
/// mantissa fits 64 bits, as every quantity and reading does, is written here from its digits
/// instead (``digits(of:)``), and anything else by Foundation, remembered by the value's bits.
enum DecimalText {
    static func of(_ value: Decimal) -> String {
        if canReadBits, let text = digits(of: value) { return text }
        guard let key = Bits(value) else { return value.description }
        if let known = lock.withLock({ texts[key] }) { return known }
        let text = value.description
        lock.withLock {
            if texts.count >= 4096 { texts.removeAll(keepingCapacity: true) }  // bounded whatever the input
            texts[key] = text
        }
        return text
    }

    /// The text of a compact, finite, non-zero `value` whose mantissa fits 64 bits, read from
    /// Foundation's layout of it (``DecimalLayout``): nil for any other value. Written backwards
    /// into the string's own storage, digit by digit from the mantissa's last: joining pieces
    /// of text cost 900 instructions and 14 reference counts a number.
    static func digits(of value: Decimal) -> String? {
        guard let parts = DecimalLayout.parts(of: value), parts.isCompact, parts.mantissa != 0 else { return nil }
        let exponent = parts.exponent
        var digitCount = 1, rest = parts.mantissa / 10
        while rest > 0 { digitCount += 1; rest /= 10 }
        // `1200` (digits and zeros); `1.5` (a point among the digits); `0.05` (zeros after `0.`).
        let fractionCount = max(0, -exponent)
        let length = (parts.isNegative ? 1 : 0)
            + (exponent >= 0 ? digitCount + exponent : fractionCount + 1 + max(1, digitCount - fractionCount))
        return String(unsafeUninitializedCapacity: length) { text in
            var position = length, mantissa = parts.mantissa
            func put(_ byte: UInt8) { position -= 1; text[position] = byte }
            func putDigit() { put(UInt8(ascii: "0") + UInt8(mantissa % 10)); mantissa /= 10 }  // the last left, or 0
            if exponent >= 0 {
                for _ in 0..<exponent { put(UInt8(ascii: "0")) }
            } else {
                for _ in 0..<fractionCount { putDigit() }
                put(UInt8(ascii: "."))
            }
            repeat { putDigit() } while mantissa > 0  // the whole part: a `0` when no digit is left for it
            if parts.isNegative { put(UInt8(ascii: "-")) }
            return length
        }
    }

    /// Whether ``digits(of:)`` reads this Foundation's layout right: checked once, on values of
    /// every form it writes, against Foundation's own text; if not, Foundation formats every number.
    private static let canReadBits: Bool = {
        let samples = ["1", "-1", "1.5", "0.05", "-0.00000000125", "1200", "-105.4102", "18446744073709551615", "1e-40", "7e20"]
        return samples.allSatisfy { sample in
            guard let value = Decimal(string: sample), let text = digits(of: value) else { return false }
            return text == value.description
        }
    }()

    /// The bytes of a `Decimal` (20 on this platform), zero-padded.
    private struct Bits: Hashable {
        var low: UInt64 = 0, middle: UInt64 = 0, high: UInt64 = 0

        init?(_ value: Decimal) {
            guard MemoryLayout<Decimal>.size <= MemoryLayout<Bits>.size else { return nil }
            withUnsafeBytes(of: value) { source in
                withUnsafeMutableBytes(of: &self) { $0.copyMemory(from: source) }
            }
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var texts: [Bits: String] = [:]  // guarded by `lock`
}
