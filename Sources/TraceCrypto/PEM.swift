import Foundation

/// Plain PEM armour (RFC 7468) for DER blobs that OpenSSL does not need to see.
public enum PEM {
    /// Wraps `der` in `-----BEGIN label-----` lines of 64 base64 characters.
    public static func encode(_ der: Data, label: String) -> String {
        let base64 = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }

    /// Every DER blob with the given label in `text`, in order; a block whose body is not base64
    /// is skipped. Read on the bytes in one pass: searching the rest of the text with Foundation
    /// copied it each time, so a trust file of 20,000 certificates took a minute.
    public static func decodeAll(_ text: String, label: String) -> [Data] {
        let bytes = Array(text.utf8)
        let begin = Array("-----BEGIN \(label)-----".utf8), end = Array("-----END \(label)-----".utf8)
        var result: [Data] = []
        var at = 0
        func find(_ needle: [UInt8], from start: Int) -> Int? {
            bytes.withUnsafeBufferPointer { hay in needle.withUnsafeBufferPointer { ByteSearch.offset(of: $0, in: hay, from: start) } }
        }
        while let start = find(begin, from: at), let stop = find(end, from: start + begin.count) {
            // RFC 7468's whitespace between the base64 lines: space, tab, line feed, vertical tab, form feed, return.
            let body = bytes[(start + begin.count)..<stop].filter { !(9...13).contains($0) && $0 != 32 }
            if let der = Data(base64Encoded: Data(body)) { result.append(der) }
            at = stop + end.count
        }
        return result
    }
}
