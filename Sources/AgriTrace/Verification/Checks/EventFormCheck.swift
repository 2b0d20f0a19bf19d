import Foundation

/// Event-level form: an `eventID` of a recognised form (``EventHashCheck`` checks that a hash
/// names its event); no record or eventID twice; no event time in the future.
public struct EventFormCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var findings: [Finding] = []
        var seenIDs: [String: String] = [:]
        seenIDs.reserveCapacity(context.records.count)
        let latest = context.options.at.addingTimeInterval(context.options.clockSkew)
        for (position, record) in context.records.enumerated() {
            let event = record.event
            let other = seenIDs.updateValue(record.digest, forKey: event.eventID)
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

    private static let hashPrefix = Array("ni:///sha-256;".utf8), hashSuffix = Array("?ver=CBV2.0".utf8)

    /// Whether `id` is `ni:///sha-256;<64 hex digits>?ver=CBV2.0` or `urn:uuid:<UUID>`.
    static func isWellFormedEventID(_ id: String) -> Bool {
        if id.hasPrefix("urn:uuid:") { return UUID(uuidString: String(id.dropFirst(9))) != nil }
        // ni:///sha-256; + 64 hex digits + ?ver=CBV2.0, checked on the bytes in one pass.
        let (prefix, suffix) = (hashPrefix, hashSuffix)
        var id = id
        return id.withUTF8 { bytes in
            guard bytes.count == prefix.count + 64 + suffix.count,
                  bytes.prefix(prefix.count).elementsEqual(prefix), bytes.suffix(suffix.count).elementsEqual(suffix) else { return false }
            return bytes[prefix.count..<prefix.count + 64].allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }
        }
    }
}
