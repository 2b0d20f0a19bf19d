import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto

/// `agritrace epcis hash`: the CBV 2.0 event hash of every event in an EPCIS document.
struct EPCISHash: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print the CBV 2.0 event hash (ni:///sha-256;…?ver=CBV2.0) of each event in an EPCIS 2.0 JSON-LD document.",
        discussion: """
        One line per event, in document order. An event the algorithm cannot hash gets a line \
        starting with 'error:' and the exit status is 1. The hashes agree with GS1's reference \
        implementation (epcis-event-hash-generator).
        """
    )

    @Argument(help: "An EPCIS 2.0 JSON or JSON-LD document (EPCISDocument or EPCISQueryDocument).") var file: String
    @Flag(help: "Print the pre-hash strings instead of the hashes.") var prehash = false

    func run() throws {
        let data: Data
        do { data = try RegularFile.read(URL(fileURLWithPath: file), limit: EPCISDocument.maximumBytes) } catch {
            throw TraceError("argument.invalid", "cannot read \(file): \(error.localizedDescription)")
        }
        var failed = false
        for (index, result) in try EventHash.preHashes(ofDocument: data).enumerated() {
            switch result {
            case .success(let preHash): print(prehash ? preHash : EventHash.hash(preHash: preHash))
            case .failure(let error):
                print(TerminalText.safe("error: event \(index): \(error)"))  // quotes the document
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
