import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto

/// `agritrace pki request`: a key and a CSR for a party.
struct PKIRequest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Make a signing key (mode 0600) and a certificate request to send to your authority."
    )

    @Option(help: ArgumentHelp("Where to write the new private key.", valueName: "file")) var key: String
    @Option(help: "Organisation name, e.g. \"Meo Vac Mint Honey Cooperative\".") var org: String
    @Option(help: "Common name (default: the organisation).") var cn: String?
    @Option(help: "Two-letter country code.") var country = "VN"
    @Option(help: "Key algorithm: p256 or ed25519.") var algorithm = "p256"
    @Option(help: ArgumentHelp("Where to write the request (PEM).", valueName: "file")) var out: String
    @OptionGroup var passphrase: PassphraseOptions
    @OptionGroup var newKey: NewKeyOptions

    func run() throws {
        let keyURL = URL(fileURLWithPath: key), target = try OutputFile.url(out)
        guard !FileManager.default.fileExists(atPath: keyURL.path) else {
            throw TraceError("argument.invalid", "\(key) exists; refusing to overwrite a private key")
        }
        let privateKey = try PrivateKey.generate(try keyAlgorithm(algorithm))
        let request = try CertificateSigningRequest(
            subject: DistinguishedName(country: country, organization: org, commonName: cn ?? org), key: privateKey
        )
        try KeyFile.write(try privateKey.pemRepresentation(passphrase: try passphrase.newKeyPassphrase(newKey)), to: keyURL)
        try writeRequest(request, to: target, keyFile: keyURL)
        print("wrote key \(key) (mode 0600) and request \(out)")
    }
}

/// Writes a certificate request made with the key just written to `keyFile`; when the request
/// cannot be written, the key goes too: a key whose request was never sent is of no use, and
/// would only refuse the next attempt ("refusing to overwrite a private key").
func writeRequest(_ request: CertificateSigningRequest, to out: URL, keyFile: URL) throws {
    do {
        try Data(request.pemRepresentation.utf8).write(to: out, options: .atomic)
    } catch {
        try? FileManager.default.removeItem(at: keyFile)
        throw error
    }
}
