import Foundation
import Testing
import TestSupport

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
