import Foundation
import Testing
@testable import TraceCrypto
import TestSupport

@Suite("Certificates, requests and CRLs")
struct CertificateTests {
    @Test("an issued certificate carries the roles, GLN, usages and constraints it was given", arguments: KeyAlgorithm.allCases)
    func issuedFields(algorithm: KeyAlgorithm) throws {
        let pki = try TestPKI(algorithm: algorithm)
        let leaf = pki.leaf
        #expect(leaf.subject.commonName == "Mèo Vạc Honey Cooperative")
        #expect(leaf.subject.country == "VN")
        #expect(leaf.issuer == pki.issuing.certificate.subject)
        #expect(leaf.extendedKeyUsages == [TestPKI.producerOID])
        #expect(leaf.subjectAltNameURIs == ["https://id.gs1.org/417/8936000100003"])
        #expect(leaf.keyUsage == .digitalSignature)
        #expect(leaf.basicConstraints?.isCA == false)
        #expect(leaf.notBefore == TestPKI.start && leaf.notAfter == TestPKI.end)
        #expect(leaf.fingerprint == Digest.sha256(leaf.derRepresentation))
        #expect(leaf.serialNumber.count == 32)
        #expect(leaf.matches(pki.leafKey) && !leaf.matches(pki.issuing.key))
        #expect(leaf.publicKey.algorithm == algorithm)
        #expect(pki.issuing.certificate.basicConstraints == .init(isCA: true, pathLength: 0))
        #expect(pki.issuing.certificate.keyUsage == [.keyCertSign, .cRLSign])
        #expect(try Certificate(pemOrDER: Data(leaf.pemRepresentation.utf8)) == leaf)
        let both = try Certificate.all(pem: leaf.pemRepresentation + pki.issuing.certificate.pemRepresentation)
        #expect(both == [leaf, pki.issuing.certificate])
    }

    @Test("garbage, truncated and wrong-type certificate input is certificate.malformed")
    func malformedCertificates() throws {
        let leaf = try TestPKI().leaf
        let der = leaf.derRepresentation
        let key = try PrivateKey.generate().pemRepresentation()
        for data in [Data(), Data("junk".utf8), der.prefix(der.count / 2), der + Data([0]), key, Data(repeating: 0x30, count: 64)] {
            #expect { try Certificate(pemOrDER: data) } throws: { ($0 as? CryptoError)?.code == .certificateMalformed }
        }
    }

    @Test("a PEM file's copies of a certificate are read once; more than a thousand distinct ones are certificate.tooMany")
    func manyCertificates() throws {
        let pki = try TestPKI()
        let copies = String(repeating: pki.root.certificate.pemRepresentation, count: 5000) + pki.leaf.pemRepresentation
        #expect(try Certificate.all(pem: copies) == [pki.root.certificate, pki.leaf])
        let key = try PrivateKey.generate(.p256).publicKey
        let distinct = try (0...Certificate.maximumInFile).map { index in
            try pki.issuing.issue(CertificateProfile(subject: DistinguishedName(country: "VN", organization: "Party", commonName: "Party \(index)"),
                                                     publicKey: key, notBefore: TestPKI.start, notAfter: TestPKI.end)).pemRepresentation
        }
        #expect(try Certificate.all(pem: distinct.dropLast().joined()).count == Certificate.maximumInFile)
        #expect { try Certificate.all(pem: distinct.joined()) } throws: { ($0 as? CryptoError)?.code == .certificateTooMany }
    }

    @Test("a CSR round-trips, and the CA issues from it; a tampered CSR is refused")
    func signingRequest() throws {
        let pki = try TestPKI()
        let key = try PrivateKey.generate(.ed25519)
        let csr = try CertificateSigningRequest(subject: DistinguishedName(country: "SG", organization: "Lion City Fine Foods", commonName: "Lion City Fine Foods"), key: key)
        let parsed = try CertificateSigningRequest(pemOrDER: Data(csr.pemRepresentation.utf8))
        #expect(parsed.subject.organization == "Lion City Fine Foods")
        #expect(parsed.publicKey == (try key.publicKey))
        let cert = try pki.issuing.issue(parsed, notBefore: TestPKI.start, notAfter: TestPKI.end,
                                         extendedKeyUsages: ["2.25.6427760801770985018539719530675561285.1.7"], subjectAltNameURIs: [])
        #expect(cert.matches(key))
        var tampered = [UInt8](csr.derRepresentation)
        tampered[tampered.count / 2] ^= 0x01
        #expect { try CertificateSigningRequest(der: Data(tampered)) } throws: { ($0 as? CryptoError)?.code == .csrMalformed }
    }

    @Test("a CRL lists its revoked serials with their dates and verifies only with its issuer")
    func revocationList() throws {
        let pki = try TestPKI()
        let revokedAt = date("2026-06-01T00:00:00Z")
        let crl = try pki.issuing.revocationList(
            [.init(serialNumber: pki.leaf.serialNumber, revocationDate: revokedAt)],
            thisUpdate: TestPKI.start, nextUpdate: TestPKI.end, number: 7
        )
        let parsed = try CertificateRevocationList(pemOrDER: Data(crl.pemRepresentation.utf8))
        #expect(parsed.entry(for: pki.leaf)?.revocationDate == revokedAt)
        #expect(parsed.entry(for: pki.issuing.certificate) == nil)
        #expect(parsed.isSigned(by: pki.issuing.certificate))
        #expect(!parsed.isSigned(by: pki.root.certificate))
        #expect { try CertificateRevocationList(der: Data("x".utf8)) } throws: { ($0 as? CryptoError)?.code == .crlMalformed }
    }

    @Test("certificates and CRLs hash every byte: lists that differ only near the end hash apart")
    func hashingEveryByte() throws {
        let pki = try TestPKI()
        // CRLs of one issuer share their first hundred bytes; a hash of a prefix would put
        // them all in one bucket, and a set of thousands of them would take quadratic time.
        let lists = try (1...64).map { number in
            try pki.issuing.revocationList([], thisUpdate: TestPKI.start, nextUpdate: TestPKI.end, number: number)
        }
        #expect(Set(lists).count == 64)
        #expect(Set(lists.map(\.hashValue)).count == 64)
        #expect(Set(lists + lists).count == 64)
        let certificates = [pki.root.certificate, pki.issuing.certificate, pki.leaf]
        #expect(Set(certificates.map(\.hashValue)).count == 3)
    }

    @Test("the CA refuses a key that is not its certificate's")
    func authorityKeyMismatch() throws {
        let pki = try TestPKI()
        #expect { try CertificateAuthority(certificate: pki.issuing.certificate, key: pki.leafKey) } throws: {
            ($0 as? CryptoError)?.code == .keyMismatch
        }
    }
}
