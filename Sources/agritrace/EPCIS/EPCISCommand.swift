import ArgumentParser

/// EPCIS 2.0 interoperability: event hashes and documents.
struct EPCISCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epcis",
        abstract: "Work with GS1 EPCIS 2.0 documents: CBV 2.0 event hashes, export, import.",
        subcommands: [EPCISHash.self, EPCISExport.self, EPCISImportCommand.self]
    )
}
