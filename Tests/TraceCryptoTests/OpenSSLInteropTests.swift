import Foundation
import Testing
@testable import TraceCrypto
import TestSupport

/// Everything we produce must work with the plain `openssl` command, and the other way round.
@Suite("Interop with the openssl CLI")
struct OpenSSLInteropTests {
    @Test("our signatures verify with openssl dgst / pkeyutl", arguments: KeyAlgorithm.allCases)
    func ourSignaturesVerify(algorithm: KeyAlgorithm) throws {
        let dir = try temporaryDirectory()
        let key = try PrivateKey.generate(algorithm)
        let message = Data("DSSEv1 4 test 5 hello".utf8)
        let files = (pub: dir.appendingPathComponent("pub.pem"), msg: dir.appendingPathComponent("msg"), sig: dir.appendingPathComponent("sig"))
        try (try key.publicKey).pemRepresentation.write(to: files.pub, atomically: true, encoding: .utf8)
        try message.write(to: files.msg)
        try Data(try key.sign(message)).write(to: files.sig)
        let args = algorithm == .p256
            ? ["openssl", "dgst", "-sha256", "-verify", files.pub.path, "-signature", files.sig.path, files.msg.path]
            : ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", files.pub.path, "-rawin", "-in", files.msg.path, "-sigfile", files.sig.path]
        let result = try run(args)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Verified"))
    }

    @Test("openssl's signatures verify with ours; another message or a changed byte does not", arguments: KeyAlgorithm.allCases)
    func theirSignaturesVerify(algorithm: KeyAlgorithm) throws {
        let dir = try temporaryDirectory()
        let keyFile = dir.appendingPathComponent("key.pem"), msg = dir.appendingPathComponent("msg"), sig = dir.appendingPathComponent("sig")
        try run(algorithm == .p256 ? ["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", keyFile.path]
                                   : ["openssl", "genpkey", "-algorithm", "ED25519", "-out", keyFile.path])
        let message = Data("DSSEv1 4 test 5 hello".utf8)
        try message.write(to: msg)
        let signed = try run(algorithm == .p256 ? ["openssl", "dgst", "-sha256", "-sign", keyFile.path, "-out", sig.path, msg.path]
                                                : ["openssl", "pkeyutl", "-sign", "-inkey", keyFile.path, "-rawin", "-in", msg.path, "-out", sig.path])
        #expect(signed.status == 0, "\(signed.output)")
        let publicKey = try PrivateKey(fileAt: keyFile).publicKey
        let signature = [UInt8](try Data(contentsOf: sig))
        #expect(publicKey.isValidSignature(signature, for: message))
        #expect(!publicKey.isValidSignature(signature, for: Data("DSSEv1 4 test 5 hellp".utf8)))
        for index in [0, signature.count / 2, signature.count - 1] {
            var changed = signature
            changed[index] ^= 0x01
            #expect(!publicKey.isValidSignature(changed, for: message), "byte \(index) changed")
        }
        #expect(!publicKey.isValidSignature([UInt8](), for: message))
        #expect(!(try PrivateKey.generate(algorithm).publicKey).isValidSignature(signature, for: message))
    }

    @Test("openssl reads our encrypted PKCS#8 key, and we read openssl's")
    func encryptedKeysBothWays() throws {
        let dir = try temporaryDirectory()
        let ours = dir.appendingPathComponent("ours.pem"), theirs = dir.appendingPathComponent("theirs.pem")
        let key = try PrivateKey.generate()
        try key.pemRepresentation(passphrase: "pass phrase").write(to: ours)
        let read = try run(["openssl", "pkey", "-in", ours.path, "-passin", "pass:pass phrase", "-pubout"])
        let publicPEM = try key.publicKey.pemRepresentation
        #expect(read.status == 0)
        #expect(read.output.contains(publicPEM.split(separator: "\n")[1]))
        try run(["openssl", "genpkey", "-algorithm", "ED25519", "-aes-256-cbc", "-pass", "pass:xyz", "-out", theirs.path])
        #expect(try PrivateKey(fileAt: theirs, passphrase: "xyz").algorithm == .ed25519)
        try run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", theirs.path])  // SEC1 form
        #expect(try PrivateKey(fileAt: theirs).algorithm == .p256)
    }

    @Test("a chain made by openssl req/x509 verifies with ours; ours verifies with openssl verify")
    func chainsBothWays() throws {
        let dir = try temporaryDirectory()
        func sh(_ args: [String]) throws {
            let r = try run(args, in: dir)
            #expect(r.status == 0, "\(args.joined(separator: " ")): \(r.output)")
        }
        try "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n".write(to: dir.appendingPathComponent("ca.ext"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage=2.25.6427760801770985018539719530675561285.1.5\nsubjectAltName=URI:https://id.gs1.org/417/8936000100010\n".write(to: dir.appendingPathComponent("leaf.ext"), atomically: true, encoding: .utf8)
        try sh(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "root.key",
                "-out", "root.pem", "-subj", "/C=VN/O=CLI Root/CN=CLI Root", "-days", "3650", "-addext", "basicConstraints=critical,CA:TRUE"])
        try sh(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.csr", "-subj", "/C=VN/CN=CLI Issuing"])
        try sh(["openssl", "x509", "-req", "-in", "ca.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial", "-days", "3650", "-extfile", "ca.ext", "-out", "ca.pem"])
        try sh(["openssl", "req", "-newkey", "ed25519", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/C=VN/O=Exporter/CN=Exporter"])
        try sh(["openssl", "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "365", "-extfile", "leaf.ext", "-out", "leaf.pem"])
        let root = try Certificate.all(fileAt: dir.appendingPathComponent("root.pem"))[0]
        let ca = try Certificate.all(fileAt: dir.appendingPathComponent("ca.pem"))[0]
        let leaf = try Certificate.all(fileAt: dir.appendingPathComponent("leaf.pem"))[0]
        #expect(leaf.extendedKeyUsages == ["2.25.6427760801770985018539719530675561285.1.5"])
        #expect(leaf.subjectAltNameURIs == ["https://id.gs1.org/417/8936000100010"])
        let chain = try ChainVerifier(trustAnchors: [root]).verify(leaf, intermediates: [ca], at: Date())
        #expect(chain.certificates.count == 3)
        #expect(leaf.matches(try PrivateKey(fileAt: dir.appendingPathComponent("leaf.key"))))

        let pki = try TestPKI(algorithm: .ed25519)
        try pki.root.certificate.pemRepresentation.write(to: dir.appendingPathComponent("our-root.pem"), atomically: true, encoding: .utf8)
        try pki.issuing.certificate.pemRepresentation.write(to: dir.appendingPathComponent("our-ca.pem"), atomically: true, encoding: .utf8)
        try pki.leaf.pemRepresentation.write(to: dir.appendingPathComponent("our-leaf.pem"), atomically: true, encoding: .utf8)
        let crl = try pki.issuing.revocationList([], thisUpdate: TestPKI.start, nextUpdate: TestPKI.end, number: 1)
        try crl.pemRepresentation.write(to: dir.appendingPathComponent("our.crl"), atomically: true, encoding: .utf8)
        try sh(["openssl", "verify", "-CAfile", "our-root.pem", "-untrusted", "our-ca.pem", "our-leaf.pem"])
        try sh(["openssl", "crl", "-in", "our.crl", "-CAfile", "our-ca.pem", "-noout"])
    }
}
