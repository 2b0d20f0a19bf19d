import Foundation

/// Errors about identifiers: each names the identifier and what is wrong with it.
public struct IdentifierError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var description: String { "\(code): \(message)" }
    static func invalid(_ kind: String, _ value: String, _ why: String) -> IdentifierError {
        IdentifierError(code: "identifier.invalid", message: "\(kind) \"\(value)\" \(why)")
    }
}

/// GS1 check digits (mod 10, weights 3,1,3,… from the right, check digit excluded).
public enum GS1CheckDigit {
    /// The check digit for `digits` (without the check digit).
    public static func compute(_ digits: some StringProtocol) -> Int? {
        var sum = 0
        for (position, character) in digits.reversed().enumerated() {
            guard let value = character.wholeNumberValue, character.isASCII else { return nil }
            sum += value * (position % 2 == 0 ? 3 : 1)
        }
        return (10 - sum % 10) % 10
    }

    /// Whether the last digit of `number` is its correct check digit.
    public static func isValid(_ number: some StringProtocol) -> Bool {
        guard number.count >= 2, let last = number.last?.wholeNumberValue else { return false }
        return compute(number.dropLast()) == last
    }

    /// `digits` with its check digit appended.
    public static func appending(to digits: String) -> String? {
        compute(digits).map { digits + String($0) }
    }
}

/// A GS1 key held as its digits: in JSON a plain string (`"gtin": "08936000120016"`, as the
/// `--json` outputs give it), read back through the key's own checks.
public protocol GS1KeyText: Codable {
    var value: String { get }
    init(_ text: String) throws
}

extension GS1KeyText {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(try container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// A Global Trade Item Number, always held as GTIN-14.
public struct GTIN: Hashable, Sendable, GS1KeyText, CustomStringConvertible {
    public let value: String

    /// Accepts GTIN-8, -12, -13 or -14 with a valid check digit and pads it to 14 digits.
    public init(_ text: String) throws {
        guard [8, 12, 13, 14].contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw IdentifierError.invalid("GTIN", text, "must be 8, 12, 13 or 14 digits")
        }
        guard GS1CheckDigit.isValid(text) else { throw IdentifierError.invalid("GTIN", text, "has a wrong check digit") }
        value = String(repeating: "0", count: 14 - text.count) + text
    }

    public var description: String { value }
}

/// A Global Location Number (13 digits) naming a party or place.
public struct GLN: Hashable, Sendable, GS1KeyText, CustomStringConvertible {
    public let value: String
    public init(_ text: String) throws {
        guard text.count == 13, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw IdentifierError.invalid("GLN", text, "must be 13 digits")
        }
        guard GS1CheckDigit.isValid(text) else { throw IdentifierError.invalid("GLN", text, "has a wrong check digit") }
        value = text
    }
    public var description: String { value }
    /// `https://id.gs1.org/417/<GLN>`, the party's Digital Link.
    public var partyURI: String { "\(DigitalLink.gs1Domain)/417/\(value)" }
    /// `https://id.gs1.org/414/<GLN>`, the location's Digital Link.
    public var locationURI: String { "\(DigitalLink.gs1Domain)/414/\(value)" }
}

/// A Serial Shipping Container Code (18 digits) naming a carton or pallet.
public struct SSCC: Hashable, Sendable, GS1KeyText, CustomStringConvertible {
    public let value: String
    public init(_ text: String) throws {
        guard text.count == 18, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw IdentifierError.invalid("SSCC", text, "must be 18 digits")
        }
        guard GS1CheckDigit.isValid(text) else { throw IdentifierError.invalid("SSCC", text, "has a wrong check digit") }
        value = text
    }
    public var description: String { value }
}
