import Foundation

/// Event-level form: an `eventID` of a recognised form (``EventHashCheck`` checks that a hash
/// names its event); no record or eventID twice; no event time in the future.
public struct EventFormCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var findings: [Finding] = []
        var seenDigests = Set<String>()
        var seenIDs: [String: String] = [:]
        let latest = context.options.at.addingTimeInterval(context.options.clockSkew)
        for record in context.records {
            let event = record.event
            if !seenDigests.insert(record.digest).inserted {
                findings.append(Finding(.recordDuplicate, record: record.digest, "the same record appears twice in the bundle"))
            } else if let other = seenIDs[event.eventID] {
                findings.append(Finding(.recordDuplicate, record: record.digest, "eventID \(event.eventID) is also used by \(other)"))
            }
            seenIDs[event.eventID] = record.digest
            if !Self.isWellFormedEventID(event.eventID), !event.isImported {
                findings.append(Finding(.eventIDMalformed, record: record.digest,
                    "eventID \"\(event.eventID.prefix(80))\" is neither ni:///sha-256;<hex>?ver=CBV2.0 nor urn:uuid:<uuid>"))
            }
            if event.eventTime.date > latest {
                findings.append(Finding(.eventFuture, record: record.digest,
                    "dated \(event.eventTime), later than the verification time \(context.options.at.ISO8601Format())"))
            }
        }
        return findings
    }

    static func isWellFormedEventID(_ id: String) -> Bool {
        if id.hasPrefix("urn:uuid:") { return UUID(uuidString: String(id.dropFirst(9))) != nil }
        let prefix = "ni:///sha-256;", suffix = "?ver=CBV2.0"
        guard id.hasPrefix(prefix), id.hasSuffix(suffix) else { return false }
        let hex = id.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count)
        return hex.count == 64 && hex.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }
    }
}
