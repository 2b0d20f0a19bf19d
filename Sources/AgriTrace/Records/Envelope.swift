import Foundation
import TraceCrypto

/// A DSSE v1 envelope (the in-toto signing envelope) around one record payload.
public struct Envelope: Hashable, Sendable, Encodable {
    /// AgriTrace's payload type: one EPCIS 2.0 event in JSON.
    public static let eventPayloadType = "application/vnd.agritrace.event+json"

    public struct Signature: Hashable, Sendable, Encodable {
        /// Hex SHA-256 of the signer certificate's DER.
        public var keyid: String
        /// The signature bytes (DER ECDSA or raw Ed25519).
        public var sig: Data
        public init(keyid: String, sig: Data) {
            self.keyid = keyid
            self.sig = sig
        }
        enum CodingKeys: String, CodingKey { case keyid, sig }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(keyid, forKey: .keyid)
            try c.encode(sig.base64EncodedString(), forKey: .sig)
        }
    }

    public var payloadType: String
    public var payload: Data {
        didSet { digest = RecordDigest.of(payload) }
    }
    public var signatures: [Signature]
    /// The record digest, `sha256:<hex>` of the exact payload bytes: worked out once, when the
    /// payload is set (a registration, a bundle and its checks each ask for it several times).
    public private(set) var digest: String

    public init(payloadType: String = Envelope.eventPayloadType, payload: Data, signatures: [Signature] = []) {
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
        digest = RecordDigest.of(payload)
    }

    /// DSSE's pre-authentication encoding, the bytes every signature covers:
    /// `"DSSEv1" SP len(type) SP type SP len(payload) SP payload`.
    public static func pae(payloadType: String, payload: Data) -> Data {
        Data(paeBytes(payloadType: payloadType, payload: payload))
    }

    /// ``pae(payloadType:payload:)`` as the signer and the signature check use it: written into
    /// one buffer of the final size (string interpolation and a growing `Data` cost more than
    /// copying the payload, for every record signed and verified).
    static func paeBytes(payloadType: String, payload: Data) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(payload.count + payloadType.utf8.count + 48)
        out.append(utf8Of: "DSSEv1 ")
        appendDecimal(payloadType.utf8.count, to: &out)
        out.append(UInt8(ascii: " "))
        out.append(utf8Of: payloadType)
        out.append(UInt8(ascii: " "))
        appendDecimal(payload.count, to: &out)
        out.append(UInt8(ascii: " "))
        out += payload
        return out
    }

    /// The ASCII digits of a non-negative `value`.
    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        let start = out.count
        var rest = value
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        out[start...].reverse()
    }

    /// The PAE of this envelope.
    public var pae: Data { Envelope.pae(payloadType: payloadType, payload: payload) }

    /// The PAE of this envelope, as bytes.
    var paeBytes: [UInt8] { Envelope.paeBytes(payloadType: payloadType, payload: payload) }

    enum CodingKeys: String, CodingKey { case payloadType, payload, signatures }

    /// The largest payload a record may carry: 4 MiB, a thousand times an ordinary event, room
    /// for weeks of sensor readings. Decoded, a payload of tiny JSON values takes tens of times its
    /// size; a bundle may be a gigabyte, and one record must not take a verifier's memory with it.
    public static let maximumPayloadBytes = 4 << 20

    /// The largest envelope JSON text read: the largest payload in base64, with room for its
    /// signatures.
    public static let maximumBytes = 6 << 20

    /// Reads an envelope from its JSON text (at most ``maximumBytes``, its payload at most
    /// ``maximumPayloadBytes``: else `record.tooLarge`).
    public static func parse(_ json: Data) throws -> Envelope {
        guard json.count <= maximumBytes else {
            throw TraceError(.recordTooLarge, "the record is \(json.count) bytes, over the \(maximumBytes >> 20) MiB a record may take")
        }
        let envelope = try parseCompact(json) ?? parseAnyForm(json)  // the compact form is the one AgriTrace writes, read in one pass
        try checkSize(of: envelope.payload)
        return envelope
    }

    /// Throws `record.tooLarge` for a payload over ``maximumPayloadBytes``.
    static func checkSize(of payload: Data) throws {
        guard payload.count <= maximumPayloadBytes else {
            throw TraceError(.recordTooLarge, "the payload is \(payload.count) bytes, over the \(maximumPayloadBytes >> 20) MiB a record may carry")
        }
    }

    /// ``parse(_:)`` for JSON of any form: parsed in full, then read member by member.
    static func parseAnyForm(_ json: Data) throws -> Envelope {
        let value: JSONValue
        do { value = try JSONParser<JSONValueBuilder>.parse(json) } catch {
            throw TraceError(.recordMalformed, "the record is not valid JSON (\(error))")
        }
        let r = try JSONObjectReader(value, path: "envelope", code: .recordMalformed)
        guard let signatures = try r.objects("signatures") else {
            throw TraceError(.recordMalformed, "not a DSSE envelope: payloadType, payload and signatures are required")
        }
        return Envelope(
            payloadType: try r.requiredString("payloadType"),
            payload: try decodeBase64(try r.requiredString("payload"), field: "payload"),
            signatures: try signatures.map {
                Signature(keyid: try $0.string("keyid") ?? "", sig: try decodeBase64(try $0.requiredString("sig"), field: "sig"))
            }
        )
    }

    /// The envelope's JSON, compact with sorted keys (the bytes `JSONEncoder` with `.sortedKeys`
    /// and `.withoutEscapingSlashes` gives), for bundles and the registry.
    public func jsonBytes() -> Data {
        var writer = CanonicalJSONWriter(capacity: payload.count * 4 / 3 + 256)
        writer.object { writer, first in  // members in code point order
            writer.member("payload", first: &first) { $0.base64String(payload) }
            writer.member("payloadType", first: &first) { $0.string(payloadType) }
            writer.member("signatures", first: &first) { writer in
                writer.array(signatures) { writer, signature in
                    writer.object { writer, first in
                        writer.member("keyid", first: &first) { $0.string(signature.keyid) }
                        writer.member("sig", first: &first) { $0.base64String(signature.sig) }
                    }
                }
            }
        }
        return Data(writer.bytes)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(payloadType, forKey: .payloadType)
        try c.encode(payload.base64EncodedString(), forKey: .payload)
        try c.encode(signatures, forKey: .signatures)
    }

    /// Standard or URL-safe base64, with or without padding, as DSSE allows.
    static func decodeBase64(_ text: String, field: String) throws -> Data {
        if let data = Data(base64Encoded: text) { return data }
        guard let data = Base64URL.decodeEitherAlphabet(text) else {
            throw TraceError(.recordMalformed, "the envelope's \(field) is not base64")
        }
        return data
    }
}

/// Record digests: `sha256:<hex>` of a payload.
public enum RecordDigest {
    public static func of(_ payload: Data) -> String {
        SHA256Digest(of: payload).hexString(after: "sha256:")
    }

    /// Whether `text` has the form `sha256:` followed by 64 lower-case hex digits.
    public static func isWellFormed(_ text: String) -> Bool {
        guard text.utf8.count == 71 else { return false }
        return text.withUTF8Bytes { ByteSearch.hasPrefix($0, "sha256:") && HexDigits.areAll($0[7...], upperCase: false) }
    }
}
