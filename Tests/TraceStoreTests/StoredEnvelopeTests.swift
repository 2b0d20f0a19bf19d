import AgriTrace
import Foundation
import Testing
@testable import TraceStore

/// The registry's stored form of an envelope: bytes, not JSON, read back exactly; rows of the
/// JSON form written before it read as they did; damaged rows an error, never a crash.
@Suite("Stored envelopes")
struct StoredEnvelopeTests {
    static let signature = Envelope.Signature(keyid: String(repeating: "ab", count: 32), sig: Data((0..<71).map { UInt8($0) }))

    static let envelopes: [Envelope] = [
        Envelope(payload: Data(#"{"type":"ObjectEvent"}"#.utf8), signatures: [signature]),
        Envelope(payloadType: "application/vnd.in-toto+json", payload: Data(), signatures: [
            signature, .init(keyid: "k", sig: Data()), .init(keyid: "é", sig: Data([0xFF])),
        ]),
        Envelope(payload: Data(repeating: 0x61, count: 127), signatures: []),
        Envelope(payload: Data(repeating: 0x62, count: 128), signatures: [signature]),  // a length of two bytes
        Envelope(payload: Data((0..<20_000).map { UInt8($0 % 251) }), signatures: [signature]),  // three bytes
        Envelope(payloadType: "", payload: Data("x".utf8), signatures: [signature]),  // a type of its own, though empty
    ]

    @Test("an envelope stored as bytes reads back as it was, payload type, payload and every signature", arguments: envelopes)
    func roundTrip(envelope: Envelope) throws {
        let stored = StoredEnvelope.bytes(of: envelope)
        let read = try StoredEnvelope.envelope(Data(stored))
        #expect(read == envelope)
        #expect(read.digest == envelope.digest)
        #expect(StoredEnvelope.json(Data(stored)) == envelope.jsonBytes())  // what check hands the verifier
    }

    @Test("a stored event record is smaller than its JSON: no base64, no member names, no event payload type")
    func smallerThanJSON() {
        let envelope = Self.envelopes[4]
        let stored = StoredEnvelope.bytes(of: envelope)
        #expect(stored.count == 1 + 3 + 20_000 + 1 + 1 + 64 + 1 + 71)
        #expect(Double(stored.count) < Double(envelope.jsonBytes().count) * 0.8)
    }

    @Test("a row of the JSON form, as registries wrote before, reads as before")
    func jsonRows() throws {
        for envelope in Self.envelopes {
            let json = envelope.jsonBytes()
            #expect(try StoredEnvelope.envelope(json) == envelope)
            #expect(StoredEnvelope.json(json) == json)
        }
    }

    @Test("a damaged row is an error naming it damaged: cut short anywhere, a length past its end, more signatures than it holds, bytes after the end, an unknown form")
    func damagedRows() throws {
        let whole = StoredEnvelope.bytes(of: Self.envelopes[1])
        var damaged: [[UInt8]] = (0..<whole.count).map { Array(whole.prefix($0)) }  // every truncation
        damaged.append(whole + [0])  // a byte after the last signature
        damaged.append([3] + whole.dropFirst())  // a later form
        damaged.append([1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])  // a length past 63 bits
        damaged.append([1, 5, 1, 2])  // a payload of five bytes holding two
        damaged.append([1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])  // four billion signatures in none
        damaged.append([1, 0, 2, 0, 0])  // two signatures with room for one
        for bytes in damaged {
            #expect(throws: TraceError.self, "\(bytes.prefix(12))") { try StoredEnvelope.envelope(Data(bytes)) }
            #expect(StoredEnvelope.json(Data(bytes)) == Data(bytes), "a damaged row goes to the verifier as it is")
        }
        let error = try #require(throws: TraceError.self) { try StoredEnvelope.envelope(Data(whole.dropLast())) }
        #expect(error.code == .recordMalformed)
        #expect(error.message.contains("damaged"))
    }

    @Test("random bytes decode or fail, never crash")
    func randomRows() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let count = Int.random(in: 0..<40, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if !bytes.isEmpty, Bool.random(using: &generator) { bytes[0] = Bool.random(using: &generator) ? StoredEnvelope.eventForm : StoredEnvelope.typedForm }
            _ = try? StoredEnvelope.envelope(Data(bytes))
            _ = StoredEnvelope.json(Data(bytes))
        }
    }
}
