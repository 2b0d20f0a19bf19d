import AgriTrace
import Foundation
import TraceCrypto

/// When a party's signing certificate chain may sign: from its latest `notBefore` to its
/// earliest `notAfter`, and before any revocation that a revocation list the registry holds
/// records. An event dated outside is one every verifier refuses (`certificate.notYetValid`,
/// `certificate.expired`, `certificate.revoked`), so the registry refuses to sign it. Worked
/// out once per command: a spreadsheet's thousands of rows share it.
struct SignerValidity {
    let validFrom: Date, validUntil: Date
    /// The earliest revocation of a certificate of the chain, with its serial number.
    let revoked: (date: Date, serial: String)?

    init(signer: Signer, revocationLists: [CertificateRevocationList]) {
        let chain = [signer.certificate] + signer.chain
        validFrom = chain.map(\.notBefore).max() ?? .distantPast
        validUntil = chain.map(\.notAfter).min() ?? .distantFuture
        revoked = ChainVerifier.revocations(of: chain, crls: revocationLists)
            .min { $0.entry.revocationDate < $1.entry.revocationDate }
            .map { ($0.entry.revocationDate, $0.certificate.serialNumber) }
    }

    /// Refuses an event dated `time` that the chain could not sign.
    func check(_ time: EPCISTime) throws {
        let date = time.date
        if date < validFrom {
            throw TraceError("certificate.notYetValid", "this party's certificate chain is valid only from \(validFrom.ISO8601Format()): "
                             + "an event of \(time) signed with it would be refused by every verifier")
        }
        if date > validUntil {
            throw TraceError("certificate.expired", "this party's certificate chain expired on \(validUntil.ISO8601Format()): "
                             + "install a renewed certificate (agritrace identity install) to sign an event of \(time)")
        }
        if let revoked, revoked.date <= date {
            throw TraceError("certificate.revoked", "certificate serial \(revoked.serial) of this party's chain was revoked on "
                             + "\(revoked.date.ISO8601Format()), as its authority's revocation list says: no verifier accepts what it signs after that")
        }
    }
}
