import Foundation

/// Typed reading of a JSON object's members, with the member's path in every error, so a broken
/// event says exactly which field is wrong (`quantityList[2].quantity must be a number`).
struct JSONObjectReader {
    let members: [String: JSONValue]
    let path: String
    let code: TraceError.Code

    init(_ value: JSONValue, path: String, code: TraceError.Code) throws {
        guard case .object(let members) = value else {
            throw TraceError(code, "\(path.isEmpty ? "the value" : path) must be a JSON object")
        }
        self.members = members
        self.path = path
        self.code = code
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
        return try JSONObjectReader(value, path: name(key), code: code)
    }

    func objects(_ key: String) throws -> [JSONObjectReader]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw wrong(key, "an array of objects") }
        return try items.enumerated().map { index, item in try JSONObjectReader(item, path: "\(name(key))[\(index)]", code: code) }
    }
}
