import AgriTrace
import ArgumentParser
import Foundation
import TraceStore

/// `agritrace import`: a partner's bundle into the registry, verified first.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a partner's provenance bundle, verified against the workspace's trust anchors first.",
        discussion: "A bundle that is not trusted changes nothing. Importing the same bundle twice is harmless."
    )
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The bundle.") var bundle: String
    @Flag(help: "Also import a bundle that is intact but signed outside your trust anchors.") var acceptUntrusted = false

    func run() throws {
        let url = URL(fileURLWithPath: bundle)
        let result = try options.open().importBundle(at: url, acceptUntrusted: acceptUntrusted)
        print("imported \(result.added) new record(s) of \(result.report.records.count) from \(bundle) (\(result.report.level.rawValue))")
        // What the goods' history holds against them, said before they are received or sold on.
        for finding in DispositionCheck.findings(in: try BundleFile(contentsOf: url)) { print(verdictNote(finding)) }
    }
}

/// `agritrace export`: the bundle a buyer gets.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the provenance bundle of a lot or logistic unit: its whole upstream history, certificates and CRLs.",
        discussion: """
            The bundle is then checked as your partner's 'agritrace import' will check it (signatures, \
            certificate chains to your trust anchors with a current revocation list, links, \
            quantities). Exit status 1, with what is wrong, when the partner would refuse it; the \
            file is written either way.
            """
    )
    @OptionGroup var options: WorkspaceOptions
    @Option(help: ArgumentHelp("The lot: a Digital Link or GTIN/LOT.", valueName: "lot")) var lot: String?
    @Option(help: "A logistic unit's SSCC.") var sscc: String?
    @Option(help: ArgumentHelp("Where to write the bundle.", valueName: "file.provenance.json")) var out: String

    func run() throws {
        let target = try OutputFile.url(out), subject = try subjectOf(lot: lot, sscc: sscc), workspace = try options.open()
        let bundle = try workspace.exportBundle(subject: subject)
        try bundle.write(to: target)
        let count = bundle.records.count
        print(TerminalText.safe("wrote \(out): \(count) record\(count == 1 ? "" : "s") for \(subject)"))
        for finding in try DispositionCheck.findings(in: bundle) { print(verdictNote(finding)) }
        let report = try workspace.handOverReport(of: bundle)
        guard report.level != .trusted else { return }
        print("a partner's import would refuse it: it verifies as \(report.level.rawValue) under your trust anchors")
        for finding in report.findings where finding.severity != .warning {
            print(TerminalText.safe("  [\(finding.code)] \(finding.message)"))
        }
        if report.findings.contains(where: { $0.code == .certificateRevocationUnknown }) {
            print("to fix: store the current revocation list (CRL) of each authority named above with "
                  + "'agritrace identity crl FILE' (your authority publishes it), then export again; a partner that holds a current "
                  + "one judges by it, but a buyer's verifier has only the bundle")
        }
        throw ExitCode(1)
    }
}

/// The Digital Link of `--lot` or `--sscc` (exactly one).
func subjectOf(lot: String?, sscc: String?) throws -> String {
    switch (lot, sscc) {
    case (let lot?, nil): return try lotReference(lot)
    case (nil, let sscc?): return DigitalLink.logisticUnit(try SSCC(sscc)).uri
    default: throw TraceError("argument.invalid", "give exactly one of --lot and --sscc")
    }
}

/// `agritrace check`: re-verify the whole registry.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Re-verify every stored record's signature, signer chain, links and event ID.")
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let workspace = try options.open()
        let report = try workspace.check()
        if json { FileHandle.standardOutput.write(try report.json()) } else {
            for finding in report.findings { print(TerminalText.safe("[\(finding.code)] \(finding.record ?? "-") \(finding.message)")) }
            print("\(try workspace.registry.count()) records checked: \(report.findings.filter { $0.severity == .error }.isEmpty ? "sound" : "problems found")")
        }
        if report.findings.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
}
