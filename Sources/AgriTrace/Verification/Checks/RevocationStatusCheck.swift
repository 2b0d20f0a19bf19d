import Foundation
import TraceCrypto

/// Each signer's certificate is covered by a revocation list the bundle carries: a CRL its
/// issuer signed that is not past its next update at the time verified as of
/// (`certificate.revocationUnknown`).
///
/// The buyer is offline and gets its CRLs only from the sender, who could leave out the one
/// that revokes its own key. Without a current CRL a revoked signer cannot be told from a sound
/// one, so the result is at best `valid`. A CRL issued after the time verified as of still
/// counts: its entries carry their revocation dates (``SignerChainCheck`` compares them with
/// each event's time). Only the signer's own certificate needs one, as OpenSSL's CRL check asks;
/// a CRL the bundle carries for an intermediate certificate is applied all the same.
public struct RevocationStatusCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        // Per signer, by its position in bundleSigners: why no CRL covers it; nil when one does, or
        // when its chain is untrusted or broken (found elsewhere). Worked out once, before the records:
        // each then reads its signers' answers, not their chains.
        let gaps = context.bundleSigners.map { signer -> String? in
            guard case .success(let chain) = signer.chain else { return nil }
            return Self.gap(in: chain.certificates, context)
        }
        var findings: [Finding] = []
        for record in context.records {
            for position in context.distinctSignerPositions(of: record) {
                if let gap = gaps[position] { findings.append(Finding(.certificateRevocationUnknown, .untrusted, record: record.digest, gap)) }
            }
        }
        return findings
    }

    /// Why no CRL of the bundle covers the first certificate of `chain`; nil when one does.
    static func gap(in chain: [Certificate], _ context: VerificationContext) -> String? {
        guard chain.count > 1 else { return nil }  // a trust anchor signing by itself
        let (who, issuer) = (chain[0].partyName, chain[1].partyName)
        let lists = context.revocationLists(signedBy: chain[1])
        let at = context.options.at, skew = context.options.clockSkew
        let due = lists.map { $0.nextUpdate ?? .distantFuture }.max()
        guard let due else {
            return "the bundle carries no revocation list (CRL) of \(issuer), the issuer of \(who)'s certificate, "
                + "so nothing shows that the certificate was not revoked"
        }
        guard due.addingTimeInterval(skew) < at else { return nil }
        return "the newest revocation list (CRL) of \(issuer) in the bundle was due to be replaced on \(due.ISO8601Format()), "
            + "before \(at.ISO8601Format()); it cannot show whether \(who)'s certificate was revoked since"
    }
}
