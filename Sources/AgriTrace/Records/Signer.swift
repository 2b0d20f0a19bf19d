import Foundation
import TraceCrypto

/// A party's signing identity: its key and the certificate (with chain) that names it.
public struct Signer: Sendable {
    public let key: PrivateKey
    public let certificate: Certificate
    /// Intermediate certificates between the signer and a trust anchor, leaf's issuer first.
    public let chain: [Certificate]

    public init(key: PrivateKey, certificate: Certificate, chain: [Certificate] = []) throws {
        guard certificate.matches(key) else {
            throw TraceError(.signingFailed, "the key does not belong to the certificate of \(certificate.subject)")
        }
        self.key = key
        self.certificate = certificate
        self.chain = chain
    }

    /// The DSSE keyid of this signer: hex SHA-256 of its certificate's DER.
    public var keyid: String { certificate.fingerprint.hexString }

    /// Signs `event` into a record envelope. An event without an `eventID` gets its CBV 2.0
    /// event hash as one first, so other EPCIS systems name it as AgriTrace does.
    public func sign(_ event: EPCISEvent) throws -> Envelope {
        try signRecord(event).envelope
    }

    /// Signs `events` on all cores, in order: the envelopes with the events as signed (eventID set).
    public func sign(_ events: [EPCISEvent]) throws -> [(envelope: Envelope, event: EPCISEvent)] {
        try events.concurrentMap { event in Result { try signRecord(event) } }.map { try $0.get() }
    }

    /// ``sign(_:)``, also returning the event as signed (with its eventID).
    public func signRecord(_ event: EPCISEvent) throws -> (envelope: Envelope, event: EPCISEvent) {
        var event = event
        var payload = try event.payloadBytes()
        if event.eventID.isEmpty {
            // The hash leaves eventID out, so it can be computed from these bytes and then set
            // in place: keys are sorted and slashes unescaped, so the empty member appears once.
            let hash = EventHash.hash(preHash: try EventHash.preHash(of: event, payload: payload))
            event.eventID = hash
            let empty = Data(#""eventID":"""#.utf8)
            if let range = payload.range(of: empty), payload.range(of: empty, in: range.upperBound..<payload.endIndex) == nil {
                payload.replaceSubrange(range, with: Data(#""eventID":"\#(hash)""#.utf8))
            } else {
                payload = try event.payloadBytes()  // an extension also holds an empty eventID: encode again instead
            }
        }
        return (try sign(payload: payload), event)
    }

    /// Signs raw payload bytes into an envelope, or adds this signer's signature to `envelope`.
    public func sign(payload: Data, payloadType: String = Envelope.eventPayloadType) throws -> Envelope {
        var envelope = Envelope(payloadType: payloadType, payload: payload)
        try countersign(&envelope)
        return envelope
    }

    /// Adds this signer's signature to an existing envelope.
    public func countersign(_ envelope: inout Envelope) throws {
        do {
            let signature = try key.sign(envelope.pae)
            envelope.signatures.append(.init(keyid: keyid, sig: Data(signature)))
        } catch {
            throw TraceError(.signingFailed, "signing failed: \(error)")
        }
    }
}
