import AgriTrace
import Foundation
import Testing
import TestSupport
import TraceCrypto

@Suite("Revocation status: a current CRL for every signer")
struct RevocationStatusTests {
    let pki = Fixtures.pki

    private func verify(_ bundle: ProvenanceBundle, at time: Date = Fixtures.verifyTime) throws -> VerificationReport {
        BundleVerifier(options: VerificationOptions(trustAnchors: [pki.root.certificate], at: time)).verify(data: try bundle.jsonData())
    }

    private func bundle(crls: [CertificateRevocationList]) throws -> ProvenanceBundle {
        try Fixtures.scenario.bundle(crls: crls)
    }

    @Test("the sample with its CRL is trusted; without it every record is revocationUnknown and the bundle only valid")
    func missingList() throws {
        #expect(try verify(try bundle(crls: [pki.crl])).level == .trusted)
        let report = try verify(try bundle(crls: []))
        #expect(report.level == .valid)
        #expect(report.codes == ["certificate.revocationUnknown"])
        #expect(report.findings.count == report.records.count)  // one per record: each step's mark says so
        #expect(report.findings.allSatisfy { $0.severity == .untrusted && $0.message.contains("no revocation list") })
        #expect(report.findings[0].message.contains(pki.issuing.certificate.subject.organization ?? "?"))
    }

    @Test("leaving out the CRL that revokes the signer no longer hides the revocation as trusted")
    func strippedRevocation() throws {
        let report = try verify(try TamperedSample.revocationListRemoved.make(pki: pki))
        #expect(report.level == .valid)
        #expect(report.codes.contains("certificate.revocationUnknown"))
        #expect(try verify(try TamperedSample.signerRevoked.make(pki: pki)).codes.contains("certificate.revoked"))
    }

    @Test("a CRL past its next update covers nothing after it; one issued after the time verified as of still counts")
    func currency() throws {
        let issuing = pki.issuing
        let thisUpdate = date("2026-03-01T00:00:00Z"), nextUpdate = date("2026-06-01T00:00:00Z")
        let short = try issuing.revocationList([], thisUpdate: thisUpdate, nextUpdate: nextUpdate, number: 7)
        let stale = try verify(try bundle(crls: [short]), at: date("2026-07-01T00:00:00Z"))
        #expect(stale.codes == ["certificate.revocationUnknown"])
        #expect(stale.findings[0].message.contains("due to be replaced on 2026-06-01"))
        // Within the skew of its next update, and well before it: current.
        #expect(try verify(try bundle(crls: [short]), at: nextUpdate.addingTimeInterval(60)).level == .trusted)
        #expect(try verify(try bundle(crls: [short]), at: date("2026-05-20T00:00:00Z")).level == .trusted)
        // A stale list beside a current one: the current one covers.
        #expect(try verify(try bundle(crls: [short, pki.crl]), at: date("2026-07-01T00:00:00Z")).level == .trusted)
        // Issued after the time verified as of: newer knowledge, not less.
        let later = try issuing.revocationList([], thisUpdate: date("2026-06-01T00:00:00Z"), nextUpdate: date("2027-06-01T00:00:00Z"), number: 8)
        #expect(try verify(try bundle(crls: [later]), at: date("2026-05-10T00:00:00Z")).level == .trusted)
    }

    @Test("a CRL carried many times, among lists with broken signatures, counts once")
    func repeatedLists() throws {
        var bundle = try TamperedSample.signerRevoked.make(pki: pki)
        var broken = [UInt8](pki.crl.derRepresentation)
        broken[broken.count - 5] ^= 0x01  // the signature no longer verifies
        bundle.crls = Array(repeating: pki.crl.derRepresentation, count: 50) + Array(repeating: Data(broken), count: 50)
        let report = try verify(bundle)
        let revoked = report.findings.filter { $0.code == .certificateRevoked }
        #expect(revoked.count == Set(revoked.compactMap(\.record)).count && !revoked.isEmpty)  // once per record, not per copy
        bundle.crls = Array(repeating: Data(broken), count: 50)
        #expect(try verify(bundle).codes.contains("certificate.revocationUnknown"))
    }

    @Test("a CRL that only borrows the issuer's name, or comes from another authority, covers nothing")
    func foreignLists() throws {
        let (start, end) = (SamplePKI.validFrom, SamplePKI.validUntil)
        let lookalike = try CertificateAuthority.root(subject: pki.issuing.certificate.subject, key: try .generate(), notBefore: start, notAfter: end)
        let stranger = try CertificateAuthority.root(subject: DistinguishedName(country: "VN", commonName: "Unrelated Root CA"),
                                                     key: try .generate(), notBefore: start, notAfter: end)
        for authority in [lookalike, stranger] {
            let crl = try authority.revocationList([], thisUpdate: start, nextUpdate: end, number: 1)
            #expect(try verify(try bundle(crls: [crl])).codes == ["certificate.revocationUnknown"])
        }
    }
}
