import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto

/// `agritrace pki issue`: a party certificate from its CSR, with roles and GLN.
struct PKIIssue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a party's certificate from its request, with its roles and GLN.",
        discussion: "Roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")). The GLN goes in the subjectAltName as https://id.gs1.org/417/<GLN>."
    )

    @Option(help: ArgumentHelp("The issuing CA directory.", valueName: "dir")) var dir: String
    @Option(help: ArgumentHelp("The party's certificate request (PEM or DER).", valueName: "file")) var csr: String
    @Option(name: .customLong("role"), help: "A role the party plays. Repeat for several.") var roles: [String] = []
    @Option(help: "The party's 13-digit GLN.") var gln: String
    @Option(help: "Days of validity.") var days = 3650
    @Option(help: ArgumentHelp("Where to write the certificate and its chain (PEM).", valueName: "file")) var out: String
    @OptionGroup var passphrase: PassphraseOptions

    func run() throws {
        guard !roles.isEmpty else { throw TraceError("argument.invalid", "give at least one --role") }
        let target = try OutputFile.url(out)
        let parsedRoles = try roles.map { name in
            guard let role = Role(name: name) else {
                throw TraceError("argument.invalid", "unknown role \(name); roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return role
        }
        guard (1...36_500).contains(days) else { throw TraceError("argument.invalid", "--days must be 1 to 36500") }
        let party = try GLN(gln)
        let requestData: Data
        do { requestData = try RegularFile.read(URL(fileURLWithPath: csr), limit: 1 << 20) } catch {
            throw TraceError("argument.invalid", "cannot read \(csr): \(error.localizedDescription)")
        }
        let request = try CertificateSigningRequest(pemOrDER: requestData)
        let (authority, chain) = try CADirectory(dir).load(passphrase: try passphrase.passphrase(forKeyAt: CADirectory(dir).keyFile))
        let start = Date()
        let certificate = try authority.issue(
            request, notBefore: start, notAfter: start.addingTimeInterval(Double(days) * 86_400),
            extendedKeyUsages: parsedRoles.map(\.oid), subjectAltNameURIs: [party.partyURI]
        )
        let pem = ([certificate] + chain).map(\.pemRepresentation).joined()
        try Data(pem.utf8).write(to: target, options: .atomic)
        print("issued \(TerminalText.safe(certificate.subject.description)) serial \(certificate.serialNumber) roles \(parsedRoles.map(\.rawValue).joined(separator: ",")) → \(out)")
    }
}
