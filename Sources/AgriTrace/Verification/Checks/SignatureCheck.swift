import Foundation
import TraceCrypto

/// Every record carries at least one signature and at most ``maximumSignatures``, and every
/// signature verifies over DSSE's PAE with the key of the bundle certificate its keyid names.
/// The PAE is hashed while the record is decoded; the elliptic-curve math waits (see
/// ``DeferrableRecordCheck``).
public struct SignatureCheck: DeferrableRecordCheck {
    /// More signers than any step has (a party, a co-signing certifier, a witness…). The bound
    /// keeps a hostile record from costing thousands of signature checks for a few kilobytes.
    public static let maximumSignatures = 16

    public init() {}

    /// A record's signatures, with their PAE hashed, in the envelope's order; or how many it has
    /// when that is none or too many. Most records carry one signature, held in place: a run of
    /// records' pending signatures is one allocation, not one each.
    public struct Pending: Sendable {
        let record: String
        let count: Int
        let first: Signature?
        let others: [Signature]

        enum Signature: Sendable {
            /// The keyid names no certificate of the bundle.
            case unknownKey(String)
            case signed(by: Certificate, PendingSignature)
        }

        /// The signatures to verify, in the envelope's order: the order in which
        /// ``SignatureCheck/findings(forRun:)`` hands out their answers.
        var pendingSignatures: [PendingSignature] {
            ([first].compactMap { $0 } + others).compactMap { if case .signed(_, let signature) = $0 { signature } else { nil } }
        }
    }

    public func pending(for record: RecordUnderCheck) -> Pending {
        let signatures = record.envelope.signatures
        guard (1...Self.maximumSignatures).contains(signatures.count) else {
            return Pending(record: record.digest, count: signatures.count, first: nil, others: [])
        }
        let pae = record.envelope.paeBytes
        func pending(_ signature: Envelope.Signature) -> Pending.Signature {
            guard let certificate = record.certificates[signature.keyid] else { return .unknownKey(signature.keyid) }
            return .signed(by: certificate, certificate.publicKey.pendingSignature(signature.sig, for: pae))
        }
        return Pending(record: record.digest, count: signatures.count, first: signatures.first.map(pending), others: signatures.dropFirst().map(pending))
    }

    /// Only a signature to verify costs: a record with none, too many, or only keyids the bundle
    /// has no certificate for is judged at once.
    public func isCostly(_ pending: Pending) -> Bool {
        func verifies(_ signature: Pending.Signature?) -> Bool { if case .signed? = signature { true } else { false } }
        return verifies(pending.first) || pending.others.contains(where: verifies)
    }

    public func findings(for pending: Pending) -> [Finding] {
        findings(for: pending) { $0.isValid }
    }

    /// The signatures of the whole run checked together: where their keys have tables, they share
    /// the modular inversion (``PendingSignature/validity(of:)``).
    public func findings(forRun pendings: [Pending]) -> [Finding] {
        let signatures = pendings.flatMap(\.pendingSignatures)
        var validity = PendingSignature.validity(of: signatures).makeIterator()
        return pendings.flatMap { findings(for: $0) { _ in validity.next() ?? false } }
    }

    /// The findings of `pending`, asking `isValid` of its pending signatures in the envelope's order.
    private func findings(for pending: Pending, isValid: (PendingSignature) -> Bool) -> [Finding] {
        guard pending.count > 0 else { return [Finding(.signatureMissing, record: pending.record, "the record carries no signature")] }
        guard pending.count <= Self.maximumSignatures else {
            return [Finding(.signatureTooMany, record: pending.record,
                            "the record carries \(pending.count) signatures; a record may carry at most \(Self.maximumSignatures)")]
        }
        var findings: [Finding] = []
        func judge(_ signature: Pending.Signature) {
            switch signature {
            case .unknownKey(let keyid):
                findings.append(Finding(.signatureUnknownKey, record: pending.record,
                                        "signed by keyid \(keyid.prefix(16))…, but the bundle has no certificate with that SHA-256"))
            case .signed(let certificate, let signature) where !isValid(signature):
                findings.append(Finding(.signatureInvalid, record: pending.record,
                                        "the signature of \(certificate.partyName) does not match the record: it was altered after signing"))
            case .signed: break
            }
        }
        if let first = pending.first { judge(first) }
        pending.others.forEach(judge)
        return findings
    }
}
