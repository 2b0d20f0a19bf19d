import Foundation

/// An error from the AgriTrace domain: a stable ``Code`` plus a sentence that names what is
/// wrong and where (the record, the field, the file).
public struct TraceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, dotted error code; the same codes appear as verification findings.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { rawValue = value }
        public var description: String { rawValue }
        public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        public static let bundleMalformed: Code = "bundle.malformed"
        public static let bundleVersion: Code = "bundle.version"
        public static let bundleTooLarge: Code = "bundle.tooLarge"
        public static let recordMalformed: Code = "record.malformed"
        public static let recordTooLarge: Code = "record.tooLarge"
        public static let eventInvalid: Code = "event.invalid"
        public static let signingFailed: Code = "record.signingFailed"
        public static let identifierInvalid: Code = "identifier.invalid"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
