import AgriTrace
import Foundation
import TraceCrypto

/// A party's workspace: a directory holding the registry, the configuration, the trust anchors
/// and the signing identity (key file mode 0600, optionally passphrase-encrypted PKCS#8).
public struct Workspace: Sendable {
    /// What the party is and how it works.
    public struct Config: Codable, Sendable, Equatable {
        public var agritraceWorkspace = 1
        public var organization: String
        public var gln: String
        /// The exporter's resolver domain for label Digital Links, e.g. `https://dl.example.vn`.
        public var resolverDomain: String?
        /// The time zone offset the party records in, minutes east of UTC (Viet Nam: 420).
        public var offsetMinutes: Int

        /// Viet Nam's offset, minutes east of UTC: a new workspace's unless `agritrace init --offset` says otherwise.
        public static let vietnamOffsetMinutes = 420

        public init(organization: String, gln: GLN, resolverDomain: String? = nil, offsetMinutes: Int = vietnamOffsetMinutes) {
            self.organization = organization
            self.gln = gln.value
            self.resolverDomain = resolverDomain
            self.offsetMinutes = offsetMinutes
        }

        /// What is wrong with a configuration read from its file, if anything: every record the
        /// party signs takes its GLN and time zone from here.
        func problem() -> String? {
            if agritraceWorkspace != 1 { return "is of workspace version \(agritraceWorkspace); this agritrace reads version 1" }
            if !(-12 * 60...14 * 60).contains(offsetMinutes) { return "has offsetMinutes \(offsetMinutes), no time zone's (UTC−12:00 to UTC+14:00)" }
            if organization.isEmpty || organization.count > 200 || TerminalText.safe(organization) != organization {
                return "has an organization name that is empty, over 200 characters or holds control characters"
            }
            if (try? GLN(gln)) == nil { return "has gln \(gln.prefix(40)), not a GLN (13 digits, the last a check digit)" }
            if let resolverDomain, (try? AuthenticatedLabel.checkResolver(resolverDomain)) == nil {
                return "has resolverDomain \(resolverDomain.prefix(80)), not an https:// URL with a host and at most a path"
            }
            return nil
        }
    }

    public let directory: URL
    public let config: Config
    public let registry: Registry

    static let configFile = "config.json", registryFile = "registry.sqlite", anchorsFile = "trust-anchors.pem"
    static let keyFile = "identity.key", certificateFile = "identity.pem"
    /// The party's signing key (mode 0600, encrypted when it was made with a passphrase).
    public var identityKeyURL: URL { directory.appendingPathComponent(Self.keyFile) }
    /// The key of a certificate request not yet answered (`agritrace identity request`).
    public static let pendingKeyFile = "pending.key"

    /// Every file a workspace keeps (SQLite's log and index beside the registry): no command
    /// writes an output over one.
    public static let keptFiles: Set<String> = [configFile, registryFile, registryFile + "-wal", registryFile + "-shm",
                                                anchorsFile, keyFile, certificateFile, pendingKeyFile]
    /// The file whose presence marks a folder as a workspace.
    public static let markerFile = configFile

    /// `--workspace`, else `AGRITRACE_WORKSPACE`, else `./.agritrace`.
    public static func location(_ option: String?) -> URL {
        if let option { return URL(fileURLWithPath: option) }
        if let variable = ProcessInfo.processInfo.environment["AGRITRACE_WORKSPACE"], !variable.isEmpty { return URL(fileURLWithPath: variable) }
        return URL(fileURLWithPath: ".agritrace")
    }

    /// Makes a new workspace; refuses a directory that already holds one.
    public static func create(at directory: URL, config: Config, trustAnchors: [Certificate]) throws -> Workspace {
        let configURL = directory.appendingPathComponent(configFile)
        guard !FileManager.default.fileExists(atPath: configURL.path) else {
            throw TraceError("workspace.exists", "\(directory.path) already holds a workspace")
        }
        if let problem = config.problem() { throw TraceError("argument.invalid", "the workspace's configuration \(problem)") }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // The registry first: the configuration marks a workspace, whose registry must then exist.
        let registry = try Registry(path: directory.appendingPathComponent(registryFile).path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(config).write(to: configURL, options: .atomic)
        try Data(trustAnchors.map(\.pemRepresentation).joined().utf8).write(to: directory.appendingPathComponent(anchorsFile), options: .atomic)
        return Workspace(directory: directory, config: config, registry: registry)
    }

    /// Opens an existing workspace.
    public static func open(at directory: URL) throws -> Workspace {
        let configURL = directory.appendingPathComponent(configFile)
        guard let data = try? RegularFile.read(configURL, limit: 1 << 20) else {
            throw TraceError("workspace.missing", "\(directory.path) is not a workspace; create one with 'agritrace init'")
        }
        let config: Config
        do { config = try JSONDecoder().decode(Config.self, from: data) } catch {
            throw TraceError("workspace.corrupt", "\(configURL.path) is not a workspace configuration")
        }
        if let problem = config.problem() { throw TraceError("workspace.corrupt", "\(configURL.path) \(problem)") }
        return Workspace(directory: directory, config: config,
                         registry: try Registry(path: directory.appendingPathComponent(registryFile).path, mustExist: true))
    }

    private init(directory: URL, config: Config, registry: Registry) {
        self.directory = directory
        self.config = config
        self.registry = registry
    }

    /// The certificates this party trusts when importing partners' bundles: none when the
    /// workspace was made without `--trust` (its file is empty). A file gone missing or broken is
    /// an error that names it, not an empty list: the refusal would otherwise blame the bundle.
    public func trustAnchors() throws -> [Certificate] {
        let url = directory.appendingPathComponent(Self.anchorsFile)
        if (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int == 0 { return [] }
        do { return try Certificate.all(fileAt: url) } catch {
            throw TraceError("workspace.corrupt", "the workspace's trust anchors: \((error as? CryptoError)?.message ?? "\(error)")")
        }
    }

    /// Stores the party's key and certificate chain after checking they belong together and name
    /// the workspace's GLN, and with them the authority's current revocation list when one is
    /// given (see ``addRevocationList(_:now:)``). Everything is checked before anything is written:
    /// a CRL of another authority, or out of date, leaves the workspace as it was. Returns the
    /// authority that signed the CRL.
    @discardableResult
    public func installIdentity(chain: [Certificate], key: PrivateKey, passphrase: String?,
                                crl: CertificateRevocationList? = nil, now: Date = Date()) throws -> Certificate? {
        guard let certificate = chain.first else { throw TraceError("identity.invalid", "the certificate file holds no certificate") }
        guard certificate.matches(key) else {
            throw TraceError("identity.mismatch", "the certificate of \(certificate.subject) does not belong to this key")
        }
        guard certificate.gln == config.gln else {
            throw TraceError("identity.mismatch", "the certificate names GLN \(certificate.gln ?? "none"), but this workspace is GLN \(config.gln)")
        }
        let crlIssuer = try crl.map { try issuer(of: $0, among: chain, now: now) }
        try KeyFile.write(try key.pemRepresentation(passphrase: passphrase), to: identityKeyURL)
        try Data(chain.map(\.pemRepresentation).joined().utf8).write(to: identityChainURL, options: .atomic)
        if let crl { _ = try registry.append([], crls: [crl]) }
        return crlIssuer
    }

    /// Stores a revocation list (CRL) so that the bundles this workspace exports carry it: a
    /// buyer's verifier wants a current CRL of each signer's issuer, and has only what the bundle
    /// brings. It must be signed by a certificate of this party's identity chain, a trust anchor or
    /// a certificate the registry holds, and not be past its next update. Storing one twice is
    /// harmless. Returns the authority that signed it.
    @discardableResult
    public func addRevocationList(_ crl: CertificateRevocationList, now: Date = Date()) throws -> Certificate {
        let identity = FileManager.default.fileExists(atPath: identityChainURL.path) ? try Certificate.all(fileAt: identityChainURL) : []
        let issuer = try issuer(of: crl, among: identity, now: now)
        _ = try registry.append([], crls: [crl])
        return issuer
    }

    /// The newest revocation list this workspace holds from the issuer of its identity's
    /// certificate (signed by that issuer): the one its exports carry to show partners and buyers
    /// that its key was not revoked. Nil when it holds none, or has no identity yet.
    public func identityRevocationList() throws -> CertificateRevocationList? {
        let chain = try identityChain()
        guard let leaf = chain.first else { return nil }
        let issuers = (chain.dropFirst() + (try trustAnchors())).filter { $0.subject == leaf.issuer }
        return try registry.read { try $0.revocationLists() }
            .filter { crl in crl.issuer == leaf.issuer && issuers.contains { crl.isSigned(by: $0) } }
            .max { ($0.nextUpdate ?? .distantFuture) < ($1.nextUpdate ?? .distantFuture) }
    }

    /// The certificate that signed `crl`, among `identity`, the trust anchors and the registry's
    /// certificates, when the CRL is current.
    private func issuer(of crl: CertificateRevocationList, among identity: [Certificate], now: Date) throws -> Certificate {
        let candidates = identity + (try trustAnchors()) + (try registry.certificatesAndCRLs().0)
        guard let issuer = candidates.first(where: { $0.subject == crl.issuer && crl.isSigned(by: $0) }) else {
            throw TraceError("crl.unknownIssuer", "the CRL names \(crl.issuer) as its issuer, but no certificate of your identity's chain, "
                             + "your trust anchors or your registry with that name signed it "
                             + "(install your identity first: its chain holds your authority's certificate)")
        }
        if let due = crl.nextUpdate, due < now {
            throw TraceError("crl.outdated", "the CRL of \(issuer.subject) was due to be replaced on \(due.ISO8601Format()); "
                             + "ask your authority for its current one")
        }
        return issuer
    }

    /// The installed certificate chain of the party's identity, leaf first.
    private var identityChainURL: URL { directory.appendingPathComponent(Self.certificateFile) }

    /// The installed certificate chain of the party's identity, leaf first; empty when none is installed.
    public func identityChain() throws -> [Certificate] {
        guard FileManager.default.fileExists(atPath: identityChainURL.path) else { return [] }
        return try Certificate.all(fileAt: identityChainURL)
    }

    /// The party's signing identity; the passphrase is needed when the key is encrypted.
    public func signer(passphrase: String?) throws -> Signer {
        let keyURL = identityKeyURL, certificateURL = identityChainURL
        guard FileManager.default.fileExists(atPath: keyURL.path), FileManager.default.fileExists(atPath: certificateURL.path) else {
            throw TraceError("identity.missing", "this workspace has no signing identity yet; run 'agritrace identity install'")
        }
        guard !KeyFile.isTooOpen(keyURL) else {
            throw TraceError("identity.unsafe", "\(keyURL.path) is readable by others; restrict it with chmod 600")
        }
        let chain = try Certificate.all(fileAt: certificateURL)
        return try Signer(key: try PrivateKey(fileAt: keyURL, passphrase: passphrase), certificate: chain[0], chain: Array(chain.dropFirst()))
    }

    /// The party's own GLN.
    public var gln: GLN {
        get throws { try GLN(config.gln) }
    }
}
