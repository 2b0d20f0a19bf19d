import Foundation
import Testing
import TestSupport

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
}
