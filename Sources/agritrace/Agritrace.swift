import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto

/// The tool cooperatives, certifiers and exporters use to sign, exchange and check records.
@main
struct Agritrace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agritrace",
        abstract: "Sign, exchange and check the provenance of farm products.",
        discussion: """
        Every record is an EPCIS 2.0 event signed in a DSSE envelope under an X.509 certificate. \
        Buyers check bundles with agritrace-verify, which needs no keys and no network.

        Exit status: 0 success; 1 the work was done but found problems; 2 unusable input or arguments.
        """,
        subcommands: [PKICommand.self, EPCISCommand.self, SampleCommand.self]
    )

    /// Runs the command with AgriTrace's exit codes: help exits 0, a command's own verdict
    /// (``ExitCode``) stands, and every argument or input error prints one line and exits 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ExitCode {
            exit(withError: error)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            let isDomainError = error is TraceError || error is CryptoError || error is IdentifierError || error is ChainError
            let message = isDomainError ? "\(error)" : fullMessage(for: error)
            FileHandle.standardError.write(Data("agritrace: \(message)\n".utf8))
            Foundation.exit(2)
        }
    }
}
