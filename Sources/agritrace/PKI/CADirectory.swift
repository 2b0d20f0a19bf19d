import AgriTrace
import Foundation
import TraceCrypto

/// A certificate authority kept in a directory: `ca.pem` (its certificate, then its parents),
/// `ca.key` (mode 0600), `revoked.json` (serial and date of each revocation), `crl-number`.
struct CADirectory {
    let url: URL

    init(_ path: String) { url = URL(fileURLWithPath: path) }

    static let certificateName = "ca.pem", keyName = "ca.key", revokedName = "revoked.json", crlNumberName = "crl-number"
    /// Every file a CA folder keeps (its certificate marks it): no command writes an output over one.
    static let keptFiles: Set<String> = [certificateName, keyName, revokedName, crlNumberName]

    var certificateFile: URL { url.appendingPathComponent(Self.certificateName) }
    var keyFile: URL { url.appendingPathComponent(Self.keyName) }
    var revokedFile: URL { url.appendingPathComponent(Self.revokedName) }
    var crlNumberFile: URL { url.appendingPathComponent(Self.crlNumberName) }

    struct Revocation: Codable {
        var serialNumber: String
        var revocationDate: Date
        var subject: String
    }

    /// The CA's certificate chain, its own certificate first.
    func chain() throws -> [Certificate] {
        guard FileManager.default.fileExists(atPath: certificateFile.path) else {
            throw TraceError("ca.missing", "\(url.path) is not a CA directory (no ca.pem); create one with 'agritrace pki init'")
        }
        return try Certificate.all(fileAt: certificateFile)
    }

    /// The authority and its chain (its own certificate first).
    func load(passphrase: String?) throws -> (authority: CertificateAuthority, chain: [Certificate]) {
        let chain = try chain()
        let key = try PrivateKey(fileAt: keyFile, passphrase: passphrase)
        return (try CertificateAuthority(certificate: chain[0], key: key), chain)
    }

    func save(_ authority: CertificateAuthority, parents: [Certificate], passphrase: String?) throws {
        guard !FileManager.default.fileExists(atPath: certificateFile.path) else {
            throw TraceError("ca.exists", "\(url.path) already holds a CA; refusing to overwrite it")
        }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try KeyFile.write(try authority.key.pemRepresentation(passphrase: passphrase), to: keyFile)
        let pem = ([authority.certificate] + parents).map(\.pemRepresentation).joined()
        try Data(pem.utf8).write(to: certificateFile, options: .atomic)
        try saveRevocations([])
    }

    /// The revocations so far. `pki init` writes the file; one gone missing is an error, not an
    /// empty list: the next CRL would otherwise quietly un-revoke every certificate revoked.
    func revocations() throws -> [Revocation] {
        guard let data = try? RegularFile.read(revokedFile, limit: 64 << 20) else {
            throw TraceError("ca.corrupt", "\(revokedFile.path) is missing or unreadable: it lists this CA's revocations, which the next CRL "
                             + "must carry; restore it from a backup")
        }
        do { return try JSONDecoder.iso8601.decode([Revocation].self, from: data) } catch {
            throw TraceError("ca.corrupt", "\(revokedFile.path) is not a revocation list written by agritrace")
        }
    }

    func saveRevocations(_ list: [Revocation]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(list).write(to: revokedFile, options: .atomic)
    }

    /// The next CRL number: one more than the last (persisted), and never less than the
    /// milliseconds since 1970, so that numbers keep growing (RFC 5280) even if `crl-number` is lost.
    func nextCRLNumber() throws -> Int {
        let last = (try? RegularFile.read(crlNumberFile, limit: 64)).flatMap { Int(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        guard last < Int.max else { throw TraceError("ca.corrupt", "\(crlNumberFile.path) holds no CRL number a next one can follow") }
        let next = max(last + 1, Int(Date().timeIntervalSince1970 * 1000))
        try Data("\(next)\n".utf8).write(to: crlNumberFile, options: .atomic)
        return next
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
