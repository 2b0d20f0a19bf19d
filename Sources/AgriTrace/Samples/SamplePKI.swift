import Foundation
import TraceCrypto

/// The sample PKI in `Certificates/`: a provincial root, an issuing CA, one certificate and
/// TEST-ONLY key per sample actor, and a CRL revoking one actor. Long-lived (2026–2046) so
/// that samples keep verifying.
public struct SamplePKI: Sendable {
    public let root: CertificateAuthority
    public let issuing: CertificateAuthority
    public let crl: CertificateRevocationList
    /// Each actor's signing identity, by actor id.
    public let signers: [String: Signer]

    public static let validFrom = date("2026-01-01T00:00:00Z")
    public static let validUntil = date("2046-01-01T00:00:00Z")
    /// The line every sample key file starts with.
    public static let testKeyBanner = "# TEST KEY ONLY: sample AgriTrace PKI. Published with the source; never sign real goods with it.\n"

    public func signer(_ actor: SampleActor) throws -> Signer {
        guard let signer = signers[actor.id] else { throw TraceError(.signingFailed, "no sample identity for \(actor.id)") }
        return signer
    }

    /// Generates a new sample PKI (fresh keys every time).
    /// - Parameter mixAlgorithms: every third actor gets an Ed25519 key (else all P-256).
    public static func generate(actors: [SampleActor] = SampleActor.all, mixAlgorithms: Bool = true) throws -> SamplePKI {
        let root = try CertificateAuthority.root(
            subject: DistinguishedName(country: "VN", organization: "Sample Provincial Traceability Authority",
                                       commonName: "Sample Provincial Traceability Root CA"),
            key: try .generate(.p256), notBefore: validFrom, notAfter: validUntil
        )
        let issuingKey = try PrivateKey.generate(.p256)
        let issuing = try CertificateAuthority(certificate: try root.issue(CertificateProfile(
            subject: DistinguishedName(country: "VN", organization: "Sample Provincial Traceability Authority",
                                       commonName: "Sample Provincial Traceability Issuing CA 1"),
            publicKey: try issuingKey.publicKey, notBefore: validFrom, notAfter: validUntil, isCA: true, pathLength: 0
        )), key: issuingKey)
        var signers: [String: Signer] = [:]
        var revoked: [CertificateRevocationList.Entry] = []
        for (index, actor) in actors.enumerated() {
            // Mix algorithms so both stay exercised: every third actor signs with Ed25519.
            let key = try PrivateKey.generate(mixAlgorithms && index % 3 == 2 ? .ed25519 : .p256)
            let certificate = try issuing.issue(CertificateProfile(
                subject: DistinguishedName(country: actor.country, organization: actor.organization, commonName: actor.organization),
                publicKey: try key.publicKey, notBefore: validFrom, notAfter: validUntil,
                extendedKeyUsages: actor.roles.map(\.oid), subjectAltNameURIs: [try GLN(actor.gln).partyURI]
            ))
            signers[actor.id] = try Signer(key: key, certificate: certificate, chain: [issuing.certificate])
            if let date = actor.revokedOn { revoked.append(.init(serialNumber: certificate.serialNumber, revocationDate: date)) }
        }
        let crl = try issuing.revocationList(revoked, thisUpdate: date("2026-03-01T00:00:00Z"), nextUpdate: validUntil, number: 1)
        return SamplePKI(root: root, issuing: issuing, crl: crl, signers: signers)
    }

    /// Writes the PKI as PEM files; keys get mode 0600 and a TEST-ONLY banner.
    public func write(to directory: URL, actors: [SampleActor] = SampleActor.all) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func put(_ text: String, _ name: String) throws {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name), options: .atomic)
        }
        func putKey(_ key: PrivateKey, _ name: String) throws {
            let url = directory.appendingPathComponent(name)
            var data = Data(Self.testKeyBanner.utf8)
            data.append(try key.pemRepresentation())
            try KeyFile.write(data, to: url)
        }
        try put(root.certificate.pemRepresentation, "root-ca.pem")
        try putKey(root.key, "root-ca.key")
        try put(issuing.certificate.pemRepresentation, "issuing-ca.pem")
        try putKey(issuing.key, "issuing-ca.key")
        try put(crl.pemRepresentation, "issuing-ca.crl.pem")
        for actor in actors {
            guard let signer = signers[actor.id] else { continue }
            try put(signer.certificate.pemRepresentation + issuing.certificate.pemRepresentation, "\(actor.id).pem")
            try putKey(signer.key, "\(actor.id).key")
        }
    }

    /// Loads a PKI written by ``write(to:actors:)``.
    public static func load(from directory: URL, actors: [SampleActor] = SampleActor.all) throws -> SamplePKI {
        func url(_ name: String) -> URL { directory.appendingPathComponent(name) }
        let root = try CertificateAuthority(certificate: try Certificate.all(fileAt: url("root-ca.pem"))[0],
                                            key: try PrivateKey(fileAt: url("root-ca.key")))
        let issuing = try CertificateAuthority(certificate: try Certificate.all(fileAt: url("issuing-ca.pem"))[0],
                                               key: try PrivateKey(fileAt: url("issuing-ca.key")))
        let crl = try CertificateRevocationList(pemOrDER: try Data(contentsOf: url("issuing-ca.crl.pem")))
        var signers: [String: Signer] = [:]
        for actor in actors {
            let chain = try Certificate.all(fileAt: url("\(actor.id).pem"))
            signers[actor.id] = try Signer(key: try PrivateKey(fileAt: url("\(actor.id).key")),
                                           certificate: chain[0], chain: Array(chain.dropFirst()))
        }
        return SamplePKI(root: root, issuing: issuing, crl: crl, signers: signers)
    }

    static func date(_ iso: String) -> Date {
        // Only called with the literal dates above.
        (try? Date(iso, strategy: .iso8601)) ?? Date(timeIntervalSince1970: 0)
    }
}
