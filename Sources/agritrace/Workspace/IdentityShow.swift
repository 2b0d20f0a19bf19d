import AgriTrace
import ArgumentParser
import Foundation
import TraceStore

extension IdentityCommand {
    /// `agritrace identity show`: who this workspace signs as, and whether partners and buyers
    /// will trust it.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show who this workspace signs as, until when, and whether partners and buyers will trust it.",
            discussion: """
                Reads the installed certificate chain and the stored revocation lists, not the key. \
                Problems: a certificate expired, not yet valid, revoked or not under the workspace's \
                trust anchors; no current revocation list (CRL) of your authority; a key file others \
                can read. A warning when the chain expires within \(IdentityStatus.expiryWarningDays) days.

                Exit status: 0 ready to sign; 1 a problem (listed); 2 no identity or an unusable workspace.
                """
        )
        @OptionGroup var options: WorkspaceOptions
        @Flag(help: "Print JSON for machines.") var json = false

        func run() throws {
            let status = try IdentityStatus.of(try options.open())
            if json {
                try printJSON(status)
            } else {
                for line in Self.lines(status) { print(TerminalText.safe(line)) }
            }
            if status.hasProblems { throw ExitCode(1) }
        }

        static func lines(_ status: IdentityStatus) -> [String] {
            let day = { (date: Date) in String(date.ISO8601Format().prefix(10)) }
            var lines = [
                "signs as:    \(status.subject)",
                "GLN:         \(status.gln ?? "none in the certificate")",
                "roles:       \(status.roles.isEmpty ? "none" : status.roles.joined(separator: ", "))",
                "certificate: serial \(status.serialNumber), valid \(day(status.validFrom)) to \(day(status.validUntil)), issued by \(status.issuer)",
                "key:         \(status.keyAlgorithm), \(status.keyEncrypted ? "encrypted with a passphrase" : "not encrypted")",
                "CRL:         " + (status.revocationListDue.map { "stored, due to be replaced on \(day($0))" } ?? "none stored"),
            ]
            for finding in status.findings { lines.append("\(finding.isWarning ? "warning" : "problem") [\(finding.code)] \(finding.message)") }
            lines.append(status.hasProblems ? "Not ready: partners and buyers will not trust what this workspace signs." : "Ready to sign.")
            return lines
        }
    }
}
