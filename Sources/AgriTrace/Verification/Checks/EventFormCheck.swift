import Foundation
import TraceCrypto

/// Event-level form: an `eventID` of a recognised form (``EventHashCheck`` checks that a hash
/// names its event); no record or eventID twice; no event time in the future.
public struct EventFormCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var findings: [Finding] = []
        var seenIDs: [ExactText: String] = [:]  // by code point, as EPCIS compares identifiers
        seenIDs.reserveCapacity(context.records.count)
        let latest = context.options.at.addingTimeInterval(context.options.clockSkew)
        for (position, record) in context.records.enumerated() {
            let event = record.event
            let other = seenIDs.updateValue(record.digest, forKey: ExactText(event.eventID))
            if context.isRepeat[position] {  // the first record with this digest is the one kept
                findings.append(Finding(.recordDuplicate, record: record.digest, "the same record appears twice in the bundle"))
            } else if let other {
                findings.append(Finding(.recordDuplicate, record: record.digest, "eventID \(event.eventID) is also used by \(other)"))
            }
            if !Self.isWellFormedEventID(event.eventID), !event.isImported {
                findings.append(Finding(.eventIDMalformed, record: record.digest,
                    "eventID \"\(event.eventID.prefix(80))\" is neither ni:///sha-256;<hex>?ver=CBV2.0 nor urn:uuid:<uuid>"))
            }
            if event.eventTime.date > latest {
                findings.append(Finding(.eventFuture, record: record.digest,
                    "dated \(event.eventTime), later than the verification time \(context.options.at.ISO8601Format())"))
            } else if let attested = event.importedAt, attested.date > latest {
                findings.append(Finding(.eventFuture, record: record.digest,
                    "attested at \(attested), later than the verification time \(context.options.at.ISO8601Format())"))
            }
        }
        return findings
    }

    /// Whether `id` is `ni:///sha-256;<64 hex digits>?ver=CBV2.0` or `urn:uuid:<UUID>`, judged
    /// on its bytes in one pass (String's own prefix test compares by Unicode rules).
    static func isWellFormedEventID(_ id: String) -> Bool {
        return id.withUTF8Bytes { bytes in
            if ByteSearch.hasPrefix(bytes, "urn:uuid:") { return UUID(uuidString: String(decoding: bytes[9...], as: UTF8.self)) != nil }
            let digits = EventHash.digits  // after ni:///sha-256;
            guard bytes.count == digits.upperBound + 11, ByteSearch.hasPrefix(bytes, "ni:///sha-256;"),
                  ByteSearch.hasPrefix(bytes, "?ver=CBV2.0", at: digits.upperBound) else { return false }
            // Every record's ID is checked twice (here and by the event hash check).
            return HexDigits.areAll(bytes[digits], upperCase: true)
        }
    }
}
