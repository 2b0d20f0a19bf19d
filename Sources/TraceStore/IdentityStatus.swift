import AgriTrace
import Foundation
import TraceCrypto

/// What a party should know about its signing identity before it signs and exports: who its
/// certificate says it is and in which roles, until when, whether it chains to the workspace's
/// trust anchors, and whether the revocation list its bundles carry is current. Reads no key,
/// only the key file's mode and whether it is encrypted.
public struct IdentityStatus: Codable, Sendable {
    /// Something that stops partners or buyers from trusting what this party signs (a problem), or
    /// soon will (a warning).
    public struct Finding: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
        public var isWarning: Bool
    }

    public var subject: String
    public var gln: String?
    public var roles: [String]
    public var serialNumber: String
    public var issuer: String
    public var validFrom: Date
    public var validUntil: Date
    public var keyAlgorithm: String
    public var keyEncrypted: Bool
    /// When the stored revocation list of the issuer is due to be replaced; nil when none is stored.
    public var revocationListDue: Date?
    public var findings: [Finding]

    /// Days before a certificate expires from which it is a warning: time to ask for a new one.
    public static let expiryWarningDays = 30

    /// The status of `workspace`'s identity as of `now`.
    public static func of(_ workspace: Workspace, now: Date = Date()) throws -> IdentityStatus {
        let chain = try workspace.identityChain()
        guard let leaf = chain.first else {
            throw TraceError("identity.missing", "this workspace has no signing identity yet; run 'agritrace identity request', then 'agritrace identity install'")
        }
        let keyText = (try? String(contentsOf: workspace.identityKeyURL, encoding: .utf8)) ?? ""
        let crl = try workspace.identityRevocationList()
        var status = IdentityStatus(
            subject: leaf.subject.description, gln: leaf.gln, roles: Role.roles(of: leaf).map(\.rawValue).sorted(),
            serialNumber: leaf.serialNumber, issuer: leaf.issuer.description, validFrom: leaf.notBefore, validUntil: leaf.notAfter,
            keyAlgorithm: leaf.publicKey.algorithm.rawValue, keyEncrypted: keyText.contains("ENCRYPTED"), revocationListDue: crl?.nextUpdate, findings: [])
        status.findings = try findings(workspace, chain: chain, crl: crl, now: now)
        return status
    }

    /// Whether anything stops partners or buyers from trusting what this party signs now.
    public var hasProblems: Bool { findings.contains { !$0.isWarning } }

    private static func findings(_ workspace: Workspace, chain: [Certificate], crl: CertificateRevocationList?, now: Date) throws -> [Finding] {
        var findings: [Finding] = []
        func problem(_ code: String, _ message: String) { findings.append(Finding(code: code, message: message, isWarning: false)) }
        if KeyFile.isTooOpen(workspace.identityKeyURL) {
            problem("identity.unsafe", "\(workspace.identityKeyURL.path) is readable by others; restrict it with chmod 600")
        }
        let leaf = chain[0]
        let verifier = try ChainVerifier(trustAnchors: try workspace.trustAnchors())
        let crls = try workspace.registry.read { try $0.revocationLists() }
        do throws(ChainError) {
            let verified = try verifier.verify(leaf, intermediates: Array(chain.dropFirst()), at: now, crls: crls)
            let days = Int(verified.validUntil.timeIntervalSince(now) / 86_400)
            if days < expiryWarningDays {
                findings.append(Finding(code: "certificate.expiresSoon", message: "the certificate chain expires on \(verified.validUntil.ISO8601Format()), "
                                        + "in \(days) day(s): ask your authority for a new certificate, then 'agritrace identity install' it", isWarning: true))
            }
        } catch {
            let code: String = switch error.reason {
            case .expired: "certificate.expired"
            case .notYetValid: "certificate.notYetValid"
            case .revoked: "certificate.revoked"
            default: "certificate.untrusted"
            }
            problem(code, "\(error.message): partners and buyers refuse what you sign now")
        }
        let fix = "store your authority's current one with 'agritrace identity crl FILE'"
        if crl == nil {
            problem("certificate.revocationUnknown", "no revocation list (CRL) of your authority is stored: partners and buyers cannot trust "
                    + "the bundles you export; \(fix)")
        } else if let due = crl?.nextUpdate, due < now {
            problem("certificate.revocationUnknown", "the stored revocation list (CRL) of your authority was due to be replaced on "
                    + "\(due.ISO8601Format()): partners and buyers cannot trust the bundles you export; \(fix)")
        }
        return findings
    }
}
