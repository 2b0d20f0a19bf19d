import Foundation

/// What a ``JSONParser`` builds: ``JSONValue`` for records, ``OrderedJSON`` where member order
/// matters (the CBV event hash).
protocol JSONTreeBuilder {
    associatedtype Value
    static func string(_ value: String) -> Value
    /// A number, given as its exact literal text.
    static func number(_ literal: UnsafeRawBufferPointer) throws(JSONParser<Self>.Failure) -> Value
    static func bool(_ value: Bool) -> Value
    static var null: Value { get }
    static func array(_ elements: [Value]) -> Value
    /// An object, members in document order; nil when a member name repeats.
    static func object(_ members: [(String, Value)]) -> Value?
}

/// A fast, strict JSON parser for record payloads, envelopes and EPCIS documents.
///
/// Foundation's `JSONDecoder` spends most of a verification's time on Codable machinery; this
/// parser reads bytes once, bounds nesting depth, and reports the byte offset of any error.
struct JSONParser<Builder: JSONTreeBuilder> {
    struct Failure: Error, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "byte \(offset): \(reason)" }
    }
    typealias Value = Builder.Value

    /// Parses a whole document of at most `maxValues` values (each string, number, literal, array
    /// and object counts one): a tree takes tens of bytes per value, however short its text.
    static func parse(_ data: Data, maxDepth: Int = 64, maxValues: Int = .max) throws(Failure) -> Value {
        let result: Result<Value, Failure> = data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw, maxDepth: maxDepth, maxValues: maxValues)
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
    private let maxValues: Int
    private var index = 0
    private var values = 0

    private init(bytes: UnsafeRawBufferPointer, maxDepth: Int, maxValues: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.maxValues = maxValues
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private func fail(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

    private mutating func value(depth: Int) throws(Failure) -> Value {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        values += 1
        guard values <= maxValues else { throw fail("more than \(maxValues) JSON values") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return Builder.string(try string())
        case UInt8(ascii: "t"): try literal("true"); return Builder.bool(true)
        case UInt8(ascii: "f"): try literal("false"); return Builder.bool(false)
        case UInt8(ascii: "n"): try literal("null"); return Builder.null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            try number()
            return try Builder.number(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        default: throw fail("unexpected byte 0x\(String(bytes[index], radix: 16)) where a value should start")
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> Value {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        let start = index
        index += 1
        var members: [(String, Value)] = []
        func finish() throws(Failure) -> Value {
            guard let value = Builder.object(members) else {
                throw Failure(offset: start, reason: "an object repeats a member name, or holds two that Unicode counts as one (an NFC and an NFD spelling)")
            }
            return value
        }
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return try finish() }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected : after member name") }
            index += 1
            skipWhitespace()
            members.append((key, try value(depth: depth)))
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated object") }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return try finish() }
            guard bytes[index] == UInt8(ascii: ",") else { throw fail("expected , or } in object") }
            index += 1
            skipWhitespace()
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> Value {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        index += 1
        var elements: [Value] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return Builder.array(elements) }
        while true {
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated array") }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return Builder.array(elements) }
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

    /// Scans a JSON number, checking its grammar.
    private mutating func number() throws(Failure) {
        func digit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, digit(bytes[index]) else { throw fail("invalid number") }
        if bytes[index] == UInt8(ascii: "0"), index + 1 < bytes.count, digit(bytes[index + 1]) { throw fail("invalid number: leading zero") }
        while index < bytes.count, digit(bytes[index]) { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, digit(bytes[index]) else { throw fail("invalid number: no digits after the point") }
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, digit(bytes[index]) else { throw fail("invalid number: empty exponent") }
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
    }
}

/// Builds ``JSONValue`` trees: objects as dictionaries, numbers as exact decimals.
enum JSONValueBuilder: JSONTreeBuilder {
    static func string(_ value: String) -> JSONValue { .string(value) }
    static func bool(_ value: Bool) -> JSONValue { .bool(value) }
    static var null: JSONValue { .null }
    static func array(_ elements: [JSONValue]) -> JSONValue { .array(elements) }

    static func object(_ members: [(String, JSONValue)]) -> JSONValue? {
        var dictionary: [String: JSONValue] = [:]
        dictionary.reserveCapacity(members.count)
        for (key, value) in members where dictionary.updateValue(value, forKey: key) != nil { return nil }
        return .object(dictionary)
    }

    /// The literal as a Decimal, with no binary floating point on the way. Past 18 significant
    /// digits the value keeps its magnitude and loses its last digits.
    static func number(_ literal: UnsafeRawBufferPointer) throws(JSONParser<Self>.Failure) -> JSONValue {
        var index = 0
        var negative = false
        if literal[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        var significand: UInt64 = 0
        var exponent = 0
        func digit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        while index < literal.count, digit(literal[index]) {
            if significand < 100_000_000_000_000_000 { significand = significand * 10 + UInt64(literal[index] - 48) } else { exponent += 1 }
            index += 1
        }
        if index < literal.count, literal[index] == UInt8(ascii: ".") {
            index += 1
            while index < literal.count, digit(literal[index]) {
                if significand < 100_000_000_000_000_000 { significand = significand * 10 + UInt64(literal[index] - 48); exponent -= 1 }
                index += 1
            }
        }
        if index < literal.count {  // exponent
            index += 1
            var expNegative = false
            if literal[index] == UInt8(ascii: "+") || literal[index] == UInt8(ascii: "-") {
                expNegative = literal[index] == UInt8(ascii: "-")
                index += 1
            }
            var value = 0
            while index < literal.count { value = min(value * 10 + Int(literal[index] - 48), 10_000); index += 1 }
            exponent += expNegative ? -value : value
        }
        guard exponent > -128, exponent < 127 else { throw .init(offset: 0, reason: "number out of range") }
        return .number(Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(significand)))
    }
}

