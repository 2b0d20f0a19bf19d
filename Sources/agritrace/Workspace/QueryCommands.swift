import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto
import TraceStore

/// `agritrace trace back|forward`.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Trace a lot back to its farms, or forward to every shipment and buyer holding it (a recall list).",
        subcommands: [Back.self, Forward.self]
    )

    struct Back: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Farms, plots, inputs and certificates behind a lot.",
            discussion: """
            The lot's history as this registry holds it, as a tree: the records that name the lot, \
            and under each the records it links back to, down to the harvests (with their plots \
            and organic certificates), inspections and, for a blend, every input lot.

            Example:
              agritrace trace back --lot 08936000120016/MV-2026-031
            """
        )
        @OptionGroup var target: TraceTarget
        func run() throws { try target.print(forward: false) }
    }

    struct Forward: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every pack, shipment and buyer that holds any part of a lot.",
            discussion: """
            A recall list: the records that name the lot and every record that follows from them \
            (packing, shipments, receipts, blends), each under the one it follows, with how much \
            went where: `1200 kg to Plateau Harvest Export Co., Ltd.`, `600 kg into SSCC …`; then \
            every party the goods were shipped to, with what each was sent. Parties are named by \
            the certificates in the registry, else by GLN. What partners did after the goods left \
            you is here only once you have imported their bundles.

            Example:
              agritrace trace forward --lot 08936000120016/MV-2026-031 --json
            """
        )
        @OptionGroup var target: TraceTarget
        func run() throws { try target.print(forward: true) }
    }
}

struct TraceTarget: ParsableArguments {
    @OptionGroup var options: WorkspaceOptions
    @Option(help: ArgumentHelp("The lot: a Digital Link or GTIN/LOT.", valueName: "lot")) var lot: String?
    @Option(help: "A logistic unit's SSCC.") var sscc: String?
    @Flag(help: ArgumentHelp("Print the steps as JSON: each with its digest, time, step, identifiers, signerKeyid, signer, detail, quantity, "
                             + "sourceGLN, destinationGLN, depth (links from the lot) and next (the digests one link further).")) var json = false

    func print(forward: Bool) throws {
        let workspace = try options.open()
        let subject = try subjectOf(lot: lot, sscc: sscc)
        let tracer = Tracer(registry: workspace.registry)
        let steps = forward ? try tracer.forward(subject) : try tracer.back(subject)
        if json { try printJSON(steps); return }
        // Names come from partners' certificates: each line made safe for the terminal.
        Swift.print("\(forward ? "Forward from" : "Back from") \(TerminalText.safe(subject))")
        for line in Tracer.tree(steps, forward: forward) { Swift.print(TerminalText.safe(line)) }
        let recipients = forward ? Tracer.recipients(steps, except: workspace.config.gln) : []
        guard !recipients.isEmpty else { return }
        let names = try workspace.registry.partyNames().byGLN
        Swift.print("Shipped to (whom a recall must reach):")
        for (gln, sent) in recipients {
            Swift.print(TerminalText.safe("  \(names[gln].map { "\($0) (GLN \(gln))" } ?? "GLN \(gln)"): \(sent.joined(separator: ", "))"))
        }
    }
}

/// `agritrace report events`: the regulator's spreadsheet.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Reports for regulators and auditors.", subcommands: [Events.self])

    struct Events: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every tracking event with its key data, as a sortable CSV spreadsheet.",
            discussion: """
                One row per lot an event names, so that sorting by the lot column finds every event \
                of a lot: a shipment of three lots is three rows; a transformation's inputs and \
                outputs are rows of their own (lot_role input, output); a packing names the logistic \
                unit (unit) and each lot packed into it (content).
                """)
        @OptionGroup var options: WorkspaceOptions
        @Option(help: ArgumentHelp("First day (inclusive), in your time zone (the workspace's, +07:00 by default).", valueName: "YYYY-MM-DD")) var from: String?
        @Option(help: ArgumentHelp("Last day (inclusive), in your time zone.", valueName: "YYYY-MM-DD")) var to: String?
        @Option(help: ArgumentHelp("Where to write the CSV (default, or -: standard output).", valueName: "file")) var out: String?

        func run() throws {
            let target = try OutputFile.urlOrStandardOutput(out), workspace = try options.open()
            // A day is the party's own (the workspace's time zone, as the events' times are
            // written): April's report of a cooperative in Vietnam starts at 00:00+07:00, not
            // seven hours later, and holds no event of 1 May at 06:00.
            func day(_ text: String?, option: String) throws -> Date? {
                try text.map { try parseDayStart($0, option: option, offsetMinutes: workspace.config.offsetMinutes) }
            }
            let first = try day(from, option: "--from"), last = try day(to, option: "--to")
            if let first, let last, last < first { throw TraceError("argument.invalid", "--to \(to ?? "") is before --from \(from ?? "")") }
            let csv = try EventReport.csv(workspace: workspace, from: first, to: last.map { $0.addingTimeInterval(86_400) })
            if let target { try Data(csv.utf8).write(to: target, options: .atomic); return }
            // Piped or redirected, the CSV as it is; on a terminal, each line made safe (partners' text).
            guard isatty(STDOUT_FILENO) == 1 else { return Swift.print(csv, terminator: "") }
            for line in csv.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast() { Swift.print(TerminalText.safe(String(line))) }
        }
    }
}
