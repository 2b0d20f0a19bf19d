import Foundation
import Testing
import TestSupport

/// What a cooperative records through the CLI: harvests (one by one and from CSV), recalls and
/// write-offs, and how its numbers and dates are read.
extension WorkspaceCLITests {
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
}
