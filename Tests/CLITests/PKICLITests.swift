import Foundation
import Testing
import TestSupport

@Suite("agritrace pki")
struct PKICLITests {
    @Test("a provincial authority's day: root, intermediate, request, issue, revoke, CRL — openssl agrees")
    func authorityWorkflow() throws {
        let dir = try temporaryDirectory()
        func ok(_ args: [String], env: [String: String]? = nil) throws {
            let result = try CLI.agritrace(args, in: dir, env: env)
            #expect(result.status == 0, "\(args.joined(separator: " ")): \(result.output)")
        }
        let env = ["CA_PASS": "mật khẩu"]
        try ok(["pki", "init", "--dir", "root", "--name", "Test Province Root CA", "--passphrase-env", "CA_PASS"], env: env)
        try ok(["pki", "init", "--dir", "issuing", "--parent", "root", "--name", "Test Issuing CA", "--passphrase-env", "CA_PASS"], env: env)
        try ok(["pki", "request", "--key", "coop.key", "--org", "Hợp tác xã Mật ong", "--out", "coop.csr"])
        try ok(["pki", "issue", "--dir", "issuing", "--csr", "coop.csr", "--role", "producer", "--role", "exporter",
                "--gln", "8936000100018", "--out", "coop.pem", "--passphrase-env", "CA_PASS"], env: env)
        let keyMode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("coop.key").path)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        #expect(String(decoding: try Data(contentsOf: dir.appendingPathComponent("root/ca.key")), as: UTF8.self).contains("ENCRYPTED PRIVATE KEY"))
        let text = try run(["openssl", "x509", "-in", "coop.pem", "-noout", "-text"], in: dir).output
        #expect(text.contains("2.25.6427760801770985018539719530675561285.1.1"))
        #expect(text.contains("URI:https://id.gs1.org/417/8936000100018"))
        let verified = try run(["openssl", "verify", "-CAfile", "root/ca.pem", "-untrusted", "issuing/ca.pem", "coop.pem"], in: dir)
        #expect(verified.status == 0, "\(verified.output)")

        try ok(["pki", "revoke", "--dir", "issuing", "--cert", "coop.pem", "--date", "2026-06-01T00:00:00Z"])
        try ok(["pki", "crl", "--dir", "issuing", "--out", "issuing.crl.pem", "--passphrase-env", "CA_PASS"], env: env)
        try Data((try String(contentsOf: dir.appendingPathComponent("root/ca.pem"), encoding: .utf8)
                  + String(contentsOf: dir.appendingPathComponent("issuing/ca.pem"), encoding: .utf8)).utf8)
            .write(to: dir.appendingPathComponent("all.pem"))
        let revoked = try run(["openssl", "verify", "-crl_check", "-CAfile", "all.pem", "-CRLfile", "issuing.crl.pem", "coop.pem"], in: dir)
        #expect(revoked.status != 0 && revoked.output.contains("revoked"), "\(revoked.output)")
        // CRL numbers keep growing, even after the file that counts them is lost.
        func crlNumber(_ file: String) throws -> UInt64? {
            let text = try run(["openssl", "crl", "-in", file, "-noout", "-crlnumber"], in: dir).output  // crlNumber=0x…
            return text.split(separator: "=").last.flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst(2), radix: 16) }
        }
        try ok(["pki", "crl", "--dir", "issuing", "--out", "second.crl.pem", "--passphrase-env", "CA_PASS"], env: env)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("issuing/crl-number"))
        try ok(["pki", "crl", "--dir", "issuing", "--out", "third.crl.pem", "--passphrase-env", "CA_PASS"], env: env)
        let numbers = try ["issuing.crl.pem", "second.crl.pem", "third.crl.pem"].map(crlNumber)
        #expect(numbers.allSatisfy { $0 != nil } && numbers[0]! < numbers[1]! && numbers[1]! < numbers[2]!, "\(numbers)")
    }

    @Test("the authority refuses bad requests with exit 2 and changes nothing", arguments: [
        ["pki", "issue", "--dir", "issuing", "--csr", "coop.csr", "--role", "farmer", "--gln", "8936000100018", "--out", "x.pem"],
        ["pki", "issue", "--dir", "issuing", "--csr", "coop.csr", "--role", "producer", "--gln", "8936000100019", "--out", "x.pem"],
        ["pki", "issue", "--dir", "issuing", "--csr", "issuing/ca.pem", "--role", "producer", "--gln", "8936000100018", "--out", "x.pem"],
        ["pki", "issue", "--dir", "nowhere", "--csr", "coop.csr", "--role", "producer", "--gln", "8936000100018", "--out", "x.pem"],
        ["pki", "init", "--dir", "issuing", "--name", "again"],
        ["pki", "request", "--key", "coop.key", "--org", "again", "--out", "again.csr"],
        ["pki", "init", "--dir", "other", "--name", "x", "--algorithm", "rsa"],
        ["pki", "crl", "--dir", "issuing", "--out", "x.crl", "--passphrase-env", "UNSET_VARIABLE_FOR_TEST"],
        ["pki", "crl", "--dir", "issuing", "--out", "x.crl", "--days", "0"],  // due at once: no verifier would have a current CRL
        ["pki", "request", "--key", "new.key", "--org", "Coop", "--out", "missing/new.csr"],  // no folder for the request: no key left behind
        // Outputs never go over what the CA keeps, nor over a private key.
        ["pki", "request", "--key", "new.key", "--org", "Coop", "--out", "issuing/ca.pem"],
        ["pki", "crl", "--dir", "issuing", "--out", "issuing/revoked.json"],
        ["pki", "issue", "--dir", "issuing", "--csr", "coop.csr", "--role", "producer", "--gln", "8936000100018", "--out", "coop.key"],
        ["pki", "issue", "--dir", "issuing", "--csr", "coop.csr", "--role", "producer", "--gln", "8936000100018", "--out", "issuing"],
    ])
    func refusals(args: [String]) throws {
        let dir = try temporaryDirectory()
        #expect(try CLI.agritrace(["pki", "init", "--dir", "issuing", "--name", "CA"], in: dir).status == 0)
        #expect(try CLI.agritrace(["pki", "request", "--key", "coop.key", "--org", "Coop", "--out", "coop.csr"], in: dir).status == 0)
        let key = try Data(contentsOf: dir.appendingPathComponent("coop.key"))
        let kept = try ["ca.pem", "ca.key", "revoked.json"].map { try Data(contentsOf: dir.appendingPathComponent("issuing/\($0)")) }
        let result = try CLI.agritrace(args, in: dir)
        #expect(result.status == 2, "\(args): \(result.output)")
        #expect(result.output.contains("agritrace"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.pem").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("new.key").path))
        #expect(try Data(contentsOf: dir.appendingPathComponent("coop.key")) == key)
        #expect(try ["ca.pem", "ca.key", "revoked.json"].map { try Data(contentsOf: dir.appendingPathComponent("issuing/\($0)")) } == kept)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("issuing/crl-number").path))  // no CRL number spent
        #expect(!result.output.contains("PRIVATE KEY"))
    }

    @Test("a CA whose list of revocations has gone missing issues no CRL and revokes nothing: the next CRL would un-revoke them all")
    func lostRevocationsRefused() throws {
        let dir = try temporaryDirectory()
        #expect(try CLI.agritrace(["pki", "init", "--dir", "issuing", "--name", "CA"], in: dir).status == 0)
        #expect(try CLI.agritrace(["pki", "request", "--key", "coop.key", "--org", "Coop", "--out", "coop.csr"], in: dir).status == 0)
        #expect(try CLI.agritrace(["pki", "issue", "--dir", "issuing", "--csr", "coop.csr", "--role", "producer", "--gln", "8936000100018",
                                   "--out", "coop.pem"], in: dir).status == 0)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("issuing/revoked.json"))
        for args in [["pki", "crl", "--dir", "issuing", "--out", "x.crl"], ["pki", "revoke", "--dir", "issuing", "--cert", "coop.pem"]] {
            let result = try CLI.agritrace(args, in: dir)
            #expect(result.status == 2 && result.output.contains("ca.corrupt") && result.output.contains("revoked.json"), "\(args): \(result.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.crl").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("issuing/revoked.json").path))
    }

    @Test("the sample PKI's keys are mode 0600 and say they are test keys; it will not overwrite without --force")
    func samplePKI() throws {
        let dir = try temporaryDirectory()
        #expect(try CLI.agritrace(["pki", "sample", "--out", "pki"], in: dir).status == 0)
        let keys = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("pki").path).filter { $0.hasSuffix(".key") }
        #expect(keys.count == 14)
        for key in keys {
            let path = dir.appendingPathComponent("pki/\(key)").path
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
            #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("# TEST KEY ONLY"))
        }
        #expect(try CLI.agritrace(["pki", "sample", "--out", "pki"], in: dir).status == 2)
        #expect(try CLI.agritrace(["sample", "--pki", "pki", "--out", "samples"], in: dir).status == 0)
        let result = try CLI.verify([dir.appendingPathComponent("samples/honey/honey.provenance.json").path, "--trust", dir.appendingPathComponent("pki/root-ca.pem").path])
        #expect(result.status == 0)
        // The committed root does not vouch for a freshly generated PKI.
        #expect(try CLI.verify([dir.appendingPathComponent("samples/honey/honey.provenance.json").path, "--trust", CLI.root]).status == 1)
    }
}
