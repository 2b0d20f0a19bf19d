import Foundation
import Testing
@testable import AgriTrace
import TestSupport
import TraceCrypto

/// Each signer's chain gets only the bundle's certificates that could be in it.
@Suite("Candidate issuers")
struct IssuerIndexTests {
    let pki = Fixtures.pki

    static func byKeyid(_ certificates: [Certificate]) -> [String: Certificate] {
        Dictionary(certificates.map { ($0.fingerprint.hexString, $0) }, uniquingKeysWith: { first, _ in first })
    }

    @Test("a signer's candidates are its issuers up the names, not the other signers")
    func issuersOnly() throws {
        let coop = try pki.signer(.honeyCoop).certificate, lab = try pki.signer(.laboratory).certificate
        let index = IssuerIndex(Self.byKeyid([coop, lab, pki.issuing.certificate, pki.root.certificate]))
        #expect(Set(index.candidates(for: coop).map(\.fingerprint)) == [pki.issuing.certificate.fingerprint, pki.root.certificate.fingerprint])
        #expect(IssuerIndex(Self.byKeyid([coop, lab])).candidates(for: coop).isEmpty)
    }

    @Test("a hostile bundle of 200 certificates all named as the issuer gives a chain at most 32 to choose from, the same each run")
    func candidatesAreBounded() throws {
        let key = try PrivateKey.generate(.p256)
        let from = Date(timeIntervalSince1970: 1_700_000_000), until = Date(timeIntervalSince1970: 1_900_000_000)
        let ca = try CertificateAuthority.root(subject: DistinguishedName(commonName: "Mallory CA"), key: key, notBefore: from, notAfter: until)
        let namesakes = try (0..<200).map { _ in
            try CertificateAuthority.root(subject: DistinguishedName(commonName: "Mallory CA"), key: key, notBefore: from, notAfter: until).certificate
        }
        let leaf = try ca.issue(CertificateProfile(subject: DistinguishedName(commonName: "Farmer"), publicKey: try key.publicKey, notBefore: from, notAfter: until))
        let certificates = Self.byKeyid(namesakes + [ca.certificate, leaf])
        let candidates = IssuerIndex(certificates).candidates(for: leaf)
        #expect(candidates.count == IssuerIndex.maximumCandidates)
        #expect(candidates.map(\.fingerprint) == IssuerIndex(certificates).candidates(for: leaf).map(\.fingerprint))
    }
}
