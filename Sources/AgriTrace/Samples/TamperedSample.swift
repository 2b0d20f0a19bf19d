import Foundation
import TraceCrypto

/// Broken copies of the honey bundle, each named for what is wrong, with the finding code the
/// verifier must report for it. Samples and tests are both made from this one list.
public enum TamperedSample: String, CaseIterable, Sendable {
    case payloadChanged = "payload-changed"
    case signatureChanged = "signature-changed"
    case recordRemoved = "record-removed"
    case recordReordered = "record-reordered"
    case signerUntrusted = "signer-untrusted"
    case signerRevoked = "signer-revoked"
    case revocationListRemoved = "revocation-list-removed"
    case certificateMissing = "certificate-missing"
    case labSignedByExporter = "lab-signed-by-exporter"

    /// The code the verifier must report.
    public var expectedCode: TraceError.Code {
        switch self {
        case .payloadChanged, .signatureChanged: .signatureInvalid
        case .recordRemoved: .linkMissing
        case .recordReordered: .bundleOrder
        case .signerUntrusted: .certificateUntrusted
        case .signerRevoked: .certificateRevoked
        case .revocationListRemoved: .certificateRevocationUnknown
        case .certificateMissing: .signatureUnknownKey
        case .labSignedByExporter: .roleNotAllowed
        }
    }

    /// The level the verifier must give.
    public var expectedLevel: TrustLevel { self == .signerUntrusted || self == .revocationListRemoved ? .valid : .invalid }

    /// What was done to the bundle, for the samples' README.
    public var explanation: String {
        switch self {
        case .payloadChanged: "the harvest quantity was raised from 1200 to 1900 kg inside the signed payload"
        case .signatureChanged: "one bit of the laboratory's signature was flipped"
        case .recordRemoved: "the certifier's organic inspection was taken out of the bundle"
        case .recordReordered: "the importer's receiving record was moved to the front of the bundle"
        case .signerUntrusted: "the exporter's records are signed under a CA the buyer never chose to trust"
        case .signerRevoked: "the harvest is signed by a collector whose certificate was revoked before the harvest"
        case .revocationListRemoved: "the revoked collector's bundle again, with the CRL that revokes it left out"
        case .certificateMissing: "the laboratory's certificate was left out of the bundle"
        case .labSignedByExporter: "the lab result is signed by the exporter's own key instead of a laboratory"
        }
    }

    /// Makes the broken bundle from the sample PKI.
    public func make(pki: SamplePKI) throws -> ProvenanceBundle {
        let crls = [pki.crl]
        var scenario = try HoneyScenario(pki: pki)
        switch self {
        case .signerUntrusted:
            scenario.exporter = try Self.impostor(like: scenario.exporter)
            return try scenario.bundle(crls: crls)
        case .signerRevoked, .revocationListRemoved:
            scenario.harvester = try pki.signer(.revokedHerbs)
            return try scenario.bundle(crls: self == .signerRevoked ? crls : [])
        case .labSignedByExporter:
            scenario.laboratory = scenario.exporter
            return try scenario.bundle(crls: crls)
        default:
            break
        }
        var bundle = try scenario.bundle(crls: crls)
        switch self {
        case .payloadChanged:
            let text = String(decoding: bundle.records[0].payload, as: UTF8.self)
            bundle.records[0].payload = Data(text.replacingOccurrences(of: "\"quantity\":1200", with: "\"quantity\":1900").utf8)
        case .signatureChanged:
            bundle.records[2].signatures[0].sig[10] ^= 0x01
        case .recordRemoved:
            bundle.records.remove(at: 1)
        case .recordReordered:
            bundle.records.insert(bundle.records.removeLast(), at: 0)
        case .certificateMissing:
            let lab = scenario.laboratory.certificate.derRepresentation
            bundle.certificates.removeAll { $0 == lab }
        case .signerUntrusted, .signerRevoked, .revocationListRemoved, .labSignedByExporter:
            break
        }
        return bundle
    }

    /// A root certificate nobody trusts, for tests of untrusted anchors.
    public static func impostorRoot() throws -> Certificate {
        try CertificateAuthority.root(subject: DistinguishedName(country: "VN", commonName: "Unrelated Root CA"), key: try .generate(),
                                      notBefore: SamplePKI.validFrom, notAfter: SamplePKI.validUntil).certificate
    }

    /// A signer with the same name, GLN and role as `signer`, under a CA of its own.
    static func impostor(like signer: Signer) throws -> Signer {
        let start = SamplePKI.validFrom, end = SamplePKI.validUntil
        let ca = try CertificateAuthority.root(
            subject: DistinguishedName(country: "VN", organization: "Export Quality Authority", commonName: "Export Quality Root CA"),
            key: try .generate(), notBefore: start, notAfter: end
        )
        let key = try PrivateKey.generate()
        let certificate = try ca.issue(CertificateProfile(
            subject: signer.certificate.subject, publicKey: try key.publicKey, notBefore: start, notAfter: end,
            extendedKeyUsages: signer.certificate.extendedKeyUsages, subjectAltNameURIs: signer.certificate.subjectAltNameURIs
        ))
        return try Signer(key: key, certificate: certificate, chain: [ca.certificate])
    }
}
