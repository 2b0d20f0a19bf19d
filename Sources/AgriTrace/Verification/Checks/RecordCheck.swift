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
}

extension DeferrableRecordCheck {
    public func findings(for record: RecordUnderCheck) -> [Finding] { findings(for: pending(for: record)) }

    /// ``pending(for:)`` of each of `records`, with the rest of the work to run later: their
    /// findings, in order.
    func deferred(for records: [RecordUnderCheck]) -> @Sendable () -> [Finding] {
        let pending = records.map(pending(for:))
        return { pending.flatMap(findings(for:)) }
    }
}

/// A record as the ``RecordCheck``s see it.
public struct RecordUnderCheck: Sendable {
    public let envelope: Envelope
    public let event: EPCISEvent
    /// `sha256:<hex>` of the payload.
    public let digest: String
    /// The bundle's certificates by DSSE keyid (hex SHA-256 of the DER).
    public let certificates: [String: Certificate]
    /// Whether the payload is the canonical encoding of ``event`` (as AgriTrace writes every payload).
    let isCanonical: Bool
    /// Whether ``event``'s identifiers are already the verification's shared copies.
    var stringsShared = false
}
