import Foundation
import TraceCrypto

/// A rule about one record on its own (its signatures, its event hash). The verifier runs these
/// on all cores while it decodes the bundle, with the record's payload at hand, and keeps only
/// the decoded event afterwards: a bundle's payloads are never all in memory twice.
public protocol RecordCheck: Sendable {
    func findings(for record: RecordUnderCheck) -> [Finding]
}

/// A ``RecordCheck`` whose costly part can wait until the bundle is decoded: ``pending(for:)``
/// runs with the payload at hand and keeps a few bytes of it (a digest, a signature), and
/// ``BundleVerifier`` runs ``findings(for:)-(Pending)`` on them on the cores that building the
/// context and the bundle checks leave idle. A record's findings from such checks come before
/// those of the others.
public protocol DeferrableRecordCheck: RecordCheck {
    associatedtype Pending: Sendable
    /// What the check needs of `record` once its payload is gone.
    func pending(for record: RecordUnderCheck) -> Pending
    /// The findings, worked out from what ``pending(for:)`` kept.
    func findings(for pending: Pending) -> [Finding]
    /// The findings of a run of records, in order: by default ``findings(for:)`` of each; a check
    /// may share work among them.
    func findings(forRun pendings: [Pending]) -> [Finding]
    /// Whether `pending`'s findings cost enough to wait for idle cores (a signature to verify);
    /// the others are worked out at once. By default, all of them wait.
    func isCostly(_ pending: Pending) -> Bool
}

extension DeferrableRecordCheck {
    public func findings(for record: RecordUnderCheck) -> [Finding] { findings(for: pending(for: record)) }

    public func isCostly(_ pending: Pending) -> Bool { true }

    public func findings(forRun pendings: [Pending]) -> [Finding] { pendings.flatMap(findings(for:)) }

    /// ``pending(for:)`` of each of `records`: the findings of those that cost little, now, and
    /// the work on the rest to run later (nil when there is none); each in the records' order.
    func deferred(for records: [RecordUnderCheck]) -> (now: [Finding], later: (@Sendable () -> [Finding])?) {
        var now: [Finding] = [], costly: [Pending] = []
        for record in records {
            let pending = pending(for: record)
            if isCostly(pending) { costly.append(pending) } else { now += findings(for: pending) }
        }
        guard !costly.isEmpty else { return (now, nil) }
        let waiting = costly
        return (now, { findings(forRun: waiting) })
    }
}

/// A record as the ``RecordCheck``s see it.
///
/// A class, not a struct: each check of each record is handed it, and a copy of a struct of its
/// fields took a reference count on each of them and gave it back (about thirty a record); a
/// copy of a reference takes one. It never changes once made.
public final class RecordUnderCheck: Sendable {
    public let envelope: Envelope
    public let event: EPCISEvent
    /// `sha256:<hex>` of the payload.
    public let digest: String
    /// The bundle's certificates by DSSE keyid (hex SHA-256 of the DER).
    public let certificates: [String: Certificate]
    /// Whether the payload is the canonical encoding of ``event`` (as AgriTrace writes every payload).
    let isCanonical: Bool
    /// Whether ``event``'s identifiers are already the verification's shared copies.
    let stringsShared: Bool

    init(envelope: Envelope, event: EPCISEvent, digest: String, certificates: [String: Certificate], isCanonical: Bool, stringsShared: Bool = false) {
        (self.envelope, self.event, self.digest, self.certificates) = (envelope, event, digest, certificates)
        (self.isCanonical, self.stringsShared) = (isCanonical, stringsShared)
    }
}
