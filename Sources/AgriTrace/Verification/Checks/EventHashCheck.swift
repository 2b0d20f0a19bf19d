import Foundation
import TraceCrypto

/// An eventID that is a CBV 2.0 event hash is the hash of this very event (`eventID.mismatch`).
/// Events imported from other EPCIS systems (`agt:imported`) keep the ID their source gave them.
public struct EventHashCheck: RecordCheck {
    public init() {}

    public func findings(for record: RecordUnderCheck) -> [Finding] {
        let id = record.event.eventID
        // The 64 digits of an ID of the hash's form (`ni:///sha-256;<hex>?ver=CBV2.0`, its
        // prefix and suffix checked), else nil: a `urn:uuid:` or a malformed ID names no hash.
        let digits = id.withUTF8Bytes { bytes in
            ByteSearch.hasPrefix(bytes, "ni:///") && EventFormCheck.isWellFormedEventID(id) ? 14..<78 : nil as Range<Int>?
        }
        guard let digits, !record.event.isImported else { return [] }
        do {
            // A payload that is the canonical encoding of its event (all that AgriTrace writes)
            // is hashed from the event's fields; any other (foreign encoders, number forms) from
            // its own JSON, read again with members in order and numbers as written.
            let preHash = try (record.isCanonical ? DirectPreHash.preHashBytes(of: record.event) : nil)
                ?? Array(EventHash.preHash(ofEventJSON: record.envelope.payload).utf8)
            // Compared by its digits, without making the expected ID unless it differs.
            let hash = SHA256Digest(of: preHash)
            guard !id.withUTF8Bytes({ hash.isSpelled(byLowercaseHex: UnsafeBufferPointer(rebasing: $0[digits])) }) else { return [] }
            let expected = EventHash.name(of: hash)
            return [Finding(.eventIDMismatch, record: record.digest, "eventID \(id) is not the CBV 2.0 hash of this event, which is \(expected)")]
        } catch {
            return [Finding(.eventIDMismatch, record: record.digest, "eventID \(id) cannot be checked: \(error)")]
        }
    }
}
