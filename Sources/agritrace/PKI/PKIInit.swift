import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto

/// `agritrace pki init`: a new root CA, or an intermediate under a parent CA directory.
struct PKIInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a certificate authority in a directory: a root, or with --parent an intermediate."
    )

    @Option(help: ArgumentHelp("Directory for the new CA.", valueName: "dir")) var dir: String
    @Option(help: "The CA's common name, e.g. \"Provincial Traceability Root CA\".") var name: String
    @Option(help: "Organisation name (default: the common name).") var organization: String?
    @Option(help: "Two-letter country code.") var country = "VN"
    @Option(help: ArgumentHelp("Parent CA directory: issue this CA under it instead of self-signing.", valueName: "dir")) var parent: String?
    @Option(help: "Years of validity.") var years = 20
    @Option(help: "Key algorithm: p256 or ed25519.") var algorithm = "p256"
    @OptionGroup var passphrase: PassphraseOptions
    @OptionGroup var newKey: NewKeyOptions

    func run() throws {
        guard (1...50).contains(years) else { throw TraceError("argument.invalid", "--years must be 1 to 50") }
        let key = try PrivateKey.generate(try keyAlgorithm(algorithm))
        let subject = DistinguishedName(country: country, organization: organization ?? name, commonName: name)
        let start = Date(), end = Calendar(identifier: .gregorian).date(byAdding: .year, value: years, to: start) ?? start
        let target = CADirectory(dir)
        if let parent {
            let (authority, chain) = try CADirectory(parent).load(passphrase: try passphrase.passphrase(forKeyAt: CADirectory(parent).keyFile))
            let certificate = try authority.issue(CertificateProfile(
                subject: subject, publicKey: try key.publicKey, notBefore: start, notAfter: end, isCA: true, pathLength: 0
            ))
            try target.save(try CertificateAuthority(certificate: certificate, key: key), parents: chain, passphrase: try passphrase.newKeyPassphrase(newKey))
        } else {
            let root = try CertificateAuthority.root(subject: subject, key: key, notBefore: start, notAfter: end)
            try target.save(root, parents: [], passphrase: try passphrase.newKeyPassphrase(newKey))
        }
        print("created CA \"\(name)\" in \(dir) (certificate ca.pem, key ca.key with mode 0600)")
    }
}

func keyAlgorithm(_ name: String) throws -> KeyAlgorithm {
    switch name.lowercased() {
    case "p256", "p-256", "ecdsa": return .p256
    case "ed25519": return .ed25519
    default: throw TraceError("argument.invalid", "algorithm \(name) is not p256 or ed25519")
    }
}
