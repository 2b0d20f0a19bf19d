import Foundation

/// Typed reading of a JSON object's members, with the member's path in every error, so a broken
/// event says exactly which field is wrong (`quantityList[2].quantity must be a number`).
struct JSONObjectReader {
    let members: [String: JSONValue]
    let code: TraceError.Code
    /// Where this object is, in parts: spelled out (``path``) only for an error, since nearly
    /// every object read is fine and a path per array element would cost more than the reading.
    private let parent: String, key: String, index: Int?

    init(_ value: JSONValue, path: String, code: TraceError.Code) throws {
        try self.init(value, parent: path, key: "", index: nil, code: code)
    }

    private init(_ value: JSONValue, parent: String, key: String, index: Int?, code: TraceError.Code) throws {
        self.parent = parent
        self.key = key
        self.index = index
        self.code = code
        guard case .object(let members) = value else {
            self.members = [:]
            throw TraceError(code, "\(path.isEmpty ? "the value" : path) must be a JSON object")
        }
        self.members = members
    }

    /// `quantityList[2]`, `readPoint`, or the path the reader was made with.
    var path: String {
        let member = key.isEmpty ? parent : parent.isEmpty ? key : "\(parent).\(key)"
        return index.map { "\(member)[\($0)]" } ?? member
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    private func wrong(_ key: String, _ kind: String) -> TraceError { TraceError(code, "\(name(key)) must be \(kind)") }

    func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw wrong(key, "a string") }
        return text
    }

    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key) else { throw TraceError(code, "\(name(key)) is missing") }
        return text
    }

    func decimal(_ key: String) throws -> Decimal? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value else { throw wrong(key, "a number") }
        return number
    }

    func strings(_ key: String) throws -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw wrong(key, "an array of strings") }
        return try items.enumerated().map { index, item in
            guard case .string(let text) = item else { throw wrong("\(key)[\(index)]", "a string") }
            return text
        }
    }

    func object(_ key: String) throws -> JSONObjectReader? {
        guard let value = value(key) else { return nil }
        return try JSONObjectReader(value, parent: path, key: key, index: nil, code: code)
    }

    func objects(_ key: String) throws -> [JSONObjectReader]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw wrong(key, "an array of objects") }
        let path = self.path
        return try items.enumerated().map { index, item in try JSONObjectReader(item, parent: path, key: key, index: index, code: code) }
    }
}
