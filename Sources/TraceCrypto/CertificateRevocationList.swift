internal import COpenSSL
import Foundation

/// An X.509 CRL: who issued it, when, and which serial numbers it revokes since when.
public final class CertificateRevocationList: @unchecked Sendable, Hashable {
    let crl: OpaquePointer

    /// One revoked certificate.
    public struct Entry: Hashable, Sendable {
        /// Serial number in upper-case hexadecimal, as ``Certificate/serialNumber``.
        public var serialNumber: String
        public var revocationDate: Date
        public init(serialNumber: String, revocationDate: Date) {
            self.serialNumber = serialNumber
            self.revocationDate = revocationDate
        }
    }

    public let derRepresentation: Data
    public let issuer: DistinguishedName
    public let thisUpdate: Date
    public let nextUpdate: Date?
    public let entries: [Entry]

    /// Parses one DER CRL. Trailing bytes are refused.
    public convenience init(der: Data) throws {
        let crl: OpaquePointer? = der.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            var cursor: UnsafePointer<UInt8>? = base
            let crl = d2i_X509_CRL(nil, &cursor, raw.count)
            if let crl, cursor != base + raw.count { X509_CRL_free(crl); return nil }
            return crl
        }
        guard let crl else { throw OpenSSL.error(.crlMalformed, "not a DER X.509 CRL") }
        try self.init(taking: crl)
    }

    /// Parses a PEM `X509 CRL` block or DER bytes.
    public convenience init(pemOrDER data: Data) throws {
        guard OpenSSL.isPEM(data) else { try self.init(der: data); return }
        guard let der = PEM.decodeAll(String(decoding: data, as: UTF8.self), label: "X509 CRL").first else {
            throw CryptoError(.crlMalformed, "no PEM X509 CRL block")
        }
        try self.init(der: der)
    }

    /// Reads a CRL file (PEM or DER), naming the file in any error.
    public static func read(fileAt url: URL) throws -> CertificateRevocationList {
        try RegularFile.parse(url, "CRL", .crlMalformed, limit: 64 << 20) { try CertificateRevocationList(pemOrDER: $0) }
    }

    init(taking crl: OpaquePointer) throws {
        do {
            derRepresentation = try OpenSSL.der { i2d_X509_CRL(crl, $0) }
            issuer = DistinguishedName(X509_CRL_get_issuer(crl))
            guard let thisUpdate = OpenSSL.date(X509_CRL_get0_lastUpdate(crl)) else {
                throw CryptoError(.crlMalformed, "CRL without a readable thisUpdate")
            }
            self.thisUpdate = thisUpdate
            nextUpdate = OpenSSL.date(X509_CRL_get0_nextUpdate(crl))
            var entries: [Entry] = []
            if let revoked = X509_CRL_get_REVOKED(crl) {
                for index in 0..<agt_sk_x509_revoked_num(revoked) {
                    guard let item = agt_sk_x509_revoked_value(revoked, index),
                          let date = OpenSSL.date(X509_REVOKED_get0_revocationDate(item)) else { continue }
                    entries.append(Entry(serialNumber: Certificate.hex(X509_REVOKED_get0_serialNumber(item)), revocationDate: date))
                }
            }
            self.entries = entries
        } catch {
            X509_CRL_free(crl)
            throw error
        }
        self.crl = crl
    }

    deinit { X509_CRL_free(crl) }

    public var pemRepresentation: String { PEM.encode(derRepresentation, label: "X509 CRL") }

    /// Whether `issuer` signed this CRL.
    public func isSigned(by issuer: Certificate) -> Bool {
        defer { ERR_clear_error() }
        return X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer.x509)) == 0
            && X509_CRL_verify(crl, issuer.publicKey.pkey) == 1
    }

    /// The entry for `certificate`, if this CRL revokes it.
    public func entry(for certificate: Certificate) -> Entry? {
        entries.first { $0.serialNumber == certificate.serialNumber }
    }

    public static func == (lhs: CertificateRevocationList, rhs: CertificateRevocationList) -> Bool {
        lhs.derRepresentation == rhs.derRepresentation
    }
    /// Every byte: `Data`'s own hash reads only a prefix, which one issuer's lists share.
    public func hash(into hasher: inout Swift.Hasher) { derRepresentation.withUnsafeBytes { hasher.combine(bytes: $0) } }
}
