import AgriTrace
import Foundation

/// How the registry stores a record's envelope: its payload and signatures as bytes, without the
/// JSON and base64 a bundle carries them in. A row is then a fifth smaller, and registering has
/// no envelope JSON to write (it cost as much as a tenth of a registration's own instructions).
/// Rows written before this form hold the envelope's JSON, which ``envelope(_:)`` reads too.
///
/// The form: a first byte, 1 for an event record (``Envelope/eventPayloadType``) or 2 for a
/// record of another payload type, which follows; then the payload, and each signature's keyid
/// and sig: each field an unsigned LEB128 length and its bytes, and the number of signatures, as
/// LEB128 too, before them.
enum StoredEnvelope {
    /// The first byte of an event record's stored form.
    static let eventForm: UInt8 = 1
    /// The first byte of the stored form of a record whose payload type is written out.
    static let typedForm: UInt8 = 2

    /// The stored form of `envelope`.
    static func bytes(of envelope: Envelope) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(envelope.payloadType.utf8.count + envelope.payload.count
                            + envelope.signatures.reduce(16) { $0 + $1.keyid.utf8.count + $1.sig.count + 4 })
        if envelope.payloadType == Envelope.eventPayloadType {
            out.append(eventForm)
        } else {
            out.append(typedForm)
            append(envelope.payloadType.utf8, to: &out)
        }
        append(envelope.payload, to: &out)
        appendLength(envelope.signatures.count, to: &out)
        for signature in envelope.signatures {
            append(signature.keyid.utf8, to: &out)
            append(signature.sig, to: &out)
        }
        return out
    }

    /// The envelope of a stored row, in either form.
    static func envelope(_ stored: Data) throws -> Envelope {
        if stored.first == UInt8(ascii: "{") { return try Envelope.parse(stored) }
        return try decode(stored)
    }

    /// The envelope JSON of a stored row, as a bundle carries it; a row of neither form as it is
    /// (whoever reads it as JSON then says what is wrong with it).
    static func json(_ stored: Data) -> Data {
        guard stored.first != UInt8(ascii: "{"), let envelope = try? decode(stored) else { return stored }
        return envelope.jsonBytes()
    }

    private static func decode(_ stored: Data) throws -> Envelope {
        try stored.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw)
            let payloadType = switch try reader.byte() {
            case eventForm: Envelope.eventPayloadType
            case typedForm: String(decoding: try reader.field(), as: UTF8.self)
            default: throw damaged("it is in no form this version of AgriTrace knows")
            }
            let payload = Data(try reader.field())
            var signatures: [Envelope.Signature] = []
            let count = try reader.length()  // at most the bytes left: each signature fails once they run out
            signatures.reserveCapacity(min(count, SignatureCheck.maximumSignatures))
            for _ in 0..<count {
                let keyid = String(decoding: try reader.field(), as: UTF8.self)
                signatures.append(.init(keyid: keyid, sig: Data(try reader.field())))
            }
            guard reader.isAtEnd else { throw damaged("bytes follow its last signature") }
            return Envelope(payloadType: payloadType, payload: payload, signatures: signatures)
        }
    }

    private static func append(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        appendLength(bytes.count, to: &out)
        out.append(contentsOf: bytes)
    }

    private static func appendLength(_ length: Int, to out: inout [UInt8]) {
        var rest = UInt64(length)
        while rest >= 0x80 {
            out.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }

    static func damaged(_ why: String) -> TraceError {
        TraceError(.recordMalformed, "a stored record is damaged: \(why)")
    }

    /// A cursor over a stored row that never reads past its end.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var at = 0

        var isAtEnd: Bool { at == bytes.count }

        mutating func byte() throws -> UInt8 {
            guard at < bytes.count else { throw StoredEnvelope.damaged("it ends early") }
            defer { at += 1 }
            return bytes[at]
        }

        /// A LEB128 length, at most what is left to read.
        mutating func length() throws -> Int {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                let byte = try byte()
                guard shift < 63 else { throw StoredEnvelope.damaged("a length does not fit in 63 bits") }
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { break }
                shift += 7
            }
            guard value <= UInt64(bytes.count - at) else { throw StoredEnvelope.damaged("a length runs past its end") }
            return Int(value)
        }

        /// A length and that many bytes.
        mutating func field() throws -> UnsafeRawBufferPointer {
            let count = try length()
            defer { at += count }
            return UnsafeRawBufferPointer(rebasing: bytes[at..<at + count])
        }
    }
}
