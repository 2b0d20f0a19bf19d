import AgriTrace
import ArgumentParser
import Foundation
import TraceStore

/// `agritrace harvest`: a new lot (slaughter for beef and collection for herbs are the same step).
struct HarvestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harvest",
        abstract: "Register a harvested lot (also slaughter and collection), or many from a CSV file.",
        discussion: """
        CSV columns (header row required): gtin,lot,quantity,unit,plots,harvest_date,organic_certificate, \
        and harvest_end_date for a harvest over several days — plots separated by ';' or '|'. A spreadsheet saved as CSV reads as it is: quoted fields, \
        Excel's "CSV UTF-8", and semicolon-separated files with a decimal comma (1200,5), as \
        Vietnamese Excel writes them (plots then separated by ',' or '|'). Every row is checked \
        first; a file with a broken row is reported by line and nothing is written.
        """
    )
    @OptionGroup var options: SigningOptions
    @Option(help: "The product's GTIN.") var gtin: String?
    @Option(help: "The lot number (AI 10).") var lot: String?
    @Option(help: "Harvested quantity.") var quantity: String?
    @Option(help: "Unit (default: the product's).") var unit: String?
    @Option(name: .customLong("plot"), help: "A registered plot id. Repeat for several.") var plots: [String] = []
    @Option(help: ArgumentHelp("The harvest date: the first day, when the harvest took several.", valueName: "YYYY-MM-DD"))
    var harvestDate: String?
    @Option(help: ArgumentHelp("The last day of a harvest over several days (honey taken over a week); labels print "
                               + "the range.", valueName: "YYYY-MM-DD"))
    var harvestEndDate: String?
    @Option(help: "The organic certificate number the lot is harvested under.") var organicCertificate: String?
    @Option(help: ArgumentHelp("When the event happened (ISO 8601; default now).", valueName: "time")) var time: String?
    @Option(help: ArgumentHelp("Register every row of this CSV file instead.", valueName: "file")) var csv: String?

    func run() throws {
        let recorder = try options.recorder()
        if let csv {
            var bar = ProgressBar()
            defer { bar.finish() }  // an error then starts on a line of its own
            let registered = try BulkHarvest(recorder: recorder).run(file: URL(fileURLWithPath: csv)) { bar.show($0, $1) }
            bar.finish()
            print("registered \(registered.count) harvests from \(csv)")
            for number in registered.certificates.sorted() {
                if let note = try recorder.unregisteredCertificateNote(number) { print(TerminalText.safe("note: \(note)")) }
            }
            return
        }
        guard let gtin, let lot, let quantity, let harvestDate else {
            throw TraceError("argument.invalid", "give --gtin, --lot, --quantity and --harvest-date (or --csv)")
        }
        guard let amount = Decimal(wholeText: quantity) else {
            throw TraceError("argument.invalid", "--quantity \(quantity) is not a number (at most 15 digits, with a point as the decimal mark: 1200.5)")
        }
        let envelope = try recorder.harvest(gtin: try GTIN(gtin), lot: lot, quantity: amount, unit: unit, plots: plots, harvestDate: harvestDate,
                                            harvestEndDate: harvestEndDate,
                                            organicCertificate: organicCertificate, time: try optionalTime(time))
        // The unit as recorded (the product's, when --unit is not given), as a person reads it.
        let harvested = (try? EPCISEvent.decode(payload: envelope.payload))?.headlineQuantity.map { UnitOfMeasureName.text($0.quantity ?? amount, $0.uom) }
        announce(envelope, "harvest of \(harvested ?? quantity) of lot \(lot)", notes: try recorder.notes(for: envelope))
    }
}
