import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto

/// `agritrace pki revoke`: record a revocation in the CA directory.
struct PKIRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a certificate this CA issued; publish the change with 'pki crl'.",
        discussion: "Records signed before the revocation date stay acceptable; records signed after it are invalid."
    )

    @Option(help: ArgumentHelp("The issuing CA directory.", valueName: "dir")) var dir: String
    @Option(help: ArgumentHelp("The certificate to revoke (PEM or DER).", valueName: "file")) var cert: String
    @Option(help: "When the revocation takes effect (ISO 8601). Default: now.") var date: String?

    func run() throws {
        let certificate = try Certificate.all(fileAt: URL(fileURLWithPath: cert))[0]
        let directory = CADirectory(dir)
        let authority = try directory.chain()[0]
        guard certificate.issuer == authority.subject else {
            throw TraceError("argument.invalid", "\(cert) was issued by \(certificate.issuer), not by this CA")
        }
        let when = try date.map { try parseTime($0, option: "--date") } ?? Date()
        var list = try directory.revocations()
        guard !list.contains(where: { $0.serialNumber == certificate.serialNumber }) else {
            print("\(TerminalText.safe(certificate.subject.description)) is already revoked")
            return
        }
        list.append(.init(serialNumber: certificate.serialNumber, revocationDate: when, subject: certificate.subject.description))
        try directory.saveRevocations(list)
        print("revoked \(TerminalText.safe(certificate.subject.description)) serial \(certificate.serialNumber) as of \(when.ISO8601Format())")
    }
}
