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

        A day at a cooperative:
          agritrace init --org "Meo Vac Mint Honey Cooperative" \\
              --gln 8936000100018 --trust root-ca.pem
          agritrace identity install --certificate coop.pem --key coop.key \\
              --crl issuing-ca.crl.pem
          agritrace product add --gtin 08936000120016 --category honey \\
              --name-vi "Mật ong bạc hà" --name-en "Mint honey"
          agritrace plot add --id MV-P07 --name "Lũng Pù" --point 105.41,23.17
          agritrace harvest --gtin 08936000120016 --lot MV-2026-031 \\
              --quantity 1200 --plot MV-P07 --harvest-date 2026-04-10
          agritrace ship --to 8936000100070 --lot 08936000120016/MV-2026-031=1200
          agritrace export --lot 08936000120016/MV-2026-031 --out honey.provenance.json

        Exit status: 0 success; 1 the work was done but found problems; 2 unusable input or arguments.
        """,
        subcommands: [
            InitCommand.self, IdentityCommand.self, ProductCommand.self, PlotCommand.self, HeldCertificateCommand.self,
            HarvestCommand.self, InspectCommand.self, TransformCommand.self, PackCommand.self, UnpackCommand.self, ShipCommand.self, ReceiveCommand.self, TransportCommand.self, DiscardCommand.self, RecallCommand.self,
            ImportCommand.self, ExportCommand.self, StockCommand.self, TraceCommand.self, ReportCommand.self, CheckCommand.self,
            LabelCommand.self, EPCISCommand.self, PKICommand.self, SampleCommand.self,
        ]
    )

    /// A file that could not be read or written (an `--out` into a missing folder, a full disk),
    /// said in one line with a stable code instead of Foundation's error dump.
    static func fileMessage(_ error: CocoaError) -> String {
        let reason = switch error.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: "no such file or folder"
        case .fileWriteNoPermission, .fileReadNoPermission: "no permission"
        case .fileWriteOutOfSpace: "the disk is full"
        case .fileWriteVolumeReadOnly: "the disk is read-only"
        default: error.localizedDescription
        }
        return "file.io: \(error.filePath ?? "a file"): \(reason)"
    }

    /// Runs the command with AgriTrace's exit codes: help exits 0, a command's own verdict
    /// (``ExitCode``) stands, and every argument or input error prints one line and exits 2.
    static func main() {
        OpenSSLLifetime.keepUntilExit()  // first: threads the library leaves working may use OpenSSL as the program exits
        do {
            try CommandLineLimit.check(CommandLine.arguments.dropFirst(), advice: "record the work in several commands (a shipment of many lots as several shipments)")
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ExitCode {
            exit(withError: error)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            let isDomainError = error is TraceError || error is CSVTable.BrokenRows || error is CryptoError || error is IdentifierError || error is ChainError
            // A domain error is one line, made safe for the terminal (it may quote what a file
            // holds), a spreadsheet's broken rows one under it; the argument parser's own message
            // (usage and help) keeps its lines.
            let message = isDomainError ? TerminalText.safe("\(error)")
                : (error as? CocoaError).map { TerminalText.safe(fileMessage($0)) } ?? TerminalText.safe(fullMessage(for: error), keepingLineBreaks: true)
            let rows = ((error as? CSVTable.BrokenRows)?.rows ?? []).map { "\n  " + TerminalText.safe($0) }.joined()
            FileHandle.standardError.write(Data("agritrace: \(message)\(rows)\n".utf8))
            Foundation.exit(2)
        }
    }
}
