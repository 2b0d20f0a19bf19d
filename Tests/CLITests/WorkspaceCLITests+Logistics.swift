import Foundation
import Testing
import TestSupport

/// Pallets and carriers: labels for logistic units and the cold chain a carrier logs.
extension WorkspaceCLITests {
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
}
