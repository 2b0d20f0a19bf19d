import Foundation

/// One thing the verifier found about a bundle: a stable code, the record it concerns, and a
/// sentence a person understands.
public struct Finding: Hashable, Sendable, Codable {
    /// How much a finding weighs in the result.
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        /// Informational: recorded in the report, the result unchanged.
        case warning
        /// Intact and consistent, but not shown to be under the buyer's trust anchors and unrevoked:
        /// the result is at best `valid`.
        case untrusted
        /// Something is wrong: the result is `invalid`.
        case error

        private var rank: Int { switch self { case .warning: 0; case .untrusted: 1; case .error: 2 } }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var code: TraceError.Code
    public var severity: Severity
    /// The record digest (`sha256:…`) the finding concerns, or nil for the bundle as a whole.
    public var record: String?
    public var message: String

    public init(_ code: TraceError.Code, _ severity: Severity = .error, record: String? = nil, _ message: String) {
        self.code = code
        self.severity = severity
        self.record = record
        self.message = message
    }
}

/// The answer to "can this buyer trust where this lot came from?", as C2PA grades it.
public enum TrustLevel: String, Sendable, Codable {
    /// Something is wrong: tampered, inconsistent or malformed.
    case invalid
    /// Intact and consistent, but some signer is not under a trusted anchor, or no current CRL
    /// shows that it was not revoked.
    case valid
    /// Intact, consistent, and every signer chains to a trusted anchor.
    case trusted

    init(findings: [Finding]) {
        switch findings.map(\.severity).max() {
        case .error?: self = .invalid
        case .untrusted?: self = .valid
        default: self = .trusted
        }
    }
}

/// The finding codes the verifier reports. Each is stable: scripts and buyers match on them.
extension TraceError.Code {
    public static let signatureMissing: Self = "signature.missing"
    public static let signatureInvalid: Self = "signature.invalid"
    public static let signatureUnknownKey: Self = "signature.unknownKey"
    public static let signatureTooMany: Self = "signature.tooMany"
    public static let certificateMalformed: Self = "certificate.malformed"
    public static let certificateUntrusted: Self = "certificate.untrusted"
    public static let certificateRevoked: Self = "certificate.revoked"
    public static let certificateRevokedLater: Self = "certificate.revokedLater"
    public static let certificateRevocationUnknown: Self = "certificate.revocationUnknown"
    public static let certificateExpired: Self = "certificate.expired"
    public static let certificateNotYetValid: Self = "certificate.notYetValid"
    public static let certificateInvalid: Self = "certificate.invalid"
    public static let crlMalformed: Self = "crl.malformed"
    public static let roleNotAllowed: Self = "policy.roleNotAllowed"
    public static let recordDuplicate: Self = "record.duplicate"
    public static let linkMissing: Self = "link.missing"
    public static let linkMalformed: Self = "link.malformed"
    public static let linkLotMismatch: Self = "link.lotMismatch"
    public static let linkUnlinked: Self = "link.unlinked"
    public static let linkCycle: Self = "link.cycle"
    public static let linkTimeOrder: Self = "link.timeOrder"
    public static let bundleOrder: Self = "bundle.order"
    public static let subjectMissing: Self = "subject.missing"
    public static let historyIncomplete: Self = "history.incomplete"
    public static let eventIDMalformed: Self = "eventID.malformed"
    public static let eventIDMismatch: Self = "eventID.mismatch"
    public static let eventFuture: Self = "event.future"
    /// More findings of one code than a report lists (``VerificationReport/maximumListedPerCode``):
    /// the rest counted, under the severity they had.
    public static let reportTruncated: Self = "report.truncated"
}
