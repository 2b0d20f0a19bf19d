import AgriTrace
import Foundation

/// A record as the registry stores it: its row, its identifiers and its links, worked out
/// before the write (on all cores, for a batch), so that the one writer only writes.
struct RecordRow: Sendable {
    let digest: String
    /// The envelope as the registry stores it (``StoredEnvelope``).
    let storedEnvelope: [UInt8]
    let eventType: String
    let bizStep: String?
    let eventTime: Double
    let eventTimeText: String
    let signerKeyid: String
    /// The lots, items and units the record names (``EPCISEvent/concernedIdentifiers``).
    let identifiers: [String]
    let links: [InputLink]

    init(envelope: Envelope, event: EPCISEvent) {
        digest = envelope.digest
        storedEnvelope = StoredEnvelope.bytes(of: envelope)
        eventType = event.type.rawValue
        bizStep = event.bizStepWord
        eventTime = event.eventTime.date.timeIntervalSince1970
        eventTimeText = event.eventTime.description
        signerKeyid = envelope.signatures.first?.keyid ?? ""
        identifiers = event.concernedIdentifierList
        links = event.inputs
    }

    /// The rows of envelopes whose events are still to be read: decoded and worked out on all cores.
    static func rows(decoding envelopes: [Envelope]) throws -> [RecordRow] {
        try envelopes.concurrentMap(throwing: { RecordRow(envelope: $0, event: try EPCISEvent.decode(payload: $0.payload)) })
    }
}
