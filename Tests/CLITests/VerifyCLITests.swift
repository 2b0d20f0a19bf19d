import Foundation
import Testing
import TestSupport

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
