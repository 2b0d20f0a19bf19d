import AgriTrace
import ArgumentParser
import Foundation
import TraceStore

/// `agritrace transport`: a carrier's record of the units in its care, with the temperatures logged.
struct TransportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transport",
        abstract: "Record logistic units in your care between shipping and receiving (carriers), with the temperatures logged.",
        discussion: """
            Import the shipper's bundle first: each unit must be shipped and not yet received. The \
            record carries the temperatures read on the way (degrees Celsius); a product's policy \
            may bound them (beef: at most 4 °C), and every buyer's verifier checks them. Export the \
            unit's bundle to the receiver with the goods, so that its exports carry your record.

            Example:
              agritrace import pallet.provenance.json
              agritrace transport --sscc 089360001000000032 --temperature 2.8 --temperature 3.4
            """
    )
    @OptionGroup var options: SigningOptions
    @Option(name: .customLong("sscc"), help: ArgumentHelp("A logistic unit in your care. Repeat for several.", valueName: "sscc"))
    var units: [String] = []
    @Option(name: .customLong("temperature"), help: ArgumentHelp("A temperature read on the way, in °C. Repeat for each reading.",
                                                                 valueName: "celsius"))
    var temperatures: [String] = []
    @Option(help: ArgumentHelp("When (ISO 8601; default now).", valueName: "time")) var time: String?

    func run() throws {
        let readings = try temperatures.map { text -> Decimal in
            guard let value = Decimal(wholeText: text) else {
                throw TraceError("argument.invalid", "--temperature \(text) is not a number of degrees Celsius (a point as the decimal mark: 3.5)")
            }
            return value
        }
        let recorder = try options.recorder()
        let envelope = try recorder.transport(units: try units.map { try SSCC($0) }, temperatures: readings, time: try optionalTime(time))
        announce(envelope, "transport of \(units.joined(separator: ", "))", notes: try recorder.notes(for: envelope))
    }
}
