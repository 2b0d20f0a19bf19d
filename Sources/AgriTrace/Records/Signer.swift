import Foundation
import TraceCrypto

/// A party's signing identity: its key and the certificate (with chain) that names it.
public struct Signer: Sendable {
    public let key: PrivateKey
    public let certificate: Certificate
    /// Intermediate certificates between the signer and a trust anchor, leaf's issuer first.
    public let chain: [Certificate]
    /// The DSSE keyid of this signer: hex SHA-256 of its certificate's DER (worked out once, and
    /// one string shared by every signature it makes).
    public let keyid: String

    public init(key: PrivateKey, certificate: Certificate, chain: [Certificate] = []) throws {
        guard certificate.matches(key) else {
            throw TraceError(.signingFailed, "the key does not belong to the certificate of \(certificate.subject)")
        }
        self.key = key
        self.certificate = certificate
        self.chain = chain
        keyid = certificate.fingerprint.hexString
    }

    /// Signs `event` into a record envelope. An event without an `eventID` gets its CBV 2.0
    /// event hash as one first, so other EPCIS systems name it as AgriTrace does. An event whose
    /// identifiers or vocabulary are not ASCII, or whose units are no UN/ECE codes, is refused
    /// (``EPCISEvent/checkWireForm()``).
    public func sign(_ event: EPCISEvent) throws -> Envelope {
        try signRecord(event).envelope
    }

    /// Signs `events` on all cores, in order: the envelopes with the events as signed (eventID set).
    public func sign(_ events: [EPCISEvent]) throws -> [(envelope: Envelope, event: EPCISEvent)] {
        try events.indices.runs(of: Self.runLength).concurrentMap(throwing: { try signInOrder(events[$0]) }).flatMap { $0 }
    }

    /// How many events one worker signs at a time: first it hashes and encodes them all, then
    /// signs them one after another, so each signature finds the curve's tables still in the
    /// core's cache, where the JSON work in between would evict them.
    public static let runLength = 16

    /// ``signRecord(_:)`` for a run of events on the calling thread: all hashed and encoded first,
    /// then the signatures back to back.
    public func signInOrder(_ events: ArraySlice<EPCISEvent>) throws -> [(envelope: Envelope, event: EPCISEvent)] {
        let encoded = try events.map { event in
            try event.checkWireForm()  // no verifier would accept the record
            var event = event
            if event.eventID.isEmpty { event.eventID = try EventHash.eventID(for: event) }
            return (event: event, payload: try event.payloadBytes())
        }
        return try encoded.map { (try sign(payload: $0.payload), $0.event) }
    }

    /// ``sign(_:)``, also returning the event as signed (with its eventID).
    public func signRecord(_ event: EPCISEvent) throws -> (envelope: Envelope, event: EPCISEvent) {
        try signInOrder([event])[0]
    }

    /// Signs raw payload bytes into an envelope, or adds this signer's signature to `envelope`.
    /// A payload over ``Envelope/maximumPayloadBytes`` is refused (`record.tooLarge`): no verifier would read it.
    public func sign(payload: Data, payloadType: String = Envelope.eventPayloadType) throws -> Envelope {
        try Envelope.checkSize(of: payload)
        var envelope = Envelope(payloadType: payloadType, payload: payload)
        try countersign(&envelope)
        return envelope
    }

    /// Adds this signer's signature to an existing envelope (which may carry at most
    /// ``SignatureCheck/maximumSignatures``).
    public func countersign(_ envelope: inout Envelope) throws {
        guard envelope.signatures.count < SignatureCheck.maximumSignatures else {
            throw TraceError(.signatureTooMany, "the record already carries \(envelope.signatures.count) signatures, the most a verifier accepts")
        }
        do {
            let signature = try key.sign(envelope.paeBytes)
            envelope.signatures.append(.init(keyid: keyid, sig: Data(signature)))
        } catch {
            throw TraceError(.signingFailed, "signing failed: \(error)")
        }
    }
}
