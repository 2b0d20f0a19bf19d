import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto
import TraceStore

/// `agritrace epcis import`: events from another EPCIS system into the registry.
struct EPCISImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import the events of an EPCIS 2.0 document as records you attest and sign.",
        discussion: """
        Each event keeps its original eventID and is marked agt:imported. Events are linked in \
        the order they happened; those already imported are left out, so importing a document \
        twice is harmless. A document with any invalid event, or whose quantities do not \
        balance, is refused whole, with the JSON path of what is wrong.
        """
    )
    @OptionGroup var options: SigningOptions
    @Argument(help: "The EPCIS 2.0 JSON(-LD) document.") var file: String

    func run() throws {
        let data: Data
        do { data = try RegularFile.read(URL(fileURLWithPath: file), limit: EPCISDocument.maximumBytes) } catch {
            throw TraceError("argument.invalid", "cannot read \(file): \(error.localizedDescription)")
        }
        let result = try options.recorder().importEPCIS(data, source: URL(fileURLWithPath: file).lastPathComponent)
        let skipped = result.alreadyStored > 0 ? " (\(result.alreadyStored) already in the registry, left out)" : ""
        print(TerminalText.safe("imported \(result.envelopes.count) new event(s) from \(file)\(skipped)"))
    }
}
