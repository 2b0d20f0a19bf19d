import Foundation
import TraceCrypto

/// A rule about one record on its own (its signatures, its event hash). The verifier runs these
/// on all cores while it decodes the bundle, with the record's payload at hand, and keeps only
/// the decoded event afterwards: a bundle's payloads are never all in memory twice.
public protocol RecordCheck: Sendable {
    func findings(for record: RecordUnderCheck) -> [Finding]
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
