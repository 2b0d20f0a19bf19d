import Foundation

/// The text forms the reference event-hash implementation (Python) gives values, reproduced so
/// our hashes agree with it byte for byte: `str()` of JSON scalars, and its numeric
/// canonicalisation through `float()`.
enum PythonValueText {
    /// `str()` of a JSON number literal as Python's `json` module reads it (int or float).
    static func str(numberLiteral literal: String) -> String {
        let isInteger = !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        if isInteger {
            // Python ints are exact; drop a leading minus on zero and any leading zeros.
            let negative = literal.hasPrefix("-")
            let digits = literal.drop { $0 == "-" || $0 == "0" }
            return digits.isEmpty ? "0" : (negative ? "-" : "") + digits
        }
        return repr(Double(literal) ?? .nan)
    }

    /// ``str(numberLiteral:)``, remembered: coordinates, amounts and measurements repeat. An
    /// integer already in Python's form is its own text, with no cache (a hostile record may hold
    /// a hundred thousand distinct ones).
    static func cachedStr(numberLiteral literal: String) -> String {
        if literal.withUTF8Bytes({ isPlainInteger($0, maximumDigits: .max) }) { return literal }
        return literals.value(for: literal) { str(numberLiteral: $0) } ?? str(numberLiteral: literal)
    }

    /// Whether `bytes` are an integer as Python writes it (`0`, or an optional minus and digits
    /// without leading zeros) of at most `maximumDigits` digits.
    static func isPlainInteger(_ bytes: UnsafeBufferPointer<UInt8>, maximumDigits: Int) -> Bool {
        let digits = bytes.first == UInt8(ascii: "-") ? UnsafeBufferPointer(rebasing: bytes.dropFirst()) : bytes
        guard let first = digits.first, digits.count <= maximumDigits, digits.allSatisfy({ (48...57).contains($0) }) else { return false }
        return first != UInt8(ascii: "0") || (digits.count == 1 && digits.count == bytes.count)
    }

    private static let literals = NormaliserCache()

    /// The outcome of Python's `float(text)` on a stripped string.
    enum Parsed {
        case notANumber
        case finite(Double)
        case infinite
        case nan
    }

    /// Python's `float(text)`: decimal literals with optional sign, underscores between digits,
    /// exponent, and the words inf, infinity and nan in any case; digits of any script
    /// (``asciiDigits(_:)``).
    static func parseFloat(_ text: String) -> Parsed {
        // Most values (URIs, words) fail on their first character: decide those without more work.
        guard let first = text.utf8.first, first >= 0x80 || (48...57).contains(first) || first == 43 || first == 45 || first == 46
            || first == 95 || first == 105 || first == 73 || first == 110 || first == 78 else { return .notANumber }
        if first >= 0x80 { return asciiDigits(text).map(parseFloat) ?? .notANumber }  // ASCII once read: parsed below
        var body = Substring(text)
        var sign = ""
        if let first = body.first, first == "+" || first == "-" { sign = first == "-" ? "-" : ""; body = body.dropFirst() }
        if body.utf8.count <= 8 {  // only ASCII case variants lower to these words
            switch body.lowercased() {
            case "inf", "infinity": return .infinite
            case "nan": return .nan
            default: break
            }
        }
        // digits(_digits)* [. digits(_digits)*] [e[+-]digits(_digits)*], at least one mantissa
        // digit; byte by byte.
        var cleaned: [UInt8] = []
        cleaned.reserveCapacity(body.utf8.count)
        var previous = UInt8(ascii: " ")
        var sawDigit = false, sawPoint = false, sawExponent = false, exponentDigits = false
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        for byte in body.utf8 {
            // A digit of another script (or a space) past the first: read as ASCII, then parsed again.
            if byte >= 0x80 { return asciiDigits(text).map(parseFloat) ?? .notANumber }
            if previous == UInt8(ascii: "_"), !isDigit(byte) { return .notANumber }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                cleaned.append(byte)
                if sawExponent { exponentDigits = true } else { sawDigit = true }
            case UInt8(ascii: "_"):
                guard isDigit(previous) else { return .notANumber }
            case UInt8(ascii: "."):
                guard !sawPoint, !sawExponent else { return .notANumber }
                sawPoint = true
                cleaned.append(byte)
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard sawDigit, !sawExponent else { return .notANumber }
                sawExponent = true
                cleaned.append(UInt8(ascii: "e"))
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E") else { return .notANumber }
                cleaned.append(byte)
            default:
                return .notANumber
            }
            previous = byte
        }
        guard sawDigit, previous != UInt8(ascii: "_"), !sawExponent || exponentDigits,
              let value = Double(sign + String(decoding: cleaned, as: UTF8.self)) else { return .notANumber }
        return value.isInfinite ? .infinite : .finite(value)
    }

    /// The text as Python's `float()` reads it before parsing: every decimal digit of any script
    /// (Arabic-Indic `١٢٣`, Thai `๑๒๓`, fullwidth `１２３` …) as its ASCII digit, Unicode
    /// whitespace as a space; nil when another non-ASCII character leaves it no number.
    private static func asciiDigits(_ text: String) -> String? {
        var ascii = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                ascii.append(scalar)
            } else if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
                      let digit = Unicode.Scalar(UInt32(48 + Int(value))), (0...9).contains(Int(value)) {
                ascii.append(digit)
            } else if scalar.properties.isWhitespace {
                ascii.append(" ")
            } else {
                return nil
            }
        }
        return String(ascii).trimmingCharacters(in: .whitespaces)
    }

    /// Python's `repr(float)`: the shortest round-trip digits, in positional form when the
    /// decimal exponent is from -4 to 15, else as `d.ddde+XX`.
    static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let (digits, exponent) = shortestDigits(abs(value))  // value = 0.d1d2… × 10^exponent
        let sign = value < 0 ? "-" : ""
        let pointPosition = exponent  // digits before the decimal point
        if pointPosition - 1 < -4 || pointPosition - 1 >= 16 {
            let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : digits
            let e = pointPosition - 1
            return sign + mantissa + "e" + (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if digits.count <= pointPosition {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
        }
        let index = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<index] + "." + digits[index...]
    }

    /// The integer a finite, integral double stands for, exactly (Python's `str(int(x))`).
    static func integerText(_ value: Double) -> String {
        if abs(value) < 9.0e15 { return String(Int64(value)) }
        return String(format: "%.0f", value)
    }

    /// Shortest round-trip decimal digits of a positive double and its decimal exponent, from
    /// Swift's own shortest representation.
    private static func shortestDigits(_ value: Double) -> (String, Int) {
        let text = "\(value)"  // e.g. "1234.5", "1e-05", "1.5e+20"
        var mantissa = Substring(text), exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(parts.first ?? "0"), fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = integer + fraction
        var point = integer.count + exponent
        while digits.hasPrefix("0"), digits.count > 1 { digits.removeFirst(); point -= 1 }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }
}
