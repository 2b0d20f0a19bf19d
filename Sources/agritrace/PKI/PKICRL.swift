import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto

/// `agritrace pki crl`: publish the CA's current revocation list.
struct PKICRL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crl",
        abstract: "Write a signed CRL of every revocation recorded in the CA directory."
    )

    @Option(help: ArgumentHelp("The issuing CA directory.", valueName: "dir")) var dir: String
    @Option(help: ArgumentHelp("Where to write the CRL (PEM).", valueName: "file")) var out: String
    @Option(help: "Days until the next update.") var days = 30
    @OptionGroup var passphrase: PassphraseOptions

    func run() throws {
        // A CRL due at once would leave every verifier without a current one; a year is the longest wait for news of a revocation.
        guard (1...366).contains(days) else { throw TraceError("argument.invalid", "--days must be 1 to 366") }
        let target = try OutputFile.url(out)
        let directory = CADirectory(dir)
        let (authority, _) = try directory.load(passphrase: try passphrase.passphrase(forKeyAt: directory.keyFile))
        let entries = try directory.revocations().map {
            CertificateRevocationList.Entry(serialNumber: $0.serialNumber, revocationDate: $0.revocationDate)
        }
        let now = Date()
        let crl = try authority.revocationList(entries, thisUpdate: now, nextUpdate: now.addingTimeInterval(Double(days) * 86_400),
                                               number: try directory.nextCRLNumber())
        try Data(crl.pemRepresentation.utf8).write(to: target, options: .atomic)
        print("wrote CRL with \(entries.count) revocation(s) to \(out)")
    }
}
