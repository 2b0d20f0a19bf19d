import Foundation
import Testing
import TestSupport

/// End-to-end tests of the built command-line tools (run `swift build` first; `make test` does).
enum CLI {
    static let bin: URL = {
        if let path = ProcessInfo.processInfo.environment["AGRITRACE_BIN"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return repositoryRoot.appendingPathComponent(".build/debug")
    }()
    static func agritrace(_ args: [String], in dir: URL? = nil, env: [String: String]? = nil) throws -> (status: Int32, output: String) {
        try run([bin.appendingPathComponent("agritrace").path] + args, in: dir, environment: env)
    }
    static func verify(_ args: [String], in dir: URL? = nil) throws -> (status: Int32, output: String) {
        try run([bin.appendingPathComponent("agritrace-verify").path] + args, in: dir)
    }
    static let root = repositoryRoot.appendingPathComponent("Certificates/root-ca.pem").path
    static let honey = repositoryRoot.appendingPathComponent("Samples/honey/honey.provenance.json").path
    static func tampered(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Samples/honey/tampered/\(name).provenance.json").path
    }
}

/// A file of `size` bytes that takes no room on disk (sparse), to test size limits.
private func sparseFile(_ url: URL, size: Int) throws -> URL {
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.truncate(atOffset: UInt64(size))
    return url
}

@Suite("agritrace-verify")
struct VerifyCLITests {
    @Test("a genuine bundle prints the journey and exits 0")
    func trusted() throws {
        let result = try CLI.verify([CLI.honey, "--trust", CLI.root])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("✔ 2026-04-12  commissioning Meo Vac Mint Honey Cooperative"))
        #expect(result.output.contains("Result: TRUSTED"))
    }

    @Test("--json gives level, subject, records and findings for machines")
    func json() throws {
        let result = try CLI.verify([CLI.tampered("record-removed"), "--trust", CLI.root, "--json"])
        #expect(result.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(object?["level"] as? String == "invalid")
        #expect(object?["subject"] as? String == "https://id.gs1.org/01/08936000120016/10/MV-2026-031")
        #expect((object?["records"] as? [Any])?.count == 7)
        let findings = object?["findings"] as? [[String: Any]] ?? []
        #expect(findings.contains { $0["code"] as? String == "link.missing" && ($0["record"] as? String)?.hasPrefix("sha256:") == true })
    }

    @Test("an untrusted signer exits 1 with level valid")
    func untrusted() throws {
        let result = try CLI.verify([CLI.tampered("signer-untrusted"), "--trust", CLI.root])
        #expect(result.status == 1)
        #expect(result.output.contains("VALID BUT NOT TRUSTED"))
    }

    @Test("a bundle carrying escape sequences and line breaks cannot forge or hide lines of the report")
    func hostileTextIsShownNotObeyed() throws {
        let dir = try temporaryDirectory()
        var bundle = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CLI.honey))) as? [String: Any])
        bundle["subject"] = "https://id.gs1.org/01/08936000120016/10/MV-2026-031\u{1B}[8m\nResult: TRUSTED — every record is intact"
        let hostile = dir.appendingPathComponent("hostile.provenance.json")
        try JSONSerialization.data(withJSONObject: bundle).write(to: hostile)
        let result = try CLI.verify([hostile.path, "--trust", CLI.root])
        #expect(result.status == 1)
        #expect(!result.output.unicodeScalars.contains("\u{1B}"))
        let verdicts = result.output.split(separator: "\n").filter { $0.hasPrefix("Result:") }
        #expect(verdicts == ["Result: INVALID — do not rely on this provenance."], "\(result.output)")
        #expect(result.output.contains("MV-2026-031\\u{1B}[8m\\u{A}Result: TRUSTED"))
    }

    @Test("--at verifies as of another time")
    func atTime() throws {
        let result = try CLI.verify([CLI.honey, "--trust", CLI.root, "--at", "2026-04-20T00:00:00Z", "--json"])
        #expect(result.status == 1)
        #expect(result.output.contains("event.future"))
    }

    @Test("unusable input and bad arguments exit 2 with a message", arguments: [
        ["--trust", CLI.root],
        [CLI.honey],
        [CLI.honey, "--trust", "/nonexistent.pem"],
        [CLI.honey, "--trust", CLI.honey],
        [CLI.honey, "--trust", CLI.root, "--at", "yesterday"],
        [CLI.honey, "--trust", CLI.root, "--at", "2026-02-30T00:00:00Z"],
        [CLI.honey, "--trust", CLI.root, "--at", "2026-04-19T25:00:00Z"],  // no 25 o'clock rolled into the next day
        [CLI.honey, "--trust", CLI.root, "--at", "2026-04-19T23:60:00+07:00"],
        [CLI.honey, "--trust", CLI.root, "--clock-skew", "604801"],
        [CLI.honey, "--trust", CLI.root, "--bogus"],
        ["/nonexistent.provenance.json", "--trust", CLI.root],
        [CLI.root, "--trust", CLI.root],
    ])
    func unusable(args: [String]) throws {
        let result = try CLI.verify(args)
        #expect(result.status == 2, "\(args): \(result.output)")
        #expect(!result.output.isEmpty)
    }

    @Test("an argument error prints the parser's usage on lines of their own, not escaped into one")
    func usageKeepsItsLines() throws {
        for result in [try CLI.verify([CLI.honey, "--trust"]), try CLI.agritrace(["report", "events", "--from"])] {
            #expect(result.status == 2)
            #expect(result.output.contains("\nUsage: ") && !result.output.contains("\\u{A}"), "\(result.output)")
        }
    }

    @Test("--help teaches and exits 0")
    func help() throws {
        let result = try CLI.verify(["--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("Exit status"))
    }

}

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

@Suite("agritrace-verify policies")
struct VerifyPolicyCLITests {
    static let fraud = repositoryRoot.appendingPathComponent("Samples/fraud/over-shipped-honey.provenance.json").path
    static let honeyPolicy = repositoryRoot.appendingPathComponent("Samples/policies/honey.json").path

    @Test("the built-in policy applies by category; --no-policy applies only the general rules")
    func automaticAndNone() throws {
        let automatic = try CLI.verify([Self.fraud, "--trust", CLI.root, "--json"])
        #expect(automatic.status == 1 && automatic.output.contains("massBalance.exceeded"))
        #expect(automatic.output.contains(#""policy" : "honey""#))
        let moisture = repositoryRoot.appendingPathComponent("Samples/fraud/moisture-over-limit.provenance.json").path
        #expect(try CLI.verify([moisture, "--trust", CLI.root]).status == 1)
        // Without a policy no limit applies; the laboratory's own verdict, non-conformant, still does.
        let unpoliced = try CLI.verify([moisture, "--trust", CLI.root, "--no-policy", "--json"])
        #expect(unpoliced.status == 1 && unpoliced.output.contains("lot.nonConformant") && !unpoliced.output.contains("policy."), "\(unpoliced.output)")
        #expect(try CLI.verify([moisture, "--trust", CLI.root, "--policy", Self.honeyPolicy]).status == 1)
    }

    @Test("a broken policy file or clashing flags exit 2")
    func badPolicy() throws {
        #expect(try CLI.verify([CLI.honey, "--trust", CLI.root, "--policy", CLI.root]).status == 2)
        #expect(try CLI.verify([CLI.honey, "--trust", CLI.root, "--policy", Self.honeyPolicy, "--no-policy"]).status == 2)
        #expect(try CLI.verify([CLI.honey, "--trust", CLI.root, "--clock-skew", "-5"]).status == 2)
    }
}

@Suite("agritrace epcis")
struct EPCISCLITests {
    static let vectors = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/epcis-event-hash")

    @Test("epcis hash prints the reference hashes of a vector document, and --prehash the pre-hashes")
    func hashVectors() throws {
        let document = Self.vectors.appendingPathComponent("documents/epcisDocWithVariousEventTypes.jsonld").path
        struct Case: Decodable { var document: String; var eventIndex: Int; var preHash: String; var hash: String }
        struct File: Decodable { var cases: [Case] }
        let cases = try JSONDecoder().decode(File.self, from: Data(contentsOf: Self.vectors.appendingPathComponent("cases.json")))
            .cases.filter { $0.document == "epcisDocWithVariousEventTypes.jsonld" }.sorted { $0.eventIndex < $1.eventIndex }
        let hashes = try CLI.agritrace(["epcis", "hash", document])
        #expect(hashes.status == 0)
        #expect(hashes.output.split(separator: "\n").map(String.init) == cases.map(\.hash))
        let preHashes = try CLI.agritrace(["epcis", "hash", "--prehash", document])
        #expect(preHashes.output.split(separator: "\n").map(String.init) == cases.map(\.preHash))
    }

    @Test("epcis hash agrees with GS1's reference on documents of hostile Unicode: NFC and NFD, marks, joiners, look-alikes")
    func hashHostileUnicode() throws {
        // Five documents of 40 events from scripts/fuzz-event-hash.py (seeds 1-5), each against the PyPI reference.
        let script = repositoryRoot.appendingPathComponent("scripts/fuzz-event-hash.py").path
        let result = try run(["python3", script, CLI.bin.path, "5", "1"])
        #expect(result.status == 0 && result.output.contains("5 documents of 40 events, 0 with a difference"), "\(result.output)")
    }

    @Test("epcis hash refuses what is not an EPCIS document with exit 2")
    func hashBadInput() throws {
        #expect(try CLI.agritrace(["epcis", "hash", CLI.root]).status == 2)
        #expect(try CLI.agritrace(["epcis", "hash", CLI.honey]).status == 2)
        #expect(try CLI.agritrace(["epcis", "hash", "/nonexistent.jsonld"]).status == 2)
        // Over the size a document may have (parsed whole, at some seven times its size in memory): refused unread.
        let limit = 256 << 20  // EPCISDocument.maximumBytes
        let huge = try sparseFile(try temporaryDirectory().appendingPathComponent("huge.jsonld"), size: limit + 1)
        let refused = try CLI.agritrace(["epcis", "hash", huge.path])
        #expect(refused.status == 2 && refused.output.contains("over the \(limit)-byte limit"), "\(refused.output)")
    }

    @Test("an exported bundle validates against the EPCIS 2.0 JSON schema and keeps every eventID; a broken one does not validate")
    func exportValidates() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("herb.jsonld")
        let herb = repositoryRoot.appendingPathComponent("Samples/herb/herb.provenance.json").path
        #expect(try CLI.agritrace(["epcis", "export", herb, "--out", out.path]).status == 0)
        let checker = repositoryRoot.appendingPathComponent("Tests/Support/epcis_schema_check.py").path
        let schema = Self.vectors.appendingPathComponent("EPCIS-JSON-Schema.json").path
        let valid = try run(["python3", checker, schema, out.path])
        #expect(valid.status == 0, "\(valid.output)")
        #expect(valid.output.contains("0 errors"))
        // Every exported event hashes to the eventID it carries.
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
        let events = ((document?["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]]) ?? []
        let hashes = try CLI.agritrace(["epcis", "hash", out.path]).output.split(separator: "\n").map(String.init)
        #expect(events.count == 15 && hashes == events.compactMap { $0["eventID"] as? String })
        // The validator does catch a broken document.
        let broken = String(decoding: try Data(contentsOf: out), as: UTF8.self).replacingOccurrences(of: #""action":"ADD""#, with: #""action":"MAYBE""#)
        try Data(broken.utf8).write(to: out)
        #expect(try run(["python3", checker, schema, out.path]).status == 1)
    }
}

@Suite("agritrace workspace commands")
struct WorkspaceCLITests {
    @Test("the help's example commands read as commands in an 80-column terminal: none is wrapped into a line of its own")
    func helpExamplesFit() throws {
        for command in [[], ["pki"]] {
            let result = try CLI.agritrace(command + ["--help"], env: ["COLUMNS": "80"])
            let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
            let examples = lines.indices.filter { lines[$0].hasPrefix("  agritrace ") }
            #expect(result.status == 0 && examples.count >= 6, "\(result.output)")
            #expect(!lines.contains { $0.hasPrefix("--") }, "an option wrapped to the margin: \(result.output)")
            for index in examples {
                #expect(lines[index].count <= 80, "\(lines[index])")
                // What follows an example is the next one, its continuation (after a `\`), or a blank line.
                let next = index + 1 < lines.count ? lines[index + 1] : ""
                #expect(next.isEmpty || next.hasPrefix("  agritrace ") || (lines[index].hasSuffix("\\") && next.hasPrefix("      --")),
                        "\(lines[index]) / \(next)")
            }
        }
    }

    /// A cooperative workspace with the sample honey cooperative's identity, a product and a plot.
    static func cooperative() throws -> (dir: URL, ws: String) {
        let dir = try temporaryDirectory()
        let ws = dir.appendingPathComponent("coop").path
        let certificates = repositoryRoot.appendingPathComponent("Certificates")
        for args in [
            ["init", "--workspace", ws, "--org", "Meo Vac Mint Honey Cooperative", "--gln", "8936000100018", "--trust", CLI.root],
            ["identity", "install", "--workspace", ws, "--certificate", certificates.appendingPathComponent("honey-coop.pem").path,
             "--key", certificates.appendingPathComponent("honey-coop.key").path],
            ["product", "add", "--workspace", ws, "--gtin", "08936000120016", "--name-vi", "Mật ong", "--name-en", "Honey", "--category", "honey"],
            ["plot", "add", "--workspace", ws, "--id", "P1", "--name", "Lũng Pù", "--point", "105.41,23.17"],
        ] {
            let result = try CLI.agritrace(args)
            #expect(result.status == 0, "\(args): \(result.output)")
            if args[0] == "identity" {  // installed without the authority's CRL: said, with what to do
                #expect(result.output.contains("note: no revocation list (CRL) of your authority is stored")
                        && result.output.contains("agritrace identity crl FILE"), "\(result.output)")
            }
        }
        return (dir, ws)
    }

    static func recordCount(_ ws: String) throws -> Int {
        try CLI.agritrace(["report", "events", "--workspace", ws]).output.split(separator: "\r\n").count - 1
    }

    @Test("harvest, ship and export through the CLI give a bundle the buyer's verifier accepts as valid")
    func workflow() throws {
        let (dir, ws) = try Self.cooperative()
        let harvest = try CLI.agritrace(["harvest", "--workspace", ws, "--gtin", "08936000120016", "--lot", "L1", "--quantity", "500", "--plot", "P1",
                                         "--harvest-date", "2026-04-10", "--time", "2026-04-12T07:30:00+07:00"])
        #expect(harvest.status == 0 && harvest.output.contains("recorded harvest of 500 kg of lot L1"), "\(harvest.output)")  // the product's unit
        #expect(try CLI.agritrace(["ship", "--workspace", ws, "--to", "8936000100070", "--lot", "08936000120016/L1=200",
                                   "--document", "inv:A-1", "--time", "2026-04-13T07:30:00+07:00"]).status == 0)
        let bundle = dir.appendingPathComponent("l1.provenance.json").path
        // No CRL in the workspace yet: the file is written, and export says the partner's import would refuse it, and why.
        let early = try CLI.agritrace(["export", "--workspace", ws, "--lot", "08936000120016/L1", "--out", bundle])
        #expect(early.status == 1 && early.output.contains("wrote ") && early.output.contains("a partner's import would refuse it: it verifies as valid")
                && early.output.contains("[certificate.revocationUnknown]"), "\(early.output)")
        let verified = try CLI.verify([bundle, "--trust", CLI.root, "--json"])
        // Complete for what the cooperative did, though the honey policy wants more steps than a harvest and a hand-over.
        #expect(verified.output.contains("policy.stepMissing"))
        #expect(verified.output.contains("shipping by an exporter") && verified.output.contains("inspecting by a certifier"))
        // No CRL in the workspace yet: the buyer cannot tell the cooperative's key was not revoked.
        let unchecked = try CLI.verify([bundle, "--trust", CLI.root, "--no-policy"])
        #expect(unchecked.status == 1 && unchecked.output.contains("certificate.revocationUnknown"), "\(unchecked.output)")
        let crl = repositoryRoot.appendingPathComponent("Certificates/issuing-ca.crl.pem").path
        for bad in [CLI.root, dir.appendingPathComponent("none.pem").path] {  // a certificate, not a CRL; no file at all
            let refused = try CLI.agritrace(["identity", "crl", "--workspace", ws, bad])
            #expect(refused.status == 2 && refused.output.contains("crl.malformed") && refused.output.contains(bad), "\(refused.output)")
        }
        let stored = try CLI.agritrace(["identity", "crl", "--workspace", ws, crl])
        #expect(stored.status == 0 && stored.output.contains("1 revocation(s)"), "\(stored.output)")
        let exported = try CLI.agritrace(["export", "--workspace", ws, "--lot", "08936000120016/L1", "--out", bundle])
        #expect(exported.status == 0 && !exported.output.contains("refuse"), "\(exported.output)")
        #expect(try CLI.verify([bundle, "--trust", CLI.root, "--no-policy"]).status == 0)
        let back = try CLI.agritrace(["trace", "back", "--workspace", ws, "--lot", "08936000120016/L1"])
        #expect(back.output.contains("commissioning by Meo Vac") && back.output.contains("Lũng Pù"))
        #expect(try CLI.agritrace(["check", "--workspace", ws]).status == 0)
        let keyMode = try FileManager.default.attributesOfItem(atPath: ws + "/identity.key")[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
    }

    @Test("trace forward prints a tree, each step under the one it follows; --json names each step's next ones")
    func traceTree() throws {
        let (_, ws) = try Self.cooperative()
        for args in [["harvest", "--gtin", "08936000120016", "--lot", "L1", "--quantity", "500", "--plot", "P1", "--harvest-date", "2026-04-10",
                      "--time", "2026-04-12T07:30:00+07:00"],
                     ["ship", "--to", "8936000100070", "--lot", "08936000120016/L1=100", "--time", "2026-04-13T07:30:00+07:00"],
                     ["ship", "--to", "8936000100094", "--lot", "08936000120016/L1=200", "--time", "2026-04-14T07:30:00+07:00"]] {
            let result = try CLI.agritrace([args[0], "--workspace", ws] + args.dropFirst())
            #expect(result.status == 0, "\(result.output)")
        }
        let tree = try CLI.agritrace(["trace", "forward", "--workspace", ws, "--lot", "08936000120016/L1"]).output.split(separator: "\n")
        // Each record links to the one that last touched the lot: harvest, then the first shipment, then the second.
        #expect(tree.count == 7, "\(tree)")
        #expect(tree[1].hasPrefix("→ 2026-04-12 commissioning"), "\(tree)")
        #expect(tree[1].hasSuffix(" — 500 kg; harvested 2026-04-10; plots: Lũng Pù"), "\(tree)")
        #expect(tree[2].hasPrefix("  → 2026-04-13 shipping") && tree[2].hasSuffix(" — 100 kg to GLN 8936000100070"), "\(tree)")
        #expect(tree[3].hasPrefix("    → 2026-04-14 shipping") && tree[3].hasSuffix(" — 200 kg to GLN 8936000100094"), "\(tree)")
        // Then whom a recall must reach.
        #expect(Array(tree.suffix(3)) == ["Shipped to (whom a recall must reach):", "  GLN 8936000100070: 100 kg of lot L1",
                                          "  GLN 8936000100094: 200 kg of lot L1"], "\(tree)")
        let json = try CLI.agritrace(["trace", "forward", "--workspace", ws, "--lot", "08936000120016/L1", "--json"]).output
        let steps = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
        let first = steps.first { ($0["time"] as? String)?.hasPrefix("2026-04-13") == true }
        #expect(first?["quantity"] as? String == "100 kg" && first?["destinationGLN"] as? String == "8936000100070", "\(json)")
        #expect((first?["signer"] as? String)?.hasPrefix("Meo Vac Mint Honey Cooperative") == true, "\(json)")
        #expect((steps.first { $0["step"] as? String == "commissioning" }?["next"] as? [String]) == [first?["digest"] as? String ?? "?"], "\(json)")
        // What is left to ship: 500 kg less the two shipments.
        let stock = try CLI.agritrace(["stock", "--workspace", ws])
        #expect(stock.status == 0 && stock.output.contains("200 kg  ") && stock.output.contains("/01/08936000120016/10/L1"), "\(stock.output)")
        let stockJSON = try JSONSerialization.jsonObject(with: Data(try CLI.agritrace(["stock", "--workspace", ws, "--json"]).output.utf8)) as? [String: Any]
        let lots = stockJSON?["lots"] as? [[String: Any]] ?? []
        #expect(lots.count == 1 && (lots.first?["quantity"] as? NSNumber)?.intValue == 200 && lots.first?["unit"] as? String == "KGM", "\(String(describing: stockJSON))")
        #expect(stockJSON?["holder"] as? String == "8936000100018" && (stockJSON?["units"] as? [Any])?.isEmpty == true)
    }

    @Test("an --out into a missing folder is one line naming the file, with a stable code")
    func unwritableOutputs() throws {
        let (dir, ws) = try Self.cooperative()
        let missing = dir.appendingPathComponent("missing").path
        for (args, code) in [(["report", "events", "--out", "\(missing)/events.csv"], "file.io"),
                             (["epcis", "export", "--all", "--out", "\(missing)/events.jsonld"], "file.io"),
                             (["identity", "request", "--out", "\(missing)/coop.csr", "--replace-pending"], "file.io")] {
            let result = try CLI.agritrace(args + ["--workspace", ws])
            #expect(result.status == 2 && result.output.hasPrefix("agritrace: \(code): \(missing)/") && !result.output.contains("NSCocoaErrorDomain"),
                    "\(args): \(result.output)")
            #expect(result.output.split(separator: "\n").count == 1, "\(result.output)")
        }
    }

    @Test("a command line longer than the tools read (whose parser slows with its square) is refused with arguments.tooMany before any work; writes nothing")
    func tooLongCommandLine() throws {
        let (_, ws) = try Self.cooperative()
        let units = (0..<5_001).flatMap { ["--sscc", String(format: "0893600010%08d", $0)] }
        let ship = try CLI.agritrace(["ship", "--workspace", ws, "--to", "8936000100070"] + units)
        #expect(ship.status == 2 && ship.output.hasPrefix("agritrace: arguments.tooMany: the command line holds 10007 arguments"), "\(ship.output.prefix(300))")
        #expect(try Self.recordCount(ws) == 0)
        let verify = try CLI.verify([CLI.honey, "--trust", CLI.root] + units)
        #expect(verify.status == 2 && verify.output.hasPrefix("agritrace-verify: arguments.tooMany: the command line holds 10005 arguments"), "\(verify.output.prefix(300))")
    }

    @Test("refusals exit 2 and write nothing", arguments: [
        ["ship", "--to", "8936000100070", "--lot", "08936000120016/L1=501"],
        ["ship", "--to", "8936000100071", "--lot", "08936000120016/L1=1"],
        ["ship", "--to", "8936000100018", "--lot", "08936000120016/L1=1"],  // to itself
        ["ship", "--to", "8936000100070", "--lot", "08936000120016/L1=1", "--time", "2026-04-12T07:24:59+07:00"],  // before the harvest by more than verifiers allow (5 min)
        ["ship", "--to", "8936000100070", "--lot", "08936000120016/NOPE=1"],
        ["harvest", "--gtin", "08936000120013", "--lot", "L2", "--quantity", "5", "--harvest-date", "2026-04-10"],
        ["harvest", "--gtin", "08936000120016", "--lot", "L2", "--quantity", "5", "--harvest-date", "2099-04-10"],
        ["harvest", "--gtin", "08936000120016", "--lot", "L1", "--quantity", "5", "--harvest-date", "2026-04-10"],
        ["pack", "--sscc", "089360001000000017", "--lot", "08936000120016/L1=1"],
        ["inspect", "--lot", "08936000120016/L1", "--result", "maybe"],
        ["inspect", "--lot", "08936000120016/L1", "--result", "pass"],  // a cooperative is no certifier or laboratory
        ["inspect", "--lot", "08936000120016/L1", "--result", "pass", "--certificate", ""],
        ["receive", "--from", "8936000100070", "--lot", "08936000120016/L1=1"],  // nothing was shipped to this party
        ["receive", "--from", "8936000100070", "--sscc", "089360001000000018"],
        ["unpack", "--sscc", "089360001000000018"],  // no such unit here
        ["ship", "--to", "8936000100070", "--lot", "08936000120016/L1=1", "--document", "hóađơn:HĐ-1"],  // a type is a CBV word: ASCII
        ["harvest", "--gtin", "08936000120016", "--lot", "L2", "--quantity", "5", "--harvest-date", "2026-04-10", "--unit", "kg"],  // UN/ECE: KGM
        ["harvest", "--gtin", "08936000120016", "--lot", "L2", "--quantity", "5", "--harvest-date", "2026-04-10", "--organic-certificate", " "],
        ["harvest", "--gtin", "08936000120016", "--lot", "L2", "--quantity", "12.345678901234567890123", "--harvest-date", "2026-04-10"],
    ])
    func refusals(args: [String]) throws {
        let (_, ws) = try Self.cooperative()
        #expect(try CLI.agritrace(["harvest", "--workspace", ws, "--gtin", "08936000120016", "--lot", "L1", "--quantity", "500",
                                   "--harvest-date", "2026-04-10", "--time", "2026-04-12T07:30:00+07:00"]).status == 0)
        let result = try CLI.agritrace([args[0], "--workspace", ws] + args.dropFirst())
        #expect(result.status == 2, "\(args): \(result.output)")
        #expect(try Self.recordCount(ws) == 1)
    }

    @Test("a passphrase typed at the terminal: asked twice for a new key and never shown, asked for at each use; a script without a terminal is told to give --passphrase-env")
    func passphraseAtTheTerminal() throws {
        let dir = try temporaryDirectory()
        let ws = dir.appendingPathComponent("coop").path, pending = ws + "/pending.key"
        /// The command run on a pseudo-terminal, as a clerk at a keyboard, typing `answers` at its prompts.
        func typed(_ answers: [String], _ args: [String]) throws -> (status: Int32, output: String) {
            let script = repositoryRoot.appendingPathComponent("Tests/Support/tty_run.py").path
            let json = String(decoding: try JSONSerialization.data(withJSONObject: answers), as: UTF8.self)
            return try run(["python3", script, json, CLI.bin.appendingPathComponent("agritrace").path] + args, in: dir)
        }
        // The authority's root key is encrypted the same way; its intermediate asks for it.
        let root = try typed(["gốc 1", "gốc 1"], ["pki", "init", "--dir", "root", "--name", "Test Root CA", "--ask-passphrase"])
        #expect(root.status == 0 && !root.output.contains("gốc 1"), "\(root.output)")
        let issuing = try typed(["gốc 1"], ["pki", "init", "--dir", "issuing", "--parent", "root", "--name", "Test Issuing CA"])
        #expect(issuing.status == 0 && issuing.output.contains("passphrase for ") && issuing.output.contains("root/ca.key"), "\(issuing.output)")
        #expect(try CLI.agritrace(["init", "--workspace", ws, "--org", "Coop", "--gln", "8936000100018", "--trust", "root/ca.pem"], in: dir).status == 0)

        let request = ["identity", "request", "--workspace", ws, "--ask-passphrase", "--out", "coop.csr"]
        let differ = try typed(["mật khẩu", "mật khẩu 2"], request)
        #expect(differ.status == 2 && differ.output.contains("the two passphrases typed differ"), "\(differ.output)")
        #expect(!FileManager.default.fileExists(atPath: pending))
        let requested = try typed(["mật khẩu", "mật khẩu"], request)
        #expect(requested.status == 0 && requested.output.contains("passphrase for the new key: ") && requested.output.contains("the same passphrase again: ")
                && !requested.output.contains("mật khẩu"), "\(requested.output)")  // echo off: the passphrase never shows
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: pending)), as: UTF8.self).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        #expect(try CLI.agritrace(["pki", "issue", "--dir", "issuing", "--csr", "coop.csr", "--role", "producer", "--gln", "8936000100018",
                                   "--out", "coop.pem"], in: dir).status == 0)

        let install = ["identity", "install", "--workspace", ws, "--certificate", "coop.pem"]
        let wrong = try typed(["mat khau"], install)
        #expect(wrong.status == 2 && wrong.output.contains("key.passphrase") && !wrong.output.contains("installed"), "\(wrong.output)")
        #expect(try typed(["mật khẩu"], install).status == 0)
        #expect(try CLI.agritrace(["product", "add", "--workspace", ws, "--gtin", "08936000120016", "--name-vi", "Mật ong", "--name-en", "Honey",
                                   "--category", "honey"]).status == 0)
        let harvest = ["harvest", "--workspace", ws, "--gtin", "08936000120016", "--quantity", "5", "--harvest-date", "2026-04-10"]
        let signed = try typed(["mật khẩu"], harvest + ["--lot", "T1"])
        #expect(signed.status == 0 && signed.output.contains("passphrase for ") && signed.output.contains("recorded harvest"), "\(signed.output)")
        // No terminal (a script, cron; setsid leaves it none even when the tests run in one):
        // said how to give it; with --passphrase-env it signs.
        let script = try run(["setsid", "--wait", CLI.bin.appendingPathComponent("agritrace").path] + harvest + ["--lot", "T2"])
        #expect(script.status == 2 && script.output.contains("no terminal") && script.output.contains("--passphrase-env"), "\(script.output)")
        #expect(try CLI.agritrace(harvest + ["--lot", "T3", "--passphrase-env", "COOP_PASS"], env: ["COOP_PASS": "mật khẩu"]).status == 0)
        #expect(try Self.recordCount(ws) == 2)
    }

    @Test("master data is listed and shown, with --json for machines: identifiers as plain strings, a plot's geometry as GeoJSON; an unknown one is exit 2")
    func masterData() throws {
        let (_, ws) = try Self.cooperative()
        #expect(try CLI.agritrace(["plot", "add", "--workspace", ws, "--id", "P2", "--name", "Sủng Là", "--area", "4.5", "--organic-since", "2024-01-01",
                                   "--geojson", #"{"type":"Polygon","coordinates":[[[105.3,23.2],[105.31,23.2],[105.31,23.21],[105.3,23.2]]]}"#]).status == 0)
        #expect(try CLI.agritrace(["certificate", "add", "--workspace", ws, "--number", "VC-ORG-1", "--body", "VietCert",
                                   "--valid-from", "2026-01-01", "--valid-until", "2027-01-01"]).status == 0)
        func json(_ args: [String]) throws -> Any? {
            let result = try CLI.agritrace(args + ["--workspace", ws, "--json"])
            #expect(result.status == 0, "\(args): \(result.output)")
            return try JSONSerialization.jsonObject(with: Data(result.output.utf8))
        }
        let product = try json(["product", "show", "08936000120016"]) as? [String: Any]
        #expect(product?["gtin"] as? String == "08936000120016" && product?["nameVi"] as? String == "Mật ong" && product?["unit"] as? String == "KGM")
        let plots = try json(["plot", "list"]) as? [[String: Any]]
        #expect(plots?.count == 2)
        let polygon = try json(["plot", "show", "P2"]) as? [String: Any]
        let geometry = polygon?["geometry"] as? [String: Any]
        #expect(geometry?["type"] as? String == "Polygon" && (geometry?["coordinates"] as? [[[Double]]])?.first?.count == 4, "\(polygon ?? [:])")
        #expect(polygon?["areaHectares"] as? String == "4.5" && polygon?["organicSince"] as? String == "2024-01-01")
        let held = try json(["certificate", "list"]) as? [[String: Any]]
        #expect(held?.first?["number"] as? String == "VC-ORG-1" && held?.first?["validUntil"] as? String == "2027-01-01")
        let text = try CLI.agritrace(["plot", "show", "P1", "--workspace", ws])
        #expect(text.status == 0 && text.output.contains("Lũng Pù") && text.output.contains("area: not recorded"), "\(text.output)")
        for (args, code) in [(["product", "show", "08936000120023"], "product.unknown"), (["plot", "show", "P9"], "plot.unknown"),
                             (["certificate", "show", "VC-X"], "certificate.unknown"), (["product", "show", "08936000120017"], "identifier.invalid")] {
            let unknown = try CLI.agritrace(args + ["--workspace", ws])
            #expect(unknown.status == 2 && unknown.output.contains(code), "\(args): \(unknown.output)")
        }
    }

    @Test("report events --from/--to are days of the party's time zone: April holds the harvest at 05:00 on 1 April (+07:00), not the shipment at 06:00 on 1 May")
    func reportWindowIsLocalDays() throws {
        let (_, ws) = try Self.cooperative()
        #expect(try CLI.agritrace(["harvest", "--workspace", ws, "--gtin", "08936000120016", "--lot", "E1", "--quantity", "10", "--harvest-date", "2026-04-01",
                                   "--time", "2026-04-01T05:00:00+07:00"]).status == 0)
        #expect(try CLI.agritrace(["ship", "--workspace", ws, "--to", "8936000100070", "--lot", "08936000120016/E1=10",
                                   "--time", "2026-05-01T06:00:00+07:00"]).status == 0)
        func steps(_ window: [String]) throws -> [Substring] {
            let report = try CLI.agritrace(["report", "events", "--workspace", ws] + window)
            #expect(report.status == 0, "\(report.output)")
            return report.output.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }
        }
        #expect(try steps(["--from", "2026-04-01", "--to", "2026-04-30"]) == ["commissioning"])
        #expect(try steps(["--from", "2026-05-01", "--to", "2026-05-31"]) == ["shipping"])
        #expect(try steps(["--from", "2026-03-31", "--to", "2026-03-31"]).isEmpty)  // 22:00 UTC on 31 March, but 1 April here
        // `--out -` is standard output, as command-line tools take it, not a file named "-".
        #expect(try steps(["--from", "2026-04-01", "--to", "2026-04-30", "--out", "-"]) == ["commissioning"])
        let document = try CLI.agritrace(["epcis", "export", "--workspace", ws, "--all", "--out", "-"])
        #expect(document.status == 0 && document.output.contains("\"EPCISDocument\""))
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/-"))
    }

    @Test("no output goes over a file the workspace keeps or a private key, even through a symbolic link; the registry stays sound")
    func outputsNeverOverWorkspaceFiles() throws {
        let (dir, ws) = try Self.cooperative()
        #expect(try CLI.agritrace(["harvest", "--workspace", ws, "--gtin", "08936000120016", "--lot", "O1", "--quantity", "5",
                                   "--harvest-date", "2026-04-10"]).status == 0)
        let link = dir.appendingPathComponent("bundle.json")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "\(ws)/registry.sqlite")
        let kept = try ["registry.sqlite", "identity.key", "config.json"].map { try Data(contentsOf: URL(fileURLWithPath: "\(ws)/\($0)")) }
        for args in [
            ["export", "--workspace", ws, "--lot", "08936000120016/O1", "--out", "\(ws)/registry.sqlite"],
            ["export", "--workspace", ws, "--lot", "08936000120016/O1", "--out", link.path],
            ["report", "events", "--workspace", ws, "--out", "\(ws)/identity.key"],
            ["report", "events", "--workspace", ws, "--out", "\(ws)/config.json"],
            ["epcis", "export", "--workspace", ws, "--all", "--out", repositoryRoot.appendingPathComponent("Certificates/honey-coop.key").path],
            ["label", "--workspace", ws, "--lot", "08936000120016/O1", "--out", "\(ws)/registry.sqlite-wal"],
            ["identity", "request", "--workspace", ws, "--out", "\(ws)/trust-anchors.pem"],
        ] {
            let result = try CLI.agritrace(args)
            #expect(result.status == 2 && result.output.contains("argument.invalid"), "\(args): \(result.output)")
        }
        #expect(try ["registry.sqlite", "identity.key", "config.json"].map { try Data(contentsOf: URL(fileURLWithPath: "\(ws)/\($0)")) } == kept)
        #expect(!FileManager.default.fileExists(atPath: "\(ws)/pending.key"))
        let check = try CLI.agritrace(["check", "--workspace", ws])
        #expect(check.status == 0 && check.output.contains("records checked: sound"), "\(check.output)")
        // Anywhere else, outputs are written, and written again.
        let out = dir.appendingPathComponent("o.json").path
        for _ in 0..<2 {
            // Written each time (and said to be refused by partners: this workspace holds no CRL).
            let result = try CLI.agritrace(["export", "--workspace", ws, "--lot", "08936000120016/O1", "--out", out])
            #expect(result.output.contains("wrote \(out): 1 record for") && result.output.contains("[certificate.revocationUnknown]")
                    && result.output.contains("agritrace identity crl FILE"), "\(result.output)")
            let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
            #expect((written?["records"] as? [Any])?.count == 1)
        }
    }

    @Test("a CSV with broken rows is reported by line and writes nothing; a good one registers every row")
    func bulkCSV() throws {
        let (dir, ws) = try Self.cooperative()
        let bad = dir.appendingPathComponent("bad.csv")
        try """
        gtin,lot,quantity,unit,plots,harvest_date,organic_certificate
        08936000120016,A1,100,KGM,P1,2026-04-01,
        08936000120013,A2,100,KGM,P1,2026-04-01,
        08936000120016,A3,lots,KGM,P1,2026-04-01,
        08936000120016,A1,100,KGM,P1,2026-04-02,
        """.write(to: bad, atomically: true, encoding: .utf8)
        let refused = try CLI.agritrace(["harvest", "--workspace", ws, "--csv", bad.path])
        #expect(refused.status == 2)
        #expect(refused.output.contains("line 3") && refused.output.contains("line 4") && refused.output.contains("lines 2, 5"))
        #expect(try Self.recordCount(ws) == 0)
        // A whole broken sheet: the first hundred rows listed, the rest counted.
        let sheet = dir.appendingPathComponent("sheet.csv")
        try ("gtin,lot,quantity,harvest_date\n" + (1...250).map { "08936000120016,S\($0),many,2026-04-01" }.joined(separator: "\n"))
            .write(to: sheet, atomically: true, encoding: .utf8)
        let sheetRefused = try CLI.agritrace(["harvest", "--workspace", ws, "--csv", sheet.path])
        #expect(sheetRefused.status == 2 && sheetRefused.output.contains("250 broken row(s)") && sheetRefused.output.contains("line 101:"))
        #expect(!sheetRefused.output.contains("line 102:") && sheetRefused.output.contains("… and 150 more"))
        // A cell holding an escape sequence and a line break is quoted in its row's line, shown, not obeyed.
        let hostile = dir.appendingPathComponent("hostile.csv")
        try "gtin,lot,quantity,harvest_date\n08936000120016,\"X\u{1B}[2J\nagritrace: ok\",1,2026-04-01\n".write(to: hostile, atomically: true, encoding: .utf8)
        let hostileRefused = try CLI.agritrace(["harvest", "--workspace", ws, "--csv", hostile.path])
        #expect(hostileRefused.status == 2 && !hostileRefused.output.unicodeScalars.contains("\u{1B}"), "\(hostileRefused.output)")
        #expect(hostileRefused.output.contains("X\\u{1B}[2J\\u{A}agritrace: ok"), "\(hostileRefused.output)")
        // A sheet over 64 MiB (sparse here) is refused unread.
        let huge = try sparseFile(dir.appendingPathComponent("huge.csv"), size: (64 << 20) + 1)
        let hugeRefused = try CLI.agritrace(["harvest", "--workspace", ws, "--csv", huge.path])
        #expect(hugeRefused.status == 2 && hugeRefused.output.contains("csv.unreadable") && hugeRefused.output.contains("limit"))
        let good = dir.appendingPathComponent("good.csv")
        try ("gtin,lot,quantity,plots,harvest_date\n" + (1...50).map { "08936000120016,G\($0),\($0),P1,2026-04-0\($0 % 9 + 1)" }.joined(separator: "\n"))
            .write(to: good, atomically: true, encoding: .utf8)
        #expect(try CLI.agritrace(["harvest", "--workspace", ws, "--csv", good.path]).status == 0)
        #expect(try Self.recordCount(ws) == 50)
    }

    @Test("recall records the lot recalled with its reason and says whom to tell; a blank reason or an unknown lot writes nothing")
    func recallCommand() throws {
        let (dir, ws) = try Self.cooperative()
        #expect(try CLI.agritrace(["harvest", "--workspace", ws, "--gtin", "08936000120016", "--lot", "R1", "--quantity", "5", "--plot", "P1",
                                   "--harvest-date", "2026-04-10", "--time", "2026-04-10T08:00:00+07:00"]).status == 0)
        for args in [["--lot", "08936000120016/R1", "--reason", "  "], ["--lot", "08936000120016/NOPE", "--reason", "HMF"]] {
            let refused = try CLI.agritrace(["recall", "--workspace", ws] + args)
            #expect(refused.status == 2, "\(refused.output)")
        }
        #expect(try Self.recordCount(ws) == 1)
        let recalled = try CLI.agritrace(["recall", "--workspace", ws, "--lot", "08936000120016/R1", "--reason", "HMF 52 mg/kg in a retained sample"])
        #expect(recalled.status == 0 && recalled.output.contains("recorded recall of 08936000120016/R1")
                && recalled.output.contains("trace forward --lot 08936000120016/R1"), "\(recalled.output)")
        let trace = try CLI.agritrace(["trace", "forward", "--workspace", ws, "--lot", "08936000120016/R1"])
        #expect(trace.output.contains("— recalled: HMF 52 mg/kg in a retained sample"), "\(trace.output)")
        // A label printed for the lot says what buyers scanning it will be told.
        let label = try CLI.agritrace(["label", "--workspace", ws, "--lot", "08936000120016/R1", "--format", "svg", "--out", "\(dir.path)/r1.svg"])
        #expect(label.status == 0 && label.output.contains("note: ") && label.output.contains("(lot.recalled: every buyer's verifier refuses the lot)"),
                "\(label.output)")
        // A partner importing the lot's bundle hears it at once.
        let bundle = "\(dir.path)/r1.provenance.json", partner = "\(dir.path)/partner"
        let exported = try CLI.agritrace(["export", "--workspace", ws, "--lot", "08936000120016/R1", "--out", bundle])
        #expect(exported.output.contains("(lot.recalled: every buyer's verifier refuses the lot)"), "\(exported.output)")
        #expect(try CLI.agritrace(["init", "--workspace", partner, "--org", "Exporter", "--gln", "8936000100070", "--trust", CLI.root]).status == 0)
        let imported = try CLI.agritrace(["import", "--workspace", partner, bundle, "--accept-untrusted"])  // the cooperative stored no CRL
        #expect(imported.status == 0 && imported.output.contains("recalled https://id.gs1.org/01/08936000120016/10/R1")
                && imported.output.contains("(lot.recalled: every buyer's verifier refuses the lot)"), "\(imported.output)")
    }

    @Test("discard writes goods off with the reason: stock is less by as much, the buyer sees why; more than held, a blank reason or no lot writes nothing")
    func discardCommand() throws {
        let (dir, ws) = try Self.cooperative()
        #expect(try CLI.agritrace(["harvest", "--workspace", ws, "--gtin", "08936000120016", "--lot", "D1", "--quantity", "50", "--plot", "P1",
                                   "--harvest-date", "2026-04-10", "--time", "2026-04-10T08:00:00+07:00"]).status == 0)
        for args in [["--lot", "08936000120016/D1=51", "--reason", "spoiled"], ["--lot", "08936000120016/D1=5", "--reason", " "],
                     ["--reason", "spoiled"], ["--lot", "08936000120016/D1=0", "--reason", "spoiled"], ["--lot", "08936000120016/D1=5"]] {
            let refused = try CLI.agritrace(["discard", "--workspace", ws] + args)
            #expect(refused.status == 2, "\(args): \(refused.output)")
        }
        #expect(try Self.recordCount(ws) == 1)
        let discarded = try CLI.agritrace(["discard", "--workspace", ws, "--lot", "08936000120016/D1=12.5", "--reason", "jars broken in the warehouse",
                                           "--time", "2026-04-11T09:00:00+07:00"])
        #expect(discarded.status == 0 && discarded.output.contains("recorded write-off"), "\(discarded.output)")
        let stock = try CLI.agritrace(["stock", "--workspace", ws])
        #expect(stock.output.contains("37.5 kg"), "\(stock.output)")
        let bundle = "\(dir.path)/d1.provenance.json"
        #expect(try CLI.agritrace(["export", "--workspace", ws, "--lot", "08936000120016/D1", "--out", bundle]).status != 2)  // 1: no CRL stored
        let verified = try CLI.verify([bundle, "--trust", CLI.root, "--at", "2026-05-01T00:00:00Z"])
        #expect(verified.output.contains("destroying") && verified.output.contains("— 12.5 kg; destroyed: jars broken in the warehouse"), "\(verified.output)")
    }

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

    @Test("a harvest under an organic certificate not registered here is recorded with a note, said once for a whole CSV")
    func unregisteredCertificateNoted() throws {
        let (dir, ws) = try Self.cooperative()
        let typo = try CLI.agritrace(["harvest", "--workspace", ws, "--gtin", "08936000120016", "--lot", "C1", "--quantity", "5", "--plot", "P1",
                                      "--harvest-date", "2026-04-10", "--organic-certificate", "VC-ORG-2026-0475"])
        #expect(typo.status == 0 && typo.output.contains("note: organic certificate VC-ORG-2026-0475 is not registered here"), "\(typo.output)")
        #expect(try CLI.agritrace(["certificate", "add", "--workspace", ws, "--number", "VC-ORG-2026-0457", "--body", "VietCert",
                                   "--valid-from", "2026-01-01", "--valid-until", "2027-12-31"]).status == 0)
        let held = try CLI.agritrace(["harvest", "--workspace", ws, "--gtin", "08936000120016", "--lot", "C2", "--quantity", "5", "--plot", "P1",
                                      "--harvest-date", "2026-04-10", "--organic-certificate", "VC-ORG-2026-0457"])
        #expect(held.status == 0 && !held.output.contains("note:"), "\(held.output)")
        let sheet = dir.appendingPathComponent("certs.csv")
        try "gtin,lot,quantity,plots,harvest_date,organic_certificate\n08936000120016,C3,1,P1,2026-04-10,VC-ORG-2026-0457\n08936000120016,C4,1,P1,2026-04-10,VC-X\n08936000120016,C5,1,P1,2026-04-10,VC-X\n"
            .write(to: sheet, atomically: true, encoding: .utf8)
        let bulk = try CLI.agritrace(["harvest", "--workspace", ws, "--csv", sheet.path])
        #expect(bulk.status == 0 && bulk.output.components(separatedBy: "note:").count == 2 && bulk.output.contains("certificate VC-X is not registered"), "\(bulk.output)")
    }

    @Test("a harvest over days keeps its last day: refused when it ends before it starts, after the record's day or outside the certificate; buyers, labels and the trace see the span, a CSV column gives it too")
    func harvestOverDays() throws {
        let (dir, ws) = try Self.cooperative()
        #expect(try CLI.agritrace(["certificate", "add", "--workspace", ws, "--number", "VC-1", "--body", "VietCert",
                                   "--valid-from", "2026-01-01", "--valid-until", "2026-04-11"]).status == 0)
        let base = ["harvest", "--workspace", ws, "--gtin", "08936000120016", "--quantity", "50", "--plot", "P1", "--time", "2026-04-12T18:00:00+07:00"]
        for (extra, code) in [(["--lot", "X", "--harvest-date", "2026-04-08", "--harvest-end-date", "2026-04-07"], "argument.invalid"),
                              (["--lot", "X", "--harvest-date", "2026-04-08", "--harvest-end-date", "2026-04-13"], "time.future"),
                              (["--lot", "X", "--harvest-date", "2026-04-08", "--harvest-end-date", "2026-04-31"], "argument.invalid"),
                              (["--lot", "X", "--harvest-date", "2026-04-08", "--harvest-end-date", "2026-04-12", "--organic-certificate", "VC-1"],
                               "certificate.expired")] {
            let refused = try CLI.agritrace(base + extra)
            #expect(refused.status == 2 && refused.output.contains(code), "\(extra): \(refused.output)")
        }
        #expect(try Self.recordCount(ws) == 0)
        let harvest = try CLI.agritrace(base + ["--lot", "H1", "--harvest-date", "2026-04-08", "--harvest-end-date", "2026-04-12"])
        #expect(harvest.status == 0, "\(harvest.output)")
        let label = try CLI.agritrace(["label", "--workspace", ws, "--lot", "08936000120016/H1", "--format", "svg",
                                       "--out", dir.appendingPathComponent("h1.svg").path])
        #expect(label.status == 0 && label.output.contains("?7007=260408260412&422=704&h="), "\(label.output)")
        let bundle = dir.appendingPathComponent("h1.provenance.json").path
        #expect(try CLI.agritrace(["export", "--workspace", ws, "--lot", "08936000120016/H1", "--out", bundle]).output.contains("wrote "))
        let journey = try CLI.verify([bundle, "--trust", CLI.root, "--no-policy"])
        #expect(journey.output.contains("— 50 kg; harvested 2026-04-08 to 2026-04-12; plots: Lũng Pù"), "\(journey.output)")
        let json = try CLI.verify([bundle, "--trust", CLI.root, "--no-policy", "--json"])
        #expect(json.output.contains("\"harvestStart\" : \"2026-04-08\"") && json.output.contains("\"harvestEnd\" : \"2026-04-12\""), "\(json.output)")
        let sheet = dir.appendingPathComponent("days.csv")
        try "gtin,lot,quantity,plots,harvest_date,harvest_end_date\n08936000120016,H2,1,P1,2026-04-01,2026-04-03\n08936000120016,H3,1,P1,2026-04-02,\n"
            .write(to: sheet, atomically: true, encoding: .utf8)
        #expect(try CLI.agritrace(["harvest", "--workspace", ws, "--csv", sheet.path]).status == 0)
        let back = try CLI.agritrace(["trace", "back", "--workspace", ws, "--lot", "08936000120016/H2"])
        #expect(back.output.contains("harvested 2026-04-01 to 2026-04-03"), "\(back.output)")
        let single = try CLI.agritrace(["trace", "back", "--workspace", ws, "--lot", "08936000120016/H3"])
        #expect(single.output.contains("harvested 2026-04-02;"), "\(single.output)")
    }

    @Test("label --sscc prints a pallet's label naming the unit and what it holds; the buyer's verifier accepts it; dates and serials are refused for a unit")
    func palletLabel() throws {
        let (dir, ws) = try Self.cooperative()
        for lot in ["P-1", "P-2"] {
            #expect(try CLI.agritrace(["harvest", "--workspace", ws, "--gtin", "08936000120016", "--lot", lot, "--quantity", "50", "--plot", "P1",
                                       "--harvest-date", lot == "P-1" ? "2026-04-08" : "2026-04-11", "--time", "2026-04-12T18:00:00+07:00"]).status == 0)
        }
        #expect(try CLI.agritrace(["pack", "--workspace", ws, "--sscc", "089360001000000018", "--lot", "08936000120016/P-1=50",
                                   "--lot", "08936000120016/P-2=30", "--time", "2026-04-13T08:00:00+07:00"]).status == 0)
        let out = dir.appendingPathComponent("pallet.zpl").path
        let label = try CLI.agritrace(["label", "--workspace", ws, "--sscc", "089360001000000018", "--format", "zpl", "--out", out])
        #expect(label.status == 0 && label.output.hasPrefix("https://id.gs1.org/00/089360001000000018?h="), "\(label.output)")
        let zpl = try String(contentsOfFile: out, encoding: .utf8)
        #expect(zpl.contains("SSCC: 089360001000000018") && zpl.contains("Lot / Lô: P-1, P-2") && zpl.contains("80 kg")
                && zpl.contains("2026-04-08 to 2026-04-11"), "\(zpl)")
        let bundle = dir.appendingPathComponent("pallet.provenance.json").path
        #expect(try CLI.agritrace(["export", "--workspace", ws, "--sscc", "089360001000000018", "--out", bundle]).output.contains("wrote "))
        let link = String(label.output.prefix { $0 != "\n" })
        let verified = try CLI.verify([bundle, "--trust", CLI.root, "--no-policy", "--label", link])
        #expect(verified.output.contains("Label ✔ the scanned label names this unit"), "\(verified.output)")
        for extra in [["--expiry", "2027-01-01"], ["--serials", "3", "--format", "pdf"]] {
            let refused = try CLI.agritrace(["label", "--workspace", ws, "--sscc", "089360001000000018", "--out", out] + extra)
            #expect(refused.status == 2 && refused.output.contains("are for lots"), "\(extra): \(refused.output)")
        }
    }

    @Test("a carrier records a pallet in its care with the temperatures it logged; chilled beef over 4 °C is noted and refused by buyers; what is not in transit is refused")
    func carrierColdChain() throws {
        let (dir, ws) = try Self.cooperative()
        let sscc = "089360001000000018"
        for args in [["product", "add", "--gtin", "08936000120047", "--category", "beef", "--name-vi", "Thịt bò", "--name-en", "Beef", "--unit", "KGM"],
                     ["harvest", "--gtin", "08936000120047", "--lot", "B1", "--quantity", "50", "--plot", "P1", "--harvest-date", "2026-04-10",
                      "--time", "2026-04-12T08:00:00+07:00"],
                     ["pack", "--sscc", sscc, "--lot", "08936000120047/B1=50", "--time", "2026-04-12T09:00:00+07:00"],
                     ["ship", "--to", "8936000100094", "--sscc", sscc, "--time", "2026-04-12T10:00:00+07:00"]] {
            let result = try CLI.agritrace(args + ["--workspace", ws])
            #expect(result.status == 0, "\(args): \(result.output)")
        }
        let shipped = dir.appendingPathComponent("pallet.provenance.json").path
        let carrier = dir.appendingPathComponent("carrier").path, certificates = repositoryRoot.appendingPathComponent("Certificates")
        let crl = certificates.appendingPathComponent("issuing-ca.crl.pem").path
        #expect(try CLI.agritrace(["identity", "crl", "--workspace", ws, crl]).status == 0)
        _ = try CLI.agritrace(["export", "--workspace", ws, "--sscc", sscc, "--out", shipped])
        #expect(try CLI.agritrace(["init", "--workspace", carrier, "--org", "Red River Cold Chain", "--gln", "8936000100087", "--trust", CLI.root]).status == 0)
        #expect(try CLI.agritrace(["identity", "install", "--workspace", carrier, "--certificate", certificates.appendingPathComponent("carrier.pem").path,
                                   "--key", certificates.appendingPathComponent("carrier.key").path, "--crl", crl]).status == 0)
        let before = try CLI.agritrace(["transport", "--workspace", carrier, "--sscc", sscc, "--temperature", "3"])
        #expect(before.status == 2 && before.output.contains("lot.unknown"), "\(before.output)")  // its shipper's bundle not imported yet
        #expect(try CLI.agritrace(["import", "--workspace", carrier, shipped]).status == 0)
        for (args, code) in [(["--temperature", "500"], "argument.invalid"), (["--temperature", "warm"], "argument.invalid"), ([String](), "argument.invalid")] {
            let refused = try CLI.agritrace(["transport", "--workspace", carrier] + (args.isEmpty ? [] : ["--sscc", sscc]) + args)
            #expect(refused.status == 2 && refused.output.contains(code), "\(args): \(refused.output)")
        }
        let logged = try CLI.agritrace(["transport", "--workspace", carrier, "--sscc", sscc, "--temperature", "2.8", "--temperature", "5.1",
                                        "--time", "2026-04-12T18:00:00+07:00"])
        #expect(logged.status == 0 && logged.output.contains("note: temperature 5.1 °C, above the limit of 4 °C"), "\(logged.output)")
        let carried = dir.appendingPathComponent("carried.provenance.json").path
        _ = try CLI.agritrace(["export", "--workspace", carrier, "--sscc", sscc, "--out", carried])
        let journey = try CLI.verify([carried, "--trust", CLI.root])
        #expect(journey.output.contains("transporting  Red River Cold Chain Logistics") && journey.output.contains("temperature 2.8 to 5.1 °C (2 readings)"),
                "\(journey.output)")
        #expect(journey.output.contains("[policy.limitExceeded] transporting: temperature 5.1 °C, above the limit of 4 °C"), "\(journey.output)")

        // A data logger's CSV: each reading keeps its time (no offset: the workspace's zone, +07:00).
        let log = dir.appendingPathComponent("logger.csv")
        func transported(_ rows: String, time: String = "2026-04-12T19:00:00+07:00") throws -> (status: Int32, output: String) {
            try ("Time,Temperature\n" + rows).write(to: log, atomically: true, encoding: .utf8)
            return try CLI.agritrace(["transport", "--workspace", carrier, "--sscc", sscc, "--readings", log.path, "--time", time])
        }
        for (rows, words) in [("2026-04-12 09:30,3.0\n", "before"),  // before it was shipped at 10:00
                              ("2026-04-12 11:00,3.0\n2026-04-12T20:00:00+07:00,3.1\n", "after this record's time"),
                              ("2026-04-12 11:00,3.0\n2026-04-12 11:15,warm\n12 April,3\n", "line 3: csv.malformed: temperature 'warm'"),
                              ("", "holds no readings")] {
            let refused = try transported(rows)
            #expect(refused.status == 2 && refused.output.contains(words), "\(rows): \(refused.output)")
        }
        let readings = try transported("2026-04-12 11:00,3.0\n2026-04-12 11:15,4.6\n2026-04-12T04:30:00Z,4.9\n2026-04-12 11:45,3.2\n")
        #expect(readings.status == 0 && readings.output.contains("note: temperature above the limit of 4 °C in 2 of 4 readings, up to 4.9 °C (2026-04-12 04:30 +00:00)"),
                "\(readings.output)")
        _ = try CLI.agritrace(["export", "--workspace", carrier, "--sscc", sscc, "--out", carried])
        let logger = try CLI.verify([carried, "--trust", CLI.root])
        #expect(logger.output.contains("temperature 3 to 4.9 °C (4 readings, 2026-04-12 11:00 to 2026-04-12 11:45)"), "\(logger.output)")
        #expect(logger.output.contains("transporting: temperature above the limit of 4 °C in 2 of 4 readings, up to 4.9 °C"), "\(logger.output)")
        // The carrier's events report gives what was logged, for an auditor's spreadsheet.
        let report = try CLI.agritrace(["report", "events", "--workspace", carrier]).output
        #expect(report.hasPrefix("event_time,") && report.contains(",measurements\r\n")
                && report.contains(",\"temperature 3 to 4.9 °C (4 readings, 2026-04-12 11:00 to 2026-04-12 11:45)\"\r\n"), "\(report)")
    }

    @Test("a carrier's log for a pallet of beef and honey is held to the beef policy's limit: a jar of honey beside the beef does not lift it")
    func mixedPalletColdChain() throws {
        let (dir, ws) = try Self.cooperative()
        let sscc = "089360001000000018", certificates = repositoryRoot.appendingPathComponent("Certificates")
        let crl = certificates.appendingPathComponent("issuing-ca.crl.pem").path
        for args in [["product", "add", "--gtin", "08936000120047", "--category", "beef", "--name-vi", "Thịt bò", "--name-en", "Beef", "--unit", "KGM"],
                     ["harvest", "--gtin", "08936000120047", "--lot", "B1", "--quantity", "50", "--plot", "P1", "--harvest-date", "2026-04-10",
                      "--time", "2026-04-12T08:00:00+07:00"],
                     ["harvest", "--gtin", "08936000120016", "--lot", "H1", "--quantity", "5", "--plot", "P1", "--harvest-date", "2026-04-10",
                      "--time", "2026-04-12T08:00:00+07:00"],
                     ["pack", "--sscc", sscc, "--lot", "08936000120047/B1=50", "--lot", "08936000120016/H1=1", "--time", "2026-04-12T09:00:00+07:00"],
                     ["ship", "--to", "8936000100094", "--sscc", sscc, "--time", "2026-04-12T10:00:00+07:00"], ["identity", "crl", crl]] {
            let result = try CLI.agritrace(args + ["--workspace", ws])
            #expect(result.status == 0, "\(args): \(result.output)")
        }
        let shipped = dir.appendingPathComponent("pallet.provenance.json").path, carrier = dir.appendingPathComponent("carrier").path
        _ = try CLI.agritrace(["export", "--workspace", ws, "--sscc", sscc, "--out", shipped])
        for args in [["init", "--workspace", carrier, "--org", "Red River Cold Chain", "--gln", "8936000100087", "--trust", CLI.root],
                     ["identity", "install", "--workspace", carrier, "--certificate", certificates.appendingPathComponent("carrier.pem").path,
                      "--key", certificates.appendingPathComponent("carrier.key").path, "--crl", crl],
                     ["import", "--workspace", carrier, shipped]] {
            #expect(try CLI.agritrace(args).status == 0, "\(args)")
        }
        let logged = try CLI.agritrace(["transport", "--workspace", carrier, "--sscc", sscc, "--temperature", "5.1", "--time", "2026-04-12T18:00:00+07:00"])
        #expect(logged.status == 0 && logged.output.contains("note: temperature 5.1 °C, above the limit of 4 °C (the beef policy buyers apply)"), "\(logged.output)")
        // The beef's buyer is held to it; the pallet's, of two categories, is told no one policy applied.
        let carried = dir.appendingPathComponent("carried.provenance.json").path
        _ = try CLI.agritrace(["export", "--workspace", carrier, "--sscc", sscc, "--out", carried])
        let pallet = try CLI.verify([carried, "--trust", CLI.root])
        #expect(pallet.output.contains("note [policy.mixed]") && pallet.output.contains("(beef, honey)"), "\(pallet.output)")
        let beefBundle = dir.appendingPathComponent("beef.provenance.json").path
        _ = try CLI.agritrace(["export", "--workspace", carrier, "--lot", "08936000120047/B1", "--out", beefBundle])
        let beef = try CLI.verify([beefBundle, "--trust", CLI.root])
        #expect(beef.output.contains("(policy: beef)") && beef.output.contains("[policy.limitExceeded] transporting: temperature 5.1 °C"), "\(beef.output)")
    }

    @Test("a party outside Viet Nam records in its own time zone (init --offset); an offset no zone has creates nothing")
    func workspaceTimeZone() throws {
        let dir = try temporaryDirectory(), certificates = repositoryRoot.appendingPathComponent("Certificates")
        for odd in ["8", "+08:60", "+14:30", "-12:30", "+08:0a", "UTC+8", ""] {
            let ws = dir.appendingPathComponent("odd").path
            let refused = try CLI.agritrace(["init", "--workspace", ws, "--org", "X", "--gln", "8936000100018", "--offset", odd])
            #expect(refused.status == 2 && !FileManager.default.fileExists(atPath: ws), "\(odd): \(refused.output)")
        }
        let ws = dir.appendingPathComponent("kunming").path
        for args in [["init", "--org", "Kunming Fresh", "--gln", "8936000100018", "--offset", "+08:00", "--trust", CLI.root],
                     ["identity", "install", "--certificate", certificates.appendingPathComponent("honey-coop.pem").path,
                      "--key", certificates.appendingPathComponent("honey-coop.key").path],
                     ["product", "add", "--gtin", "08936000120016", "--name-vi", "Mật ong", "--name-en", "Honey", "--category", "honey"],
                     ["plot", "add", "--id", "P1", "--name", "Lũng Pù", "--point", "105.41,23.17"],
                     ["harvest", "--gtin", "08936000120016", "--lot", "K1", "--quantity", "5", "--plot", "P1", "--harvest-date", "2026-04-10"]] {
            let result = try CLI.agritrace(args + ["--workspace", ws])
            #expect(result.status == 0, "\(args): \(result.output)")
            if args[0] == "init" { #expect(result.output.contains("UTC+08:00"), "\(result.output)") }
        }
        let rows = try CLI.agritrace(["report", "events", "--workspace", ws]).output.split(whereSeparator: \.isNewline)
        #expect(rows.count == 2 && rows[1].prefix(29).hasSuffix("+08:00"), "\(rows)")
        let negative = dir.appendingPathComponent("lima").path  // a value starting with a dash is the option's, not another option
        #expect(try CLI.agritrace(["init", "--workspace", negative, "--org", "Lima", "--gln", "8936000100018", "--offset", "-05:00"]).output.contains("UTC-05:00"))
    }

    @Test("a spreadsheet's CSV reads as saved: byte order mark, semicolons with a decimal comma, quoted fields")
    func spreadsheetCSV() throws {
        let (dir, ws) = try Self.cooperative()
        let vietnamese = dir.appendingPathComponent("excel-vi.csv")
        try Data([0xEF, 0xBB, 0xBF] + Array("""
        GTIN;Lot;Quantity;Unit;Plots;Harvest_Date\r
        08936000120016;V1;1200,5;KGM;P1;2026-04-01\r
        "08936000120016";"V2";"7,25";KGM;"P1";2026-04-02\r
        08936000120016;\u{00A0}V3\t;\u{3000}1 ;KGM; P1 ;2026-04-02\r
        \r

        """.utf8)).write(to: vietnamese)
        let registered = try CLI.agritrace(["harvest", "--workspace", ws, "--csv", vietnamese.path])
        #expect(registered.status == 0, "\(registered.output)")
        let report = try CLI.agritrace(["report", "events", "--workspace", ws]).output
        #expect(report.contains(",1200.5,") && report.contains(",7.25,"), "\(report)")
        // Spaces around a field, Unicode's too (no-break, ideographic) and tabs, are not part of it.
        #expect(report.contains("/10/V3,") && report.contains(",1,KGM,"), "\(report)")

        let quoted = dir.appendingPathComponent("quoted.csv")
        try "gtin,lot,quantity,plots,harvest_date\n08936000120016,Q1,\"10\",\"P1\",2026-04-03\n".write(to: quoted, atomically: true, encoding: .utf8)
        #expect(try CLI.agritrace(["harvest", "--workspace", ws, "--csv", quoted.path]).status == 0)
        #expect(try Self.recordCount(ws) == 4)
    }

    @Test("a number a locale would misread is refused, not read in part", arguments: [
        ("gtin,lot,quantity,harvest_date\n08936000120016,B1,\"1,200\",2026-04-01\n", "line 2"),
        ("gtin,lot,quantity,harvest_date\n08936000120016,B1,1200.5kg,2026-04-01\n", "line 2"),
        ("gtin;lot;quantity;harvest_date\n08936000120016;B1;1.200,5;2026-04-01\n", "line 2"),
        ("gtin,lot,quantity,harvest_date\n08936000120016,B1,99999999999999999999999999999999999999999,2026-04-01\n", "at most 15 digits"),
        ("gtin,lot,quantity,harvest_date\n08936000120016,\"B1,10,2026-04-01\n", "line 2: a quoted field is not closed"),
    ])
    func misreadNumbers(csv: String, expected: String) throws {
        let (dir, ws) = try Self.cooperative()
        let file = dir.appendingPathComponent("bad.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let refused = try CLI.agritrace(["harvest", "--workspace", ws, "--csv", file.path])
        #expect(refused.status == 2 && refused.output.contains(expected), "\(refused.output)")
        let typed = try CLI.agritrace(["harvest", "--workspace", ws, "--gtin", "08936000120016", "--lot", "B2", "--quantity", "1200,5",
                                       "--plot", "P1", "--harvest-date", "2026-04-01"])
        #expect(typed.status == 2 && typed.output.contains("decimal mark"), "\(typed.output)")
        #expect(try Self.recordCount(ws) == 0)
    }

    @Test("killing a bulk registration at any moment leaves a registry that opens, checks sound and lost nothing committed")
    func killTest() throws {
        let (dir, ws) = try Self.cooperative()
        var committed = 0
        // Rounds 0-3 are killed part-way (a 1500-row file takes seconds); round 4 runs to the end; round 5 is killed again.
        for round in 0..<6 {
            let csv = dir.appendingPathComponent("round\(round).csv")
            try ("gtin,lot,quantity,plots,harvest_date\n" + (1...1500).map { "08936000120016,R\(round)-\($0),10,P1,2026-04-01" }.joined(separator: "\n"))
                .write(to: csv, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = CLI.bin.appendingPathComponent("agritrace")
            process.arguments = ["harvest", "--workspace", ws, "--csv", csv.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            if round != 4 {
                usleep(UInt32(200_000 + (round % 4) * 450_000))
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
            let check = try CLI.agritrace(["check", "--workspace", ws])
            #expect(check.status == 0, "round \(round): \(check.output)")
            let count = try Self.recordCount(ws)
            #expect(count == committed || count == committed + 1500, "round \(round): \(count) records after \(committed)")
            if round == 4 { #expect(count == committed + 1500) }
            committed = count
        }
        #expect(committed >= 1500)
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

@Suite("agritrace label and agritrace-verify --label")
struct LabelCLITests {
    static let certificates = repositoryRoot.appendingPathComponent("Certificates")

    @Test("a printed PNG label, scanned with --label-image, verifies with its bundle; a forged lot does not")
    func printAndScan() throws {
        let dir = try temporaryDirectory()
        let png = dir.appendingPathComponent("label.png").path
        let printed = try CLI.agritrace(["label", "--bundle", CLI.honey, "--key", Self.certificates.appendingPathComponent("exporter.key").path,
                                         "--certificate", Self.certificates.appendingPathComponent("exporter.pem").path,
                                         "--resolver", "https://dl.plateauharvest.vn", "--format", "png", "--out", png])
        #expect(printed.status == 0, "\(printed.output)")
        let uri = printed.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(uri.hasPrefix("https://dl.plateauharvest.vn/01/08936000120016/10/MV-2026-031?"))
        #expect(try CLI.verify([CLI.honey, "--trust", CLI.root, "--label-image", png]).status == 0)
        #expect(try CLI.verify([CLI.honey, "--trust", CLI.root, "--label", uri]).status == 0)
        let forged = try CLI.verify([CLI.honey, "--trust", CLI.root, "--label", uri.replacingOccurrences(of: "MV-2026-031", with: "MV-2026-032"), "--json"])
        #expect(forged.status == 1 && forged.output.contains("label.subjectMismatch"))
        #expect(try CLI.verify([CLI.honey, "--trust", CLI.root, "--label-image", CLI.root]).status == 2)
        // Not a regular file: zbarimg would read /dev/zero for ever; a directory is no photo.
        for path in ["/dev/zero", dir.path] {
            let refused = try CLI.verify([CLI.honey, "--trust", CLI.root, "--label-image", path])
            #expect(refused.status == 2 && refused.output.contains("regular file"), "\(refused.output)")
        }
        // A file name that starts with "-" is a file, not an option of zbarimg.
        let dashed = dir.appendingPathComponent("-label.png").path
        try FileManager.default.copyItem(atPath: png, toPath: dashed)
        #expect(try CLI.verify([CLI.honey, "--trust", CLI.root, "--label-image=-label.png"], in: dir).status == 0)
    }

    @Test("an expiry date is a real day, written YYYY-MM-DD or YYMMDD, and not before the harvest", arguments: [
        ("2027-12-31", "17=271231"), ("271231", "17=271231"), ("2028-02-29", "17=280229"), ("260400", "17=260400"),
        ("2026-02-30", "is not a valid YYMMDD date"), ("260230", "is not a valid YYMMDD date"), ("2027-02-29", "is not a valid YYMMDD date"),
        ("20271231", "is not a valid YYMMDD date"), ("1999-01-01", "years 2000 to 2099"), ("2026-04-01", "before the lot's harvest"),
    ])
    func expiry(date: String, expected: String) throws {
        let out = try temporaryDirectory().appendingPathComponent("label.svg").path
        let result = try CLI.agritrace(["label", "--bundle", CLI.honey, "--key", Self.certificates.appendingPathComponent("exporter.key").path,
                                        "--certificate", Self.certificates.appendingPathComponent("exporter.pem").path, "--format", "svg",
                                        "--expiry", date, "--out", out])
        #expect(result.output.contains(expected) && result.status == (expected.hasPrefix("17=") ? 0 : 2), "\(result.output)")
    }

    @Test("serialised unit labels go on a PDF sheet; other formats and bad options exit 2")
    func sheets() throws {
        let dir = try temporaryDirectory()
        let key = Self.certificates.appendingPathComponent("exporter.key").path, cert = Self.certificates.appendingPathComponent("exporter.pem").path
        let pdf = dir.appendingPathComponent("units.pdf").path
        #expect(try CLI.agritrace(["label", "--bundle", CLI.honey, "--key", key, "--certificate", cert, "--format", "pdf", "--serials", "12", "--out", pdf]).status == 0)
        #expect(try run(["pdfinfo", pdf]).output.contains("Pages:           2"))
        let zpl = dir.appendingPathComponent("l.zpl").path
        #expect(try CLI.agritrace(["label", "--bundle", CLI.honey, "--key", key, "--certificate", cert, "--format", "zpl", "--out", zpl]).status == 0)
        #expect(try String(contentsOfFile: zpl, encoding: .utf8).hasPrefix("^XA"))
        for (bad, says) in [(["--format", "gif"], "--format"), (["--level", "Z"], "--level"), (["--format", "png", "--serials", "3"], "--serials"),
                            (["--format", "pdf", "--serials", "0"], "--serials"), (["--format", "png", "--dpi", "0"], "--dpi"),
                            (["--format", "png", "--dpi", "1000000"], "--dpi"), (["--resolver", "javascript:alert(1)"], "label.resolverInvalid")] {
            let refused = try CLI.agritrace(["label", "--bundle", CLI.honey, "--key", key, "--certificate", cert, "--out", zpl] + bad)
            #expect(refused.status == 2 && refused.output.contains(says), "\(bad): \(refused.output)")
        }
    }
}

@Suite("agritrace-bench arguments")
struct BenchArgumentTests {
    func bench(_ args: [String]) throws -> (status: Int32, output: String) {
        try run([CLI.bin.appendingPathComponent("agritrace-bench").path] + args)
    }

    @Test("a missing or broken file, or a count that is not a whole number of at least 1, ends the benchmark with exit 2 and a message, not a crash")
    func badArguments() throws {
        let dir = try temporaryDirectory()
        let notPEM = dir.appendingPathComponent("anchor.pem")
        try Data("not a certificate".utf8).write(to: notPEM)
        let missing = dir.appendingPathComponent("missing.pem").path
        for (args, says) in [(["--verify-only", CLI.honey, missing], "missing.pem"), (["--verify-only", CLI.honey, notPEM.path], "certificate.malformed"),
                             (["--exchange-only", CLI.honey, missing], "missing.pem"), (["--records", "0"], "--records"),
                             (["--registry-only", "-3"], "--registry-only")] {
            let result = try bench(args)
            #expect(result.status == 2 && result.output.contains(says) && !result.output.contains("Fatal error"), "\(args): \(result.output)")
        }
        let verified = try bench(["--verify-only", CLI.honey, CLI.root])
        #expect(verified.status == 0 && verified.output.hasPrefix("trusted "), "\(verified.output)")
    }

    @Test("a program that exits while another thread still uses OpenSSL (as a verifier's freeing and table building may) ends with its own exit code, not a crash, whether or not it called keepUntilExit")
    func exitWhileOpenSSLIsBusy() throws {
        // Without OpenSSLLifetime.keepUntilExit(), about half of the first kind of run ended in a
        // segmentation fault; without inBackground's wait at exit, about two thirds of the second.
        for _ in 0..<12 {
            for embedder in [false, true] {
                let result = try bench(["--exit-while-busy", CLI.root] + (embedder ? ["--as-embedder"] : []))
                #expect(result.status == 0 && !result.output.contains("crashed"), "embedder \(embedder): \(result.output)")
            }
        }
    }
}
