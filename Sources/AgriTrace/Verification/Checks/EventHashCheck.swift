import Foundation
import TraceCrypto

/// An eventID that is a CBV 2.0 event hash is the hash of this very event (`eventID.mismatch`).
/// Events imported from other EPCIS systems (`agt:imported`) keep the ID their source gave them.
public struct EventHashCheck: RecordCheck {
    public init() {}

    public func findings(for record: RecordUnderCheck) -> [Finding] {
        let id = record.event.eventID
        // Only an ID of the hash's form, `ni:///sha-256;<64 hex digits>?ver=CBV2.0`, names a hash
        // (a `urn:uuid:` names none; a malformed one is EventFormCheck's).
        guard id.withUTF8Bytes({ ByteSearch.hasPrefix($0, "ni:///") }), EventFormCheck.isWellFormedEventID(id),
              !record.event.isImported else { return [] }
        do {
            // A payload that is the canonical encoding of its event (all that AgriTrace writes)
            // is hashed from the event's fields; any other (foreign encoders, number forms) from
            // its own JSON, read again with members in order and numbers as written.
            let preHash = try (record.isCanonical ? DirectPreHash.preHashBytes(of: record.event) : nil)
                ?? Array(EventHash.preHash(ofEventJSON: record.envelope.payload).utf8)
            // Compared by its digits, without making the expected ID unless it differs.
            let hash = SHA256Digest(of: preHash)
            guard !id.withUTF8Bytes({ hash.isSpelled(byLowercaseHex: UnsafeBufferPointer(rebasing: $0[EventHash.digits])) }) else { return [] }
            let expected = EventHash.name(of: hash)
            return [Finding(.eventIDMismatch, record: record.digest, "eventID \(id) is not the CBV 2.0 hash of this event, which is \(expected)")]
        } catch {
            return [Finding(.eventIDMismatch, record: record.digest, "eventID \(id) cannot be checked: \(error)")]
        }
    }
}
