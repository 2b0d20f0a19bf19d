import Foundation

/// base64url without padding (RFC 4648 §5), as labels carry their digest and signature, and
/// the reading of either base64 alphabet with or without padding, as DSSE envelopes allow.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        let standard = Data(bytes).base64EncodedData()
        return String(decoding: standard.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }, as: UTF8.self)
    }

    public static func decode(_ text: String, field: String) throws -> [UInt8] {
        guard text.utf8.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45 || $0 == 95 }),
              let data = decodeEitherAlphabet(text) else {
            throw TraceError("label.malformed", "\(field) is not base64url")
        }
        return [UInt8](data)
    }

    /// Standard or URL-safe base64, with or without padding; nil when it is neither. Byte by
    /// byte: Foundation's `replacingOccurrences` would copy a large payload to UTF-16 twice.
    static func decodeEitherAlphabet(_ text: String) -> Data? {
        var bytes = Array(text.utf8)
        for index in bytes.indices {
            if bytes[index] == UInt8(ascii: "-") { bytes[index] = UInt8(ascii: "+") } else if bytes[index] == UInt8(ascii: "_") { bytes[index] = UInt8(ascii: "/") }
        }
        bytes += repeatElement(UInt8(ascii: "="), count: (4 - bytes.count % 4) % 4)
        return Data(base64Encoded: Data(bytes))
    }
}
