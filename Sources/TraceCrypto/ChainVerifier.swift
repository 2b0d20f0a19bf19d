internal import COpenSSL
import Foundation

/// Why a certificate chain did not verify.
public struct ChainError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable reason; one per distinct thing a person would fix.
    public enum Reason: String, Hashable, Sendable {
        case expired, notYetValid, revoked, untrusted, issuerMissing, badSignature, notACA, invalid
    }
    public var reason: Reason
    /// The certificate the failure concerns (leaf, intermediate or root), when known.
    public var certificate: Certificate?
    public var message: String
    /// OpenSSL's verify error text, when OpenSSL produced the failure.
    public var opensslReason: String?
    /// For ``Reason/revoked``: the revocation date from the CRL.
    public var revocationDate: Date?

    public var description: String { "\(reason.rawValue): \(message)" }
}

/// A chain that verified, leaf first, trust anchor last.
public struct VerifiedChain: Sendable {
    public var certificates: [Certificate]
    /// The span in which every certificate of the chain is valid.
    public var validFrom: Date
    public var validUntil: Date
    /// Set when, under ``ChainVerifier/RevocationPolicy/revokedBeforeCheckTime``, a certificate is
    /// revoked but only after the time checked.
    public var laterRevocation: (certificate: Certificate, date: Date)?
}

/// Verifies certificate chains to a fixed set of trust anchors with OpenSSL's `X509_verify_cert`.
///
/// One verifier holds one `X509_STORE`; it is immutable and verifies from many threads at once.
public final class ChainVerifier: @unchecked Sendable {
    /// How revocation entries count.
    public enum RevocationPolicy: Sendable {
        /// Any CRL entry makes the chain invalid (OpenSSL's own behaviour).
        case revokedAtAnyTime
        /// Only an entry dated at or before the check time does; a later one is reported in
        /// ``VerifiedChain/laterRevocation``. Suits records signed long before a revocation.
        case revokedBeforeCheckTime
    }

    public let trustAnchors: [Certificate]
    private let store: OpaquePointer

    public init(trustAnchors: [Certificate]) throws {
        guard let store = X509_STORE_new() else { throw OpenSSL.error(.internalFailure, "out of memory") }
        for anchor in trustAnchors where X509_STORE_add_cert(store, anchor.x509) != 1 {
            _ = OpenSSL.drainErrors()  // a duplicate anchor is harmless
        }
        // Buyers may trust an intermediate (a certification body's CA) directly.
        _ = X509_STORE_set_flags(store, UInt(X509_V_FLAG_PARTIAL_CHAIN))
        self.store = store
        self.trustAnchors = trustAnchors
    }

    deinit { X509_STORE_free(store) }

    /// Verifies `leaf` through `intermediates` to one of the trust anchors.
    /// - Parameters:
    ///   - time: the time to check validity periods at; nil skips the time check (the caller
    ///     then compares its own times with ``VerifiedChain/validFrom`` and ``VerifiedChain/validUntil``).
    ///   - crls: CRLs to consult; each counts only when signed by the issuer of the certificate.
    public func verify(
        _ leaf: Certificate, intermediates: [Certificate] = [], at time: Date?,
        crls: [CertificateRevocationList] = [], revocation: RevocationPolicy = .revokedAtAnyTime
    ) throws(ChainError) -> VerifiedChain {
        let chain = try buildChain(leaf, intermediates: intermediates, at: time)
        var result = VerifiedChain(
            certificates: chain,
            validFrom: chain.map(\.notBefore).max() ?? leaf.notBefore,
            validUntil: chain.map(\.notAfter).min() ?? leaf.notAfter
        )
        for (certificate, entry) in Self.revocations(of: chain, crls: crls) {
            if revocation == .revokedBeforeCheckTime, let time, entry.revocationDate > time {
                result.laterRevocation = (certificate, entry.revocationDate)
                continue
            }
            throw ChainError(
                reason: .revoked, certificate: certificate,
                message: "\(certificate.subject) (serial \(certificate.serialNumber)) was revoked on \(entry.revocationDate.ISO8601Format())",
                revocationDate: entry.revocationDate
            )
        }
        return result
    }

    /// The CRL entries that revoke certificates of `chain` (leaf first), each from a CRL that
    /// the certificate's own issuer signed.
    public static func revocations(
        of chain: [Certificate], crls: [CertificateRevocationList]
    ) -> [(certificate: Certificate, entry: CertificateRevocationList.Entry)] {
        revocations(of: chain) { issuer in crls.filter { $0.issuer == issuer.subject && $0.isSigned(by: issuer) } }
    }

    /// The same, with the CRLs each issuer signed given by `signedBy` (a verifier that checked
    /// every CRL's signature once, instead of once per chain).
    public static func revocations(
        of chain: [Certificate], signedBy: (Certificate) -> [CertificateRevocationList]
    ) -> [(certificate: Certificate, entry: CertificateRevocationList.Entry)] {
        var found: [(Certificate, CertificateRevocationList.Entry)] = []
        for (certificate, issuer) in zip(chain, chain.dropFirst()) {
            if let entry = signedBy(issuer).lazy.compactMap({ $0.entry(for: certificate) }).first {
                found.append((certificate, entry))
            }
        }
        return found
    }

    private func buildChain(_ leaf: Certificate, intermediates: [Certificate], at time: Date?) throws(ChainError) -> [Certificate] {
        guard let context = X509_STORE_CTX_new(), let untrusted = agt_sk_x509_new_null() else {
            throw ChainError(reason: .invalid, message: "out of memory")
        }
        defer {
            X509_STORE_CTX_free(context)
            agt_sk_x509_free(untrusted)
            ERR_clear_error()
        }
        var known: [OpaquePointer: Certificate] = [leaf.x509: leaf]
        for certificate in intermediates {
            _ = agt_sk_x509_push(untrusted, certificate.x509)
            known[certificate.x509] = certificate
        }
        for anchor in trustAnchors { known[anchor.x509] = anchor }
        guard X509_STORE_CTX_init(context, store, leaf.x509, untrusted) == 1 else {
            throw ChainError(reason: .invalid, message: "could not start chain verification", opensslReason: OpenSSL.drainErrors())
        }
        if let time {
            X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(context), time_t(time.timeIntervalSince1970))
        } else {
            X509_STORE_CTX_set_flags(context, UInt(X509_V_FLAG_NO_CHECK_TIME))
        }
        guard X509_verify_cert(context) == 1 else {
            let code = X509_STORE_CTX_get_error(context)
            let depth = Int(X509_STORE_CTX_get_error_depth(context))
            let current = X509_STORE_CTX_get_current_cert(context).flatMap { known[$0] }
            throw Self.error(code: code, certificate: current ?? (depth == 0 ? leaf : nil), at: time)
        }
        guard let stack = X509_STORE_CTX_get0_chain(context) else {
            throw ChainError(reason: .invalid, message: "OpenSSL returned no chain")
        }
        return (0..<agt_sk_x509_num(stack)).compactMap { agt_sk_x509_value(stack, $0).flatMap { known[$0] } }
    }

    private static func error(code: Int32, certificate: Certificate?, at time: Date?) -> ChainError {
        let text = String(cString: X509_verify_cert_error_string(Int(code)))
        let who = certificate.map { "\($0.subject)" } ?? "a certificate in the chain"
        let when = time?.ISO8601Format() ?? "now"
        let (reason, message): (ChainError.Reason, String) = switch code {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            (.expired, "\(who) had expired at \(when) (valid until \(certificate?.notAfter.ISO8601Format() ?? "?"))")
        case X509_V_ERR_CERT_NOT_YET_VALID:
            (.notYetValid, "\(who) was not yet valid at \(when) (valid from \(certificate?.notBefore.ISO8601Format() ?? "?"))")
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
            (.issuerMissing, "no trusted certificate found for the issuer of \(who) (\(certificate?.issuer.description ?? "?"))")
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, X509_V_ERR_CERT_UNTRUSTED:
            (.untrusted, "the chain of \(who) ends at a root that is not a trust anchor")
        case X509_V_ERR_CERT_SIGNATURE_FAILURE, X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
            (.badSignature, "the signature on \(who) does not verify with its issuer's key")
        case X509_V_ERR_INVALID_CA, X509_V_ERR_KEYUSAGE_NO_CERTSIGN, X509_V_ERR_PATH_LENGTH_EXCEEDED:
            (.notACA, "\(who) issued a certificate but is not allowed to act as a CA (\(text))")
        default:
            (.invalid, "\(who): \(text)")
        }
        return ChainError(reason: reason, certificate: certificate, message: message, opensslReason: text)
    }
}
