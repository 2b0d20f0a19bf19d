import Foundation
import TraceCrypto

/// Writes JSON the way record payloads are signed: compact, object members sorted by the UTF-8
/// bytes of their names, `/` unescaped, numbers as `Decimal.description`. The output is byte for
/// byte what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` gives (tested), at a
/// small fraction of its cost, so signing and registering thousands of events stays cheap.
struct CanonicalJSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func write(_ json: JSONValue) {
        switch json {
        case .string(let text): string(text)
        case .number(let value): number(value)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        case .array(let items): array(items) { $0.write($1) }
        case .object(let members):
            object { writer, first in
                for (name, value) in members.sorted(by: { CodePointOrder.precedes($0.key, $1.key) }) {
                    writer.member(key: name, first: &first) { $0.write(value) }
                }
            }
        }
    }

    mutating func number(_ number: Decimal) {
        bytes.append(contentsOf: DecimalText.of(number).utf8)
    }

    /// `data` in standard base64 with padding, as a JSON string (the same bytes as
    /// `string(data.base64EncodedString())`, tested): base64 never needs escaping, so it is
    /// encoded straight into the output, with no string in between.
    mutating func base64String(_ data: Data) {
        bytes.append(UInt8(ascii: "\""))
        appendBase64(data)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Standard base64 with padding, encoded in place at the end of the output, grown to its
    /// final size first: three bytes to four characters at a time, through pointers (a payload is
    /// a kilobyte or more, encoded for every record registered, exported or bundled).
    private mutating func appendBase64(_ data: Data) {
        let length = (data.count + 2) / 3 * 4, start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: length))
        bytes.withUnsafeMutableBufferPointer { out in
            guard var to = out.baseAddress.map({ $0 + start }) else { return }
            data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
                Self.base64Alphabet.withUnsafeBufferPointer { alphabet in
                    guard var from = input.baseAddress?.assumingMemoryBound(to: UInt8.self), let alphabet = alphabet.baseAddress else { return }
                    let end = from + input.count
                    while end - from >= 3 {
                        let group = UInt32(from[0]) << 16 | UInt32(from[1]) << 8 | UInt32(from[2])
                        to[0] = alphabet[Int(group >> 18)]
                        to[1] = alphabet[Int(group >> 12 & 63)]
                        to[2] = alphabet[Int(group >> 6 & 63)]
                        to[3] = alphabet[Int(group & 63)]
                        from += 3
                        to += 4
                    }
                    let rest = end - from  // 1 or 2 bytes left: 2 or 3 characters and padding
                    if rest > 0 {
                        let group = UInt32(from[0]) << 16 | (rest == 2 ? UInt32(from[1]) << 8 : 0)
                        to[0] = alphabet[Int(group >> 18)]
                        to[1] = alphabet[Int(group >> 12 & 63)]
                        to[2] = alphabet[rest == 2 ? Int(group >> 6 & 63) : 64]  // 64: the padding character
                        to[3] = alphabet[64]
                    }
                }
            }
        }
    }

    /// The 64 characters, and `=` at index 64 for padding.
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".utf8)

    /// JSON text written before by this writer (a cached value).
    mutating func raw(_ json: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: json)
    }

    /// JSON text already written (a number's literal, `true`), copied as it is.
    mutating func raw(_ json: String) {
        bytes.append(utf8Of: json)
    }

    /// An object: `{`, the members `body` writes with ``member(_:first:_:)``, `}`. The body
    /// writes them in code point order of their names; `first` is its comma state.
    mutating func object(_ body: (inout CanonicalJSONWriter, _ first: inout Bool) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        body(&self, &first)
        bytes.append(UInt8(ascii: "}"))
    }

    /// One member of the object being written, its name from data (escaped as need be).
    mutating func member(key name: String, first: inout Bool, _ value: (inout CanonicalJSONWriter) -> Void) {
        separate(&first)
        string(name)
        bytes.append(UInt8(ascii: ":"))
        value(&self)
    }

    /// One member of the object being written, its name a literal of the format (ASCII that
    /// needs no escape), copied as it is: the payload of every record signed has some twenty.
    mutating func member(_ name: StaticString, first: inout Bool, _ value: (inout CanonicalJSONWriter) -> Void) {
        separate(&first)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        value(&self)
    }

    /// The comma before every member but an object's first.
    private mutating func separate(_ first: inout Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    mutating func array<T>(_ items: [T], _ element: (inout CanonicalJSONWriter, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else as UTF-8.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escape at all: copy them in one piece.
        let plain = text.withUTF8Bytes { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            for byte in raw[JSONScanner.plainWords(raw, from: 0)...] where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return false
            }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
