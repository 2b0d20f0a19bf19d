import Foundation

extension Envelope {
    /// The envelope of JSON in exactly the form ``jsonBytes()`` writes (every bundle and registry
    /// AgriTrace writes), read in one pass over its bytes without building a JSON tree; nil for
    /// JSON of any other form (spaces, other member order, escapes, non-ASCII text, URL-safe
    /// base64, no signatures), which ``parse(_:)`` then reads in full. Where both read an
    /// envelope they give the same one (tested).
    static func parseCompact(_ json: Data) -> Envelope? {
        json.withUnsafeBytes { bytes -> Envelope? in
            var reader = CompactReader(bytes: bytes)
            // AgriTrace's own payload type, the one every record has, as the one shared string.
            guard reader.skip("{\"payload\":\""), let payload = reader.base64(), reader.skip(",\"payloadType\":\""),
                  let payloadType = reader.skipEventPayloadType() ? Envelope.eventPayloadType : reader.text(),
                  reader.skip(",\"signatures\":[") else { return nil }
            var signatures: [Signature] = []
            repeat {
                guard reader.skip("{\"keyid\":\""), let keyid = reader.text(), reader.skip(",\"sig\":\""), let sig = reader.base64(),
                      reader.skip("}") else { return nil }
                signatures.append(Signature(keyid: keyid, sig: sig))
            } while reader.skip(",")
            guard reader.skip("]}"), reader.isAtEnd else { return nil }
            return Envelope(payloadType: payloadType, payload: payload, signatures: signatures)
        }
    }

    /// A cursor over the bytes of a compact envelope.
    private struct CompactReader {
        var cursor: ByteCursor

        init(bytes: UnsafeRawBufferPointer) { cursor = ByteCursor(bytes) }

        var isAtEnd: Bool { cursor.isAtEnd }

        @inline(__always) mutating func skip(_ literal: StaticString) -> Bool { cursor.take(literal) }

        /// Steps over AgriTrace's payload type and the quote closing it, if the string is exactly that.
        mutating func skipEventPayloadType() -> Bool {
            Self.eventPayloadTypeString.withUnsafeBytes { cursor.take($0) }
        }

        private static let eventPayloadTypeString = Array((Envelope.eventPayloadType + "\"").utf8)

        mutating func text() -> String? {
            cursor.unescapedString(asciiOnly: true).map { String(decoding: $0, as: UTF8.self) }
        }

        /// Standard base64 in its canonical form, as AgriTrace writes it (``CanonicalBase64``),
        /// which refuses every byte a JSON string escapes: so the string ends at the first quote.
        mutating func base64() -> Data? {
            cursor.bytesToQuote().flatMap(CanonicalBase64.decode)
        }
    }
}
