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

            A data logger's readings come as a CSV file with a time and a temperature column \
            (--readings): each reading keeps its time, which must fall after the unit was shipped \
            and not after this record (--time, default now). A time without a zone offset is in \
            the workspace's zone.

            Example:
              agritrace import pallet.provenance.json
              agritrace transport --sscc 089360001000000032 --temperature 2.8 --temperature 3.4
              agritrace transport --sscc 089360001000000032 --readings logger-0425.csv
                (logger-0425.csv: time,temperature / 2026-04-25 06:00,2.9 / 2026-04-25 06:15,3.1 …)
            """
    )
    @OptionGroup var options: SigningOptions
    @Option(name: .customLong("sscc"), help: ArgumentHelp("A logistic unit in your care. Repeat for several.", valueName: "sscc"))
    var units: [String] = []
    @Option(name: .customLong("temperature"), help: ArgumentHelp("A temperature read on the way, in °C. Repeat for each reading.",
                                                                 valueName: "celsius"))
    var temperatures: [String] = []
    @Option(help: ArgumentHelp("A data logger's CSV file: columns time and temperature (°C), a row per reading.", valueName: "file"))
    var readings: String?
    @Option(help: ArgumentHelp("When (ISO 8601; default now).", valueName: "time")) var time: String?

    func run() throws {
        var logged = try temperatures.map { text -> TemperatureReading in
            guard let value = Decimal(wholeText: text) else {
                throw TraceError("argument.invalid", "--temperature \(text) is not a number of degrees Celsius (a point as the decimal mark: 3.5)")
            }
            return TemperatureReading(celsius: value)
        }
        let recorder = try options.recorder()
        if let readings {
            logged += try TemperatureLog.readings(in: URL(fileURLWithPath: readings), offsetMinutes: recorder.workspace.config.offsetMinutes)
        }
        let envelope = try recorder.transport(units: try units.map { try SSCC($0) }, readings: logged, time: try optionalTime(time))
        announce(envelope, "transport of \(units.joined(separator: ", "))", notes: try recorder.notes(for: envelope))
    }
}
