import AgriTrace
import ArgumentParser
import Foundation
import TraceStore

/// `agritrace recall`: a lot recalled, with its reason.
struct RecallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall",
        abstract: "Record a recall of a lot: every buyer's verifier refuses it from then on.",
        discussion: """
            The recall is a signed record of the lot (disposition recalled, the reason with it). \
            Export the lot's bundle to everyone 'agritrace trace forward' lists: once they import \
            it, their own exports carry the recall, their shipments of the lot are noted, and every \
            buyer's verifier refuses the lot (lot.recalled). Only a party that made, received, \
            held, shipped or examined the lot (or a pallet holding it) may recall it: buyers do not \
            count a recall by anyone else (lot.recallUnfounded), so it is refused here.

            Example:
              agritrace recall --lot 08936000120016/MV-2026-031 --reason "HMF 52 mg/kg found in a retained sample"
              agritrace trace forward --lot 08936000120016/MV-2026-031
            """
    )
    @OptionGroup var options: SigningOptions
    @Option(help: ArgumentHelp("The lot: a Digital Link or GTIN/LOT.", valueName: "lot")) var lot: String
    @Option(help: "Why the lot is recalled, in words buyers read.") var reason: String
    @Option(help: ArgumentHelp("When (ISO 8601; default now).", valueName: "time")) var time: String?

    func run() throws {
        let recorder = try options.recorder()
        let envelope = try recorder.recall(lot: try lotReference(lot), reason: reason, time: try optionalTime(time))
        announce(envelope, "recall of \(lot)", notes: try recorder.notes(for: envelope))
        print("next: export the lot's bundle to every party 'agritrace trace forward --lot \(lot)' lists")
    }
}
