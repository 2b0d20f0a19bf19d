import AgriTrace
import ArgumentParser
import Foundation
import TraceStore

/// `agritrace epcis export`: a bundle's events as an EPCIS 2.0 document.
struct EPCISExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write events as an EPCIS 2.0 document (EPCISDocument, schemaVersion 2.0): from a bundle, or from the workspace (--lot or --all).",
        discussion: "The document validates against the EPCIS 2.0 JSON schema; AgriTrace's own fields use the agt: namespace it declares."
    )

    @Argument(help: "A provenance bundle (else the workspace's records are exported).") var bundle: String?
    @OptionGroup var options: WorkspaceOptions
    @Option(help: ArgumentHelp("Only the history of this lot (Digital Link or GTIN/LOT).", valueName: "lot")) var lot: String?
    @Flag(help: "Every record in the workspace.") var all = false
    @Option(help: ArgumentHelp("Only events from this day on (a day of your time zone: the workspace's, else +07:00).", valueName: "YYYY-MM-DD")) var from: String?
    @Option(help: ArgumentHelp("Only events up to this day (inclusive).", valueName: "YYYY-MM-DD")) var to: String?
    @Option(help: ArgumentHelp("Where to write the document (default, or -: standard output).", valueName: "file")) var out: String?

    func run() throws {
        let target = try OutputFile.urlOrStandardOutput(out)
        var events: [EPCISEvent] = []
        if let bundle {
            let file = try BundleFile(contentsOf: URL(fileURLWithPath: bundle))
            for (index, json) in file.records.enumerated() {
                do { events.append(try EPCISEvent.decode(payload: try Envelope.parse(json).payload)) } catch {
                    throw TraceError(.recordMalformed, "records[\(index)] of \(bundle): \(error)")
                }
            }
        } else {
            guard (lot != nil) != all else { throw TraceError("argument.invalid", "give a bundle, or exactly one of --lot and --all") }
            let workspace = try options.open()
            events = try (lot.map { try workspace.exportBundle(subject: try lotReference($0)).records.map { try EPCISEvent.decode(payload: $0.payload) } }
                ?? workspace.registry.allRecords().map(\.event))
        }
        // Days of the party's time zone (its workspace's; Viet Nam's when a bundle is exported without one).
        let offset = (try? options.open())?.config.offsetMinutes ?? Workspace.Config.vietnamOffsetMinutes
        let start = try from.map { try parseDayStart($0, option: "--from", offsetMinutes: offset) }
        let end = try to.map { try parseDayStart($0, option: "--to", offsetMinutes: offset).addingTimeInterval(86_400) }
        events = events.filter { event in (start.map { event.eventTime.date >= $0 } ?? true) && (end.map { event.eventTime.date < $0 } ?? true) }
        let document = try EPCISDocument.make(events: events)
        if let target { try document.write(to: target, options: .atomic) } else {
            FileHandle.standardOutput.write(document)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}
