import Foundation
import TraceCrypto

/// Every record carries at least one signature and at most ``maximumSignatures``, and every
/// signature verifies over DSSE's PAE with the key of the bundle certificate its keyid names.
public struct SignatureCheck: RecordCheck {
    /// More signers than any step has (a party, a co-signing certifier, a witness…). The bound
    /// keeps a hostile record from costing thousands of signature checks for a few kilobytes.
    public static let maximumSignatures = 16

    public init() {}

    public func findings(for record: RecordUnderCheck) -> [Finding] {
        let signatures = record.envelope.signatures
        guard !signatures.isEmpty else {
            return [Finding(.signatureMissing, record: record.digest, "the record carries no signature")]
        }
        guard signatures.count <= Self.maximumSignatures else {
            return [Finding(.signatureTooMany, record: record.digest,
                            "the record carries \(signatures.count) signatures; a record may carry at most \(Self.maximumSignatures)")]
        }
        let pae = record.envelope.paeBytes
        return signatures.compactMap { signature in
            guard let certificate = record.certificates[signature.keyid] else {
                return Finding(.signatureUnknownKey, record: record.digest,
                               "signed by keyid \(signature.keyid.prefix(16))…, but the bundle has no certificate with that SHA-256")
            }
            guard certificate.publicKey.isValidSignature(signature.sig, for: pae) else {
                return Finding(.signatureInvalid, record: record.digest,
                               "the signature of \(certificate.partyName) does not match the record: it was altered after signing")
            }
            return nil
        }
    }
}
