import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto
import TraceStore

/// `--workspace`, shared by every command that works in a workspace.
struct WorkspaceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The workspace directory (default: $AGRITRACE_WORKSPACE, else ./.agritrace).", valueName: "dir"))
    var workspace: String?

    func open() throws -> Workspace { try Workspace.open(at: Workspace.location(workspace)) }
}

/// `--workspace` and the key's passphrase, for the commands that sign with the workspace's key
/// (the others do not offer a passphrase option they would ignore).
struct SigningOptions: ParsableArguments {
    @OptionGroup var location: WorkspaceOptions
    @OptionGroup var passphrase: PassphraseOptions

    func open() throws -> Workspace { try location.open() }

    /// The workspace and a recorder signing with its identity.
    func recorder() throws -> EventRecorder {
        let workspace = try open()
        return EventRecorder(workspace: workspace, signer: try workspace.signer(passphrase: try passphrase.passphrase(forKeyAt: workspace.identityKeyURL)))
    }
}

/// Parses the lot references commands take: a Digital Link, or `GTIN/LOT`.
func lotReference(_ text: String) throws -> String {
    if text.hasPrefix("http://") || text.hasPrefix("https://") {
        let link = try DigitalLink(parsing: text)
        guard let lot = link.lotURI else { throw TraceError("argument.invalid", "\(text) names no lot (GTIN with AI 10)") }
        return lot
    }
    let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { throw TraceError("argument.invalid", "lot \(text) is neither a Digital Link nor GTIN/LOT") }
    return DigitalLink.lot(try GTIN(parts[0]), lot: try DigitalLink.checkedAI82(parts[1], ai: "10", max: 20)).uri
}

/// Parses `REF=QUANTITY` into an amount in `unit`.
func amount(_ text: String, unit: String?) throws -> EventRecorder.Amount {
    guard let equals = text.lastIndex(of: "="), let quantity = Decimal(wholeText: String(text[text.index(after: equals)...])) else {
        throw TraceError("argument.invalid", "\(text) is not LOT=QUANTITY (the quantity of at most 15 digits, with a point as the decimal mark: 600.5)")
    }
    return EventRecorder.Amount(lot: try lotReference(String(text[..<equals])), quantity: quantity, unit: unit)
}

/// Parses an optional `--time` value.
func optionalTime(_ text: String?) throws -> Date? {
    try text.map { try parseTime($0, option: "--time") }
}

/// Prints a JSON value for `--json` (times as ISO 8601 text).
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// A verdict on goods (``DispositionCheck``: a failed inspection, a recall) as a note of what
/// buyers will be told.
func verdictNote(_ finding: Finding) -> String {
    TerminalText.safe("note: \(finding.message) (\(finding.code)\(finding.severity == .warning ? ", a note for buyers" : ": every buyer's verifier refuses the lot"))")
}

/// Prints what a recorded event was.
func announce(_ envelope: Envelope, _ what: String, notes: [String] = []) {
    print("recorded \(what) as \(envelope.digest)")
    for note in notes { print(TerminalText.safe("note: \(note)")) }
}
