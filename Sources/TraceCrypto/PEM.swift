import Foundation

/// Plain PEM armour (RFC 7468) for DER blobs that OpenSSL does not need to see.
public enum PEM {
    /// Wraps `der` in `-----BEGIN label-----` lines of 64 base64 characters.
    public static func encode(_ der: Data, label: String) -> String {
        let base64 = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }

    /// Every DER blob with the given label in `text`, in order.
    public static func decodeAll(_ text: String, label: String) -> [Data] {
        var result: [Data] = []
        let begin = "-----BEGIN \(label)-----", end = "-----END \(label)-----"
        var rest = Substring(text)
        while let start = rest.range(of: begin), let stop = rest.range(of: end, range: start.upperBound..<rest.endIndex) {
            let body = rest[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
            if let der = Data(base64Encoded: String(body)) { result.append(der) }
            rest = rest[stop.upperBound...]
        }
        return result
    }
}
