import Foundation
import Testing
@testable import AgriTrace
import TraceCrypto
import TestSupport

/// Our envelopes must verify with tools we did not write.
@Suite("Interop: securesystemslib DSSE and the openssl CLI")
struct InteropTests {
    static let support = repositoryRoot.appendingPathComponent("Tests/Support")

    @Test("securesystemslib's DSSE verifies every record of the honey bundle, and rejects a tampered one")
    func securesystemslib() throws {
        let dir = try temporaryDirectory()
        let good = dir.appendingPathComponent("good.json"), bad = dir.appendingPathComponent("bad.json")
        try Fixtures.bundle.write(to: good)
        try TamperedSample.signatureChanged.make(pki: Fixtures.pki).write(to: bad)
        let script = Self.support.appendingPathComponent("dsse_verify.py").path
        let ok = try run(["python3", script, good.path])
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains("verified \(Fixtures.bundle.records.count) records"))
        let rejected = try run(["python3", script, bad.path])
        #expect(rejected.status != 0)
    }

    @Test("a record's signature verifies with plain openssl over the PAE bytes")
    func opensslVerifiesRecord() throws {
        let dir = try temporaryDirectory()
        let pki = Fixtures.pki
        for actor in [SampleActor.honeyCoop, .laboratory] {  // one P-256 signer, one Ed25519 signer
            let signer = try pki.signer(actor)
            let envelope = try HoneyScenario(pki: pki).records().first { $0.signatures[0].keyid == signer.keyid }
            let record = try #require(envelope)
            let files = (cert: dir.appendingPathComponent("\(actor.id).pem"), pub: dir.appendingPathComponent("\(actor.id).pub"),
                         pae: dir.appendingPathComponent("\(actor.id).pae"), sig: dir.appendingPathComponent("\(actor.id).sig"))
            try signer.certificate.pemRepresentation.write(to: files.cert, atomically: true, encoding: .utf8)
            try record.pae.write(to: files.pae)
            try record.signatures[0].sig.write(to: files.sig)
            #expect(try run(["openssl", "x509", "-in", files.cert.path, "-pubkey", "-noout", "-out", files.pub.path]).status == 0)
            let args = signer.key.algorithm == .p256
                ? ["openssl", "dgst", "-sha256", "-verify", files.pub.path, "-signature", files.sig.path, files.pae.path]
                : ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", files.pub.path, "-rawin", "-in", files.pae.path, "-sigfile", files.sig.path]
            let result = try run(args)
            #expect(result.status == 0 && result.output.contains("Verified"), "\(actor.id): \(result.output)")
        }
    }
}

