import Foundation
import Testing
import TestSupport

/// A workspace's signing identity: requesting, installing and showing it.
extension WorkspaceCLITests {
    @Test("identity show says who the workspace signs as and whether partners will trust it: exit 1 without a current CRL, 0 with one, 2 without an identity")
    func identityShow() throws {
        let (dir, ws) = try Self.cooperative()  // installed without its authority's CRL
        let missing = try CLI.agritrace(["identity", "show", "--workspace", ws])
        #expect(missing.status == 1 && missing.output.contains("problem [certificate.revocationUnknown]") && missing.output.contains("roles:       producer")
                && missing.output.contains("GLN:         8936000100018") && missing.output.contains("Not ready"), "\(missing.output)")
        let crl = repositoryRoot.appendingPathComponent("Certificates/issuing-ca.crl.pem").path
        #expect(try CLI.agritrace(["identity", "crl", "--workspace", ws, crl]).status == 0)
        let ready = try CLI.agritrace(["identity", "show", "--workspace", ws, "--json"])
        #expect(ready.status == 0, "\(ready.output)")
        let json = try JSONSerialization.jsonObject(with: Data(ready.output.utf8)) as? [String: Any]
        #expect(json?["validUntil"] as? String == "2046-01-01T00:00:00Z" && (json?["findings"] as? [Any])?.isEmpty == true, "\(ready.output)")
        // A key file others can read is a problem, named.
        let key = URL(fileURLWithPath: ws).appendingPathComponent("identity.key").path
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        let open = try CLI.agritrace(["identity", "show", "--workspace", ws])
        #expect(open.status == 1 && open.output.contains("[identity.unsafe]"), "\(open.output)")
        let fresh = dir.appendingPathComponent("fresh").path
        #expect(try CLI.agritrace(["init", "--workspace", fresh, "--org", "X", "--gln", "8936000100018", "--trust", CLI.root]).status == 0)
        let none = try CLI.agritrace(["identity", "show", "--workspace", fresh])
        #expect(none.status == 2 && none.output.contains("identity.missing"), "\(none.output)")
    }

    @Test("an identity that does not match the key or the workspace's GLN is refused")
    func identityMismatch() throws {
        let (_, ws) = try Self.cooperative()
        let certificates = repositoryRoot.appendingPathComponent("Certificates")
        let wrongKey = try CLI.agritrace(["identity", "install", "--workspace", ws, "--certificate", certificates.appendingPathComponent("honey-coop.pem").path,
                                          "--key", certificates.appendingPathComponent("exporter.key").path])
        #expect(wrongKey.status == 2 && wrongKey.output.contains("identity.mismatch"))
        let wrongParty = try CLI.agritrace(["identity", "install", "--workspace", ws, "--certificate", certificates.appendingPathComponent("exporter.pem").path,
                                            "--key", certificates.appendingPathComponent("exporter.key").path])
        #expect(wrongParty.status == 2 && wrongParty.output.contains("GLN"))
        #expect(!wrongKey.output.contains("PRIVATE KEY") && !wrongParty.output.contains("PRIVATE KEY"))
    }

    @Test("identity request keeps its key (mode 0600) until the certificate is installed, and will not replace it unasked")
    func identityRequest() throws {
        let dir = try temporaryDirectory()
        let ws = dir.appendingPathComponent("coop").path
        #expect(try CLI.agritrace(["init", "--workspace", ws, "--org", "Coop", "--gln", "8936000100018"]).status == 0)
        let install = try CLI.agritrace(["identity", "install", "--workspace", ws, "--certificate", repositoryRoot.appendingPathComponent("Certificates/honey-coop.pem").path])
        #expect(install.status == 2 && install.output.contains("identity.missing"), "\(install.output)")
        let csr = dir.appendingPathComponent("coop.csr").path
        #expect(try CLI.agritrace(["identity", "request", "--workspace", ws, "--out", csr]).status == 0)
        #expect(try run(["openssl", "req", "-in", csr, "-noout", "-verify"]).status == 0)
        let key = try Data(contentsOf: URL(fileURLWithPath: ws).appendingPathComponent("pending.key"))
        #expect(try FileManager.default.attributesOfItem(atPath: "\(ws)/pending.key")[.posixPermissions] as? Int == 0o600)
        let again = try CLI.agritrace(["identity", "request", "--workspace", ws, "--out", dir.appendingPathComponent("again.csr").path])
        #expect(again.status == 2 && again.output.contains("identity.pending"), "\(again.output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: ws).appendingPathComponent("pending.key")) == key)
        #expect(try CLI.agritrace(["identity", "request", "--workspace", ws, "--out", csr, "--replace-pending"]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: ws).appendingPathComponent("pending.key")) != key)
    }

    @Test("identity install with a broken or foreign CRL installs nothing; with the authority's CRL it stores both")
    func identityWithRevocationList() throws {
        let dir = try temporaryDirectory()
        let ws = dir.appendingPathComponent("lab").path
        let certificates = repositoryRoot.appendingPathComponent("Certificates")
        #expect(try CLI.agritrace(["init", "--workspace", ws, "--org", "Lab", "--gln", "8936000100056", "--trust", CLI.root]).status == 0)
        // A CRL cut short, a certificate where the CRL belongs, and the CRL of an authority the lab has nothing to do with.
        let crl = try Data(contentsOf: certificates.appendingPathComponent("issuing-ca.crl.pem"))
        try crl.prefix(crl.count - 40).write(to: dir.appendingPathComponent("short.crl.pem"))
        let env = ["CA_PASS": "test"]
        for args in [["pki", "init", "--dir", "other", "--name", "Other Root CA", "--passphrase-env", "CA_PASS"],
                     ["pki", "crl", "--dir", "other", "--out", "other.crl.pem", "--passphrase-env", "CA_PASS"]] {
            let made = try CLI.agritrace(args, in: dir, env: env)
            #expect(made.status == 0, "\(made.output)")
        }
        let install = ["identity", "install", "--workspace", ws, "--certificate", certificates.appendingPathComponent("laboratory.pem").path,
                       "--key", certificates.appendingPathComponent("laboratory.key").path, "--crl"]
        for (file, code) in [(dir.appendingPathComponent("short.crl.pem"), "crl.malformed"), (certificates.appendingPathComponent("laboratory.pem"), "crl.malformed"),
                             (dir.appendingPathComponent("other.crl.pem"), "crl.unknownIssuer")] {
            let refused = try CLI.agritrace(install + [file.path])
            #expect(refused.status == 2 && refused.output.contains(code), "\(file): \(refused.output)")
            #expect(!refused.output.contains("installed"), "\(file): \(refused.output)")
            for written in ["identity.key", "identity.pem"] {
                #expect(!FileManager.default.fileExists(atPath: "\(ws)/\(written)"), "\(file) left \(written)")
            }
        }
        let installed = try CLI.agritrace(install + [certificates.appendingPathComponent("issuing-ca.crl.pem").path])
        #expect(installed.status == 0 && installed.output.contains("installed the identity") && installed.output.contains("stored the CRL")
                && !installed.output.contains("note:"), "\(installed.output)")
        #expect(FileManager.default.fileExists(atPath: "\(ws)/identity.key"))
    }
}
