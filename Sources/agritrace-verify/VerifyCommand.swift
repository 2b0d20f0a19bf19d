import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto

/// The buyer's verifier: checks a provenance bundle offline against the buyer's own trust anchors.
@main
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agritrace-verify",
        abstract: "Check, offline, where a lot of farm produce came from.",
        discussion: """
        Reads a provenance bundle (*.provenance.json) received with the goods and checks every \
        record in it: signatures, each signer's certificate chain up to the trust anchors you \
        choose and its authority's current revocation list (CRL), which the bundle must carry, \
        links from farm to buyer, times and event identifiers. Nothing is fetched from the network.

        Prints the lot's journey, one line per record: a mark (✔ trusted, ? untrusted signer \
        or no current CRL, ✘ problem), the day, the step, who signed it and where, how much went \
        where, and what it states (a harvest's plots and organic certificate, an inspection's \
        result and measured values); the findings under each record; and a verdict.

        Exit status: 0 trusted; 1 valid but not trusted, or invalid; 2 unusable input or arguments.

        Example:
          agritrace-verify honey.provenance.json --trust Certificates/root-ca.pem
        """
    )

    @Argument(help: "The provenance bundle to check.")
    var bundle: String

    @Option(name: .customLong("trust"), help: ArgumentHelp("A PEM file of trust anchor certificates. Repeat for several.", valueName: "anchor.pem"))
    var trust: [String] = []

    @Option(help: ArgumentHelp("Verify as of this time (ISO 8601, e.g. 2026-06-01T00:00:00Z). Default: now.", valueName: "time"))
    var at: String?

    @Option(help: ArgumentHelp("Allowed clock difference between parties, in seconds (default: the policy's, else 300).", valueName: "seconds"))
    var clockSkew: Double?

    @Option(help: ArgumentHelp("A policy file (see Samples/policies). Default: the built-in policy of the product category the bundle declares.", valueName: "policy.json"))
    var policy: String?

    @Flag(help: "Apply no product policy, only the rules that hold for every product.")
    var noPolicy = false

    @Flag(help: "Refuse records signed before their signer was revoked (default: accept them with a note).")
    var strictRevocation = false

    @Option(help: ArgumentHelp("A label's Digital Link (the text of its QR code) to check against the bundle.", valueName: "uri"))
    var label: String?

    @Option(help: ArgumentHelp("A photo or scan (PNG or JPEG) of the label: its QR code is decoded with zbarimg first.", valueName: "file"))
    var labelImage: String?

    @Flag(help: "Print the report as JSON for machines.")
    var json = false

    func run() throws {
        guard !trust.isEmpty else {
            throw UsageError("give at least one --trust anchor.pem: the certificate authorities you trust")
        }
        var anchors: [Certificate] = []
        for path in trust {
            do { anchors += try Certificate.all(fileAt: URL(fileURLWithPath: path)) } catch {
                throw UsageError("--trust \(path): \(error)")
            }
        }
        var time = Date()
        if let at {
            guard let parsed = CalendarDay.instant(at) else {
                throw UsageError("--at \(at) is not an ISO 8601 time such as 2026-06-01T00:00:00Z")
            }
            time = parsed
        }
        if let clockSkew, !(0...VerificationOptions.maximumClockSkew).contains(clockSkew) {
            throw UsageError("--clock-skew must be between 0 and \(Int(VerificationOptions.maximumClockSkew)) seconds")
        }
        guard policy == nil || !noPolicy else { throw UsageError("--policy and --no-policy exclude each other") }
        var chosen: Policy?
        if let policy {
            do { chosen = try Policy.load(from: URL(fileURLWithPath: policy)) } catch { throw UsageError("--policy: \(error)") }
        }
        var options = VerificationOptions(trustAnchors: anchors, at: time, clockSkew: clockSkew, policy: chosen,
                                          strictRevocation: strictRevocation ? true : nil)
        options.automaticPolicy = !noPolicy
        guard label == nil || labelImage == nil else { throw UsageError("--label and --label-image exclude each other") }
        options.label = try label ?? labelImage.map(LabelImage.decode)
        let verifier = BundleVerifier(options: options)
        let report = verifier.verify(contentsOf: URL(fileURLWithPath: bundle))
        if json {
            FileHandle.standardOutput.write(try report.json())
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(report.journeyText().utf8))
        }
        if report.unusable { throw ExitCode(2) }
        if report.level != .trusted { throw ExitCode(1) }
    }

    /// Runs the command with AgriTrace's exit codes: help exits 0, the verdict (``ExitCode``)
    /// stands, and every argument or input error prints one line and exits 2.
    static func main() {
        OpenSSLLifetime.keepUntilExit()  // first: threads the verifier leaves working may use OpenSSL as the program exits
        do {
            do { try CommandLineLimit.check(CommandLine.arguments.dropFirst()) } catch { throw UsageError(error.description) }
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ExitCode {
            exit(withError: error)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            // Our own message is one line, made safe for the terminal (it may quote what a file
            // holds); the argument parser's (usage and help) keeps its lines.
            let message = (error as? UsageError).map { TerminalText.safe($0.message) }
                ?? TerminalText.safe(fullMessage(for: error), keepingLineBreaks: true)
            FileHandle.standardError.write(Data("agritrace-verify: \(message)\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// A problem with the command line or its files: printed on one line, exit status 2.
struct UsageError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
