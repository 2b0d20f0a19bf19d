import AgriTrace
import ArgumentParser
import Foundation
import TraceStore

/// `agritrace discard`: goods written off, with the reason.
struct DiscardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discard",
        abstract: "Record goods you hold written off (spoiled, damaged, used up as samples): your stock is less by as much.",
        discussion: """
            The write-off is a signed record of the lots (step destroying, disposition destroyed, \
            the reason with it). Stock, shipping and packing count it from then on, and buyers of \
            the rest of a lot see it in the lot's history with the quantity and the reason. No \
            more can be written off than you hold.

            Example:
              agritrace discard --lot 08936000120016/MV-2026-031=12 --reason "jars broken in the warehouse"
              agritrace stock
            """
    )
    @OptionGroup var options: SigningOptions
    @Option(name: .customLong("lot"), help: ArgumentHelp("A lot and the quantity written off. Repeat.", valueName: "lot=quantity")) var lots: [String] = []
    @Option(help: ArgumentHelp("Unit of lot quantities, a UN/ECE code (KGM, LTR, H87). Default: each lot's own, as it was harvested or first shipped.", valueName: "unit")) var unit: String?
    @Option(help: "Why the goods are written off, in words auditors and buyers read.") var reason: String
    @Option(help: ArgumentHelp("When (ISO 8601; default now).", valueName: "time")) var time: String?

    func run() throws {
        let recorder = try options.recorder()
        let envelope = try recorder.discard(amounts: try lots.map { try amount($0, unit: unit) }, reason: reason, time: try optionalTime(time))
        announce(envelope, "write-off", notes: try recorder.notes(for: envelope))
    }
}
