import Foundation

/// A fast, strict JSON parser into ``JSONValue`` for record payloads and envelopes.
///
/// Foundation's `JSONDecoder` spends most of a verification's time on Codable machinery; this
/// parser reads bytes once, bounds nesting depth, and reports the byte offset of any error.
struct JSONParser {
    struct Failure: Error, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "byte \(offset): \(reason)" }
    }

    /// Parses a whole document.
    static func parse(_ data: Data, maxDepth: Int = 64) throws(Failure) -> JSONValue {
        let result: Result<JSONValue, Failure> = data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw, maxDepth: maxDepth)
            do throws(Failure) {
                parser.skipWhitespace()
                let value = try parser.value(depth: 0)
                parser.skipWhitespace()
                guard parser.index == raw.count else { throw Failure(offset: parser.index, reason: "unexpected data after the JSON value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private let bytes: UnsafeRawBufferPointer
    private let maxDepth: Int
    private var index = 0

    private init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private func fail(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected byte 0x\(String(bytes[index], radix: 16)) where a value should start")
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected : after member name") }
            index += 1
            skipWhitespace()
            let value = try value(depth: depth)
            guard members.updateValue(value, forKey: key) == nil else { throw fail("duplicate member \"\(key.prefix(40))\"") }
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated object") }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            guard bytes[index] == UInt8(ascii: ",") else { throw fail("expected , or } in object") }
            index += 1
            skipWhitespace()
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated array") }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
            guard bytes[index] == UInt8(ascii: ",") else { throw fail("expected , or ] in array") }
            index += 1
            skipWhitespace()
        }
    }

    private mutating func string() throws(Failure) -> String {
        let start = index + 1
        var cursor = start
        // Fast path: no escapes.
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\"") {
                index = cursor + 1
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { index = cursor; throw fail("control character inside a string") }
            cursor += 1
        }
        var out = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<min(cursor, bytes.count)]))
        while cursor < bytes.count {
            let byte = bytes[cursor]
            switch byte {
            case UInt8(ascii: "\""):
                index = cursor + 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard cursor + 1 < bytes.count else { break }
                cursor += 1
                switch bytes[cursor] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    index = cursor
                    var scalar = try hex4(at: cursor + 1)
                    cursor += 4
                    if (0xD800..<0xDC00).contains(scalar), cursor + 6 < bytes.count,
                       bytes[cursor + 1] == UInt8(ascii: "\\"), bytes[cursor + 2] == UInt8(ascii: "u") {
                        let low = try hex4(at: cursor + 3)
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            cursor += 6
                        }
                    }
                    out.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
                default:
                    index = cursor
                    throw fail("invalid escape in a string")
                }
                cursor += 1
            default:
                if byte < 0x20 { index = cursor; throw fail("control character inside a string") }
                out.append(byte)
                cursor += 1
            }
        }
        throw Failure(offset: start - 1, reason: "unterminated string")
    }

    private func hex4(at start: Int) throws(Failure) -> UInt32 {
        guard start + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[start + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - 55
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("invalid literal") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw fail("invalid literal")
        }
        index += count
    }

    /// A JSON number, exactly, as a Decimal (no binary floating point on the way).
    private mutating func number() throws(Failure) -> Decimal {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        var significand: UInt64 = 0
        var exponent = 0
        func digit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        guard index < bytes.count, digit(bytes[index]) else { throw fail("invalid number") }
        if bytes[index] == UInt8(ascii: "0"), index + 1 < bytes.count, digit(bytes[index + 1]) { throw fail("invalid number: leading zero") }
        while index < bytes.count, digit(bytes[index]) {
            // Past 18 digits the value keeps its magnitude and loses its last digits.
            if significand < 100_000_000_000_000_000 { significand = significand * 10 + UInt64(bytes[index] - 48) } else { exponent += 1 }
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, digit(bytes[index]) else { throw fail("invalid number: no digits after the point") }
            while index < bytes.count, digit(bytes[index]) {
                if significand < 100_000_000_000_000_000 { significand = significand * 10 + UInt64(bytes[index] - 48); exponent -= 1 }
                index += 1
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var expNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                expNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < bytes.count, digit(bytes[index]) else { throw fail("invalid number: empty exponent") }
            var value = 0
            while index < bytes.count, digit(bytes[index]) {
                value = min(value * 10 + Int(bytes[index] - 48), 10_000)
                index += 1
            }
            exponent += expNegative ? -value : value
        }
        guard exponent > -128, exponent < 127 else {
            throw Failure(offset: start, reason: "number out of range")
        }
        return Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
    }
}
