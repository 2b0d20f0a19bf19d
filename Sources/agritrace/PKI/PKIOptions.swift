import AgriTrace
import ArgumentParser
import Foundation

/// Options every command that reads or writes a private key shares.
struct PassphraseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read the key passphrase from this environment variable (keys are stored unencrypted without it).", valueName: "VAR"))
    var passphraseEnv: String?

    func passphrase() throws -> String? {
        guard let name = passphraseEnv else { return nil }
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TraceError("argument.invalid", "environment variable \(name) is not set or empty")
        }
        return value
    }
}

/// Parses an ISO 8601 time given on the command line.
func parseTime(_ text: String, option: String) throws -> Date {
    if let date = CalendarDay.instant(text) { return date }
    throw TraceError("argument.invalid", "\(option) \(text) is not an ISO 8601 time such as 2026-06-01T00:00:00Z")
}
