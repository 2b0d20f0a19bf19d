import Foundation
import Testing
@testable import TraceCrypto
import TestSupport

@Suite("Chain verification")
struct ChainVerifierTests {
    let pki: TestPKI
    let verifier: ChainVerifier
    init() throws {
        pki = try TestPKI()
        verifier = try ChainVerifier(trustAnchors: [pki.root.certificate])
    }

    func reason(_ body: () throws -> VerifiedChain) -> ChainError.Reason? {
        do { _ = try body(); return nil } catch { return (error as? ChainError)?.reason ?? .invalid }
    }

    @Test("a leaf through its intermediate to the root verifies and returns the chain")
    func trusted() throws {
        let chain = try verifier.verify(pki.leaf, intermediates: [pki.issuing.certificate], at: date("2026-03-15T08:00:00Z"))
        #expect(chain.certificates == [pki.leaf, pki.issuing.certificate, pki.root.certificate])
        #expect(chain.validFrom == TestPKI.start && chain.validUntil == TestPKI.end)
    }

    @Test("a chain to another root is untrusted; a missing intermediate names the missing issuer")
    func untrusted() throws {
        let other = try TestPKI(rootName: "Impostor Root")
        #expect(reason { try verifier.verify(other.leaf, intermediates: [other.issuing.certificate, other.root.certificate], at: nil) } == .untrusted)
        #expect(reason { try verifier.verify(other.leaf, intermediates: [other.issuing.certificate], at: nil) } == .issuerMissing)
        #expect(reason { try verifier.verify(pki.leaf, intermediates: [], at: nil) } == .issuerMissing)
    }

    @Test("validity is checked at the caller's time: expired and not yet valid")
    func validityAtTime() throws {
        let short = try TestPKI(leafNotBefore: date("2026-03-01T00:00:00Z"), leafNotAfter: date("2026-04-01T00:00:00Z"))
        let v = try ChainVerifier(trustAnchors: [short.root.certificate])
        let chain = [short.issuing.certificate]
        #expect(reason { try v.verify(short.leaf, intermediates: chain, at: date("2026-03-15T00:00:00Z")) } == nil)
        #expect(reason { try v.verify(short.leaf, intermediates: chain, at: date("2026-05-01T00:00:00Z")) } == .expired)
        #expect(reason { try v.verify(short.leaf, intermediates: chain, at: date("2026-02-01T00:00:00Z")) } == .notYetValid)
        #expect(reason { try v.verify(short.leaf, intermediates: chain, at: nil) } == nil)
    }

    @Test("a serial on the issuer's CRL is revoked; a CRL from another issuer does not count")
    func revoked() throws {
        let revokedAt = date("2026-06-01T00:00:00Z")
        let entry = CertificateRevocationList.Entry(serialNumber: pki.leaf.serialNumber, revocationDate: revokedAt)
        let crl = try pki.issuing.revocationList([entry], thisUpdate: TestPKI.start, nextUpdate: TestPKI.end, number: 1)
        let inter = [pki.issuing.certificate]
        do {
            _ = try verifier.verify(pki.leaf, intermediates: inter, at: date("2026-07-01T00:00:00Z"), crls: [crl])
            Issue.record("a revoked certificate verified")
        } catch {
            #expect(error.reason == .revoked)
            #expect(error.revocationDate == revokedAt)
            #expect(error.certificate == pki.leaf)
        }
        // Signed before the revocation: accepted under the time-aware policy, with the date reported.
        let earlier = try verifier.verify(pki.leaf, intermediates: inter, at: date("2026-05-01T00:00:00Z"), crls: [crl], revocation: .revokedBeforeCheckTime)
        #expect(earlier.laterRevocation?.date == revokedAt)
        #expect(reason { try verifier.verify(pki.leaf, intermediates: inter, at: date("2026-07-01T00:00:00Z"), crls: [crl], revocation: .revokedBeforeCheckTime) } == .revoked)
        // The same serial on a CRL forged by another CA is ignored.
        let forger = try TestPKI(rootName: "Forger")
        let forged = try forger.issuing.revocationList([entry], thisUpdate: TestPKI.start, nextUpdate: TestPKI.end, number: 1)
        #expect(reason { try verifier.verify(pki.leaf, intermediates: inter, at: nil, crls: [forged]) } == nil)
    }

    @Test("the role OIDs are visible to callers, whatever role the chain is for")
    func wrongRoleVisible() throws {
        let chain = try verifier.verify(pki.leaf, intermediates: [pki.issuing.certificate], at: nil)
        let exporter = "2.25.6427760801770985018539719530675561285.1.5"
        #expect(!chain.certificates[0].extendedKeyUsages.contains(exporter))
        #expect(chain.certificates[0].extendedKeyUsages.contains(TestPKI.producerOID))
    }

    @Test("an end-entity certificate cannot act as a CA")
    func leafAsCA() throws {
        let victimKey = try PrivateKey.generate()
        let profile = CertificateProfile(subject: .init(commonName: "victim"), publicKey: try victimKey.publicKey, notBefore: TestPKI.start, notAfter: TestPKI.end)
        let dir = try temporaryDirectory()
        // openssl x509 can sign with any key; use it to make a certificate issued by the leaf.
        let leafPEM = dir.appendingPathComponent("leaf.pem"), leafKey = dir.appendingPathComponent("leaf.key")
        try pki.leaf.pemRepresentation.write(to: leafPEM, atomically: true, encoding: .utf8)
        try pki.leafKey.pemRepresentation().write(to: leafKey)
        let csr = try CertificateSigningRequest(subject: profile.subject, key: victimKey)
        let csrFile = dir.appendingPathComponent("v.csr"), out = dir.appendingPathComponent("v.pem")
        try csr.pemRepresentation.write(to: csrFile, atomically: true, encoding: .utf8)
        let result = try run(["openssl", "x509", "-req", "-in", csrFile.path, "-CA", leafPEM.path, "-CAkey", leafKey.path,
                              "-CAcreateserial", "-days", "30", "-out", out.path], in: dir)
        #expect(result.status == 0, "\(result.output)")
        let victim = try Certificate.all(fileAt: out)[0]
        #expect(reason { try verifier.verify(victim, intermediates: [pki.leaf, pki.issuing.certificate], at: nil) } == .notACA)
    }

    @Test("verification runs on many threads at once with the same verifier")
    func concurrent() async throws {
        let verifier = self.verifier, leaf = pki.leaf, inter = pki.issuing.certificate, key = pki.leafKey
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let message = Array("record \(i)".utf8)
                    let signature = try key.sign(message)
                    let chain = try verifier.verify(leaf, intermediates: [inter], at: nil)
                    return chain.certificates.count == 3 && leaf.publicKey.isValidSignature(signature, for: message)
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }
}
