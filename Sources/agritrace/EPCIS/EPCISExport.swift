import AgriTrace
import ArgumentParser
import Foundation

/// `agritrace epcis export`: a bundle's events as an EPCIS 2.0 document.
struct EPCISExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the events of a provenance bundle as an EPCIS 2.0 document (EPCISDocument, schemaVersion 2.0).",
        discussion: "The document validates against the EPCIS 2.0 JSON schema; AgriTrace's own fields use the agt: namespace it declares."
    )

    @Argument(help: "A provenance bundle.") var bundle: String
    @Option(help: ArgumentHelp("Where to write the document (default: standard output).", valueName: "file")) var out: String?

    func run() throws {
        let file = try BundleFile(contentsOf: URL(fileURLWithPath: bundle))
        var events: [EPCISEvent] = []
        for (index, json) in file.records.enumerated() {
            do { events.append(try EPCISEvent.decode(payload: try Envelope.parse(json).payload)) } catch {
                throw TraceError(.recordMalformed, "records[\(index)] of \(bundle): \(error)")
            }
        }
        let document = try EPCISDocument.make(events: events)
        if let out { try document.write(to: URL(fileURLWithPath: out), options: .atomic) } else {
            FileHandle.standardOutput.write(document)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}
