import Foundation

/// Any JSON value, for the open-ended parts of an EPCIS event (ILMD, sensor data, extensions).
public enum JSONValue: Hashable, Sendable, Codable {
    case string(String)
    case number(Decimal)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Decimal.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// Parses JSON text, with the same depth limit and errors as record payloads, of at most
    /// `maxValues` values.
    public static func parse(_ data: Data, maxValues: Int = .max) throws -> JSONValue {
        do { return try JSONParser<JSONValueBuilder>.parse(data, maxDepth: 64, maxValues: maxValues) } catch {
            throw TraceError("json.malformed", "not valid JSON at \(error)")
        }
    }

    /// Whether this holds at most `limit` values, itself included (each string, number, literal,
    /// array and object), and no string value of more than `stringBytes` UTF-8 bytes, counting no
    /// further than the limit.
    func holdsAtMost(_ limit: Int, stringBytes: Int = .max) -> Bool {
        var left = limit
        return fits(within: &left, stringBytes: stringBytes)
    }

    private func fits(within left: inout Int, stringBytes: Int) -> Bool {
        left -= 1
        guard left >= 0 else { return false }
        switch self {
        case .string(let text): return text.utf8.count <= stringBytes
        case .array(let items): return items.allSatisfy { $0.fits(within: &left, stringBytes: stringBytes) }
        case .object(let members): return members.values.allSatisfy { $0.fits(within: &left, stringBytes: stringBytes) }
        default: return true
        }
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public subscript(key: String) -> JSONValue? { objectValue?[key] }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}
