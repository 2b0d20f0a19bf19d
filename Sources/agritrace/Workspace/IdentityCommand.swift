import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto
import TraceStore

/// `agritrace identity`: the workspace's signing key and certificate.
struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "Make a key and certificate request, then install the certificate your authority issued.",
        subcommands: [Request.self, Install.self, RevocationList.self, Show.self]
    )

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a signing key (kept in the workspace, mode 0600) and a request to send to your authority.")
        @OptionGroup var options: SigningOptions
        @OptionGroup var newKey: NewKeyOptions
        @Option(help: "Key algorithm: p256 or ed25519.") var algorithm = "p256"
        @Option(help: ArgumentHelp("Where to write the certificate request (PEM).", valueName: "file")) var out: String
        @Flag(help: "Replace the key of an earlier request whose certificate was never installed (that request becomes useless).")
        var replacePending = false

        func run() throws {
            let target = try OutputFile.url(out), workspace = try options.open()
            let pending = workspace.directory.appendingPathComponent(Workspace.pendingKeyFile)
            guard replacePending || !FileManager.default.fileExists(atPath: pending.path) else {
                throw TraceError("identity.pending", "an earlier request's key waits for its certificate (\(pending.path)): install that certificate, "
                                 + "or pass --replace-pending to make a new key and request")
            }
            let key = try PrivateKey.generate(try keyAlgorithm(algorithm))
            let request = try CertificateSigningRequest(
                subject: DistinguishedName(country: "VN", organization: workspace.config.organization, commonName: workspace.config.organization), key: key)
            try KeyFile.write(try key.pemRepresentation(passphrase: try options.passphrase.newKeyPassphrase(newKey)), to: pending)
            try writeRequest(request, to: target, keyFile: pending)
            print("wrote \(out); send it to your authority with your GLN \(workspace.config.gln) and roles, then run 'agritrace identity install'")
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Install the issued certificate (and its chain); it must match the key and the workspace's GLN.")
        @OptionGroup var options: SigningOptions
        @OptionGroup var newKey: NewKeyOptions
        @Option(help: ArgumentHelp("The certificate and its chain (PEM).", valueName: "file")) var certificate: String
        @Option(help: ArgumentHelp("A key file to use instead of the one 'identity request' made.", valueName: "file")) var key: String?
        @Option(help: ArgumentHelp("Your authority's current revocation list (CRL), for the bundles you export to carry.",
                                   valueName: "file")) var crl: String?

        func run() throws {
            let workspace = try options.open()
            let keyURL = key.map { URL(fileURLWithPath: $0) } ?? workspace.directory.appendingPathComponent(Workspace.pendingKeyFile)
            guard key != nil || FileManager.default.fileExists(atPath: keyURL.path) else {
                throw TraceError("identity.missing", "no key waits for this certificate: run 'agritrace identity request' first, or give --key")
            }
            let chain = try Certificate.all(fileAt: URL(fileURLWithPath: certificate))
            // Every file is read and checked before anything is installed: a broken CRL installs nothing.
            let revocationList = try crl.map { try CertificateRevocationList.read(fileAt: URL(fileURLWithPath: $0)) }
            // The key is read with its own passphrase, if any, and kept encrypted with it; a key
            // given unencrypted with --key is encrypted as a new key would be.
            let passphrase = try options.passphrase.passphrase(forKeyAt: keyURL)
            let kept = key == nil ? passphrase : try passphrase ?? options.passphrase.newKeyPassphrase(newKey)
            let crlIssuer = try workspace.installIdentity(chain: chain, key: try PrivateKey(fileAt: keyURL, passphrase: passphrase),
                                                          passphrase: kept, crl: revocationList)
            if key == nil { try? FileManager.default.removeItem(at: keyURL) }
            let roles = Role.roles(of: chain[0]).map(\.rawValue).sorted().joined(separator: ", ")
            print("installed the identity of \(TerminalText.safe(chain[0].subject.description)) (roles: \(roles))")
            if let revocationList, let crlIssuer { RevocationList.report(revocationList, signedBy: crlIssuer) }
            if let note = try RevocationList.note(for: workspace) { print(note) }
        }
    }

    struct RevocationList: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "crl",
            abstract: "Store your authority's current revocation list (CRL), for the bundles you export to carry.",
            discussion: """
                A buyer's verifier is offline: it learns whether a signer's certificate was revoked only \
                from a CRL in the bundle, and without a current one it cannot call the bundle trusted. \
                Store each new CRL your authority publishes (CRLs say when they are due to be replaced).
                """
        )
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: ArgumentHelp("The CRL file (PEM or DER).", valueName: "file")) var file: String

        func run() throws {
            let workspace = try options.open()
            let crl = try CertificateRevocationList.read(fileAt: URL(fileURLWithPath: file))
            Self.report(crl, signedBy: try workspace.addRevocationList(crl))
        }

        /// A note when the workspace holds no current CRL of its identity's issuer, saying what
        /// partners will do about it and how to fix it (``IdentityStatus``); nil when it holds one.
        static func note(for workspace: Workspace) throws -> String? {
            try IdentityStatus.of(workspace).findings.first { $0.code == "certificate.revocationUnknown" }.map { "note: \($0.message)" }
        }

        static func report(_ crl: CertificateRevocationList, signedBy issuer: Certificate) {
            let due = crl.nextUpdate.map { ", due to be replaced on \($0.ISO8601Format())" } ?? ""
            print("stored the CRL of \(TerminalText.safe(issuer.subject.description)) (\(crl.entries.count) revocation(s)\(due))")
        }
    }
}
