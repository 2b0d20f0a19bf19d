import Foundation
import TraceCrypto

/// A bundle's certificates by subject, to hand each signer's chain only the certificates that
/// could issue it or one of its issuers. Handing every chain every certificate costs the number
/// of signers times the number of certificates: a hostile bundle of 4,000 of each took 16 s to
/// verify, of 20,000 minutes.
struct IssuerIndex {
    /// More certificates than any real chain could choose among: a CA renewed a few times, a
    /// cross-certificate. Beyond it a chain is built from the first found (by SHA-256).
    static let maximumCandidates = 32

    private let bySubject: [DistinguishedName: [Certificate]]

    /// `certificates` by DSSE keyid (hex SHA-256 of the DER), as the bundle gives them.
    init(_ certificates: [String: Certificate]) {
        // In keyid order, so that which candidates a capped search finds does not vary between runs.
        bySubject = Dictionary(grouping: certificates.sorted { $0.key < $1.key }.map(\.value), by: \.subject)
    }

    /// The certificates that may issue `leaf`, or issue one of those, and so on up: found by
    /// issuer name, each once, at most ``maximumCandidates``.
    func candidates(for leaf: Certificate) -> [Certificate] {
        var found: [Certificate] = [], seenNames = Set<DistinguishedName>(), names = [leaf.issuer]
        while let name = names.popLast(), found.count < Self.maximumCandidates {
            guard seenNames.insert(name).inserted else { continue }
            for issuer in (bySubject[name] ?? []).prefix(Self.maximumCandidates - found.count) {
                found.append(issuer)
                names.append(issuer.issuer)
            }
        }
        return found
    }
}
