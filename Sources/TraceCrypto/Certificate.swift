internal import COpenSSL
import Foundation

/// An X.509 certificate, parsed once into value fields. Immutable and thread-safe.
public final class Certificate: @unchecked Sendable, Hashable, CustomStringConvertible {
    let x509: OpaquePointer

    /// The DER encoding, exactly as read.
    public let derRepresentation: Data
    public let subject: DistinguishedName
    public let issuer: DistinguishedName
    /// The serial number in upper-case hexadecimal.
    public let serialNumber: String
    public let notBefore: Date
    public let notAfter: Date
    /// `subjectAltName` URIs (AgriTrace puts the party's GLN Digital Link here).
    public let subjectAltNameURIs: [String]
    /// Extended key usage OIDs in dotted form (AgriTrace's roles live here).
    public let extendedKeyUsages: [String]
    /// Key usage bits, or nil when the extension is absent.
    public let keyUsage: KeyUsage?
    /// Basic constraints, or nil when the extension is absent.
    public let basicConstraints: BasicConstraints?
    public let publicKey: PublicKey
    /// SHA-256 of ``derRepresentation``.
    public let fingerprint: [UInt8]

    /// Key usage bits of RFC 5280.
    public struct KeyUsage: OptionSet, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let digitalSignature = KeyUsage(rawValue: UInt32(X509v3_KU_DIGITAL_SIGNATURE))
        public static let nonRepudiation = KeyUsage(rawValue: UInt32(X509v3_KU_NON_REPUDIATION))
        public static let keyCertSign = KeyUsage(rawValue: UInt32(X509v3_KU_KEY_CERT_SIGN))
        public static let cRLSign = KeyUsage(rawValue: UInt32(X509v3_KU_CRL_SIGN))
    }

    /// The basic constraints extension.
    public struct BasicConstraints: Hashable, Sendable {
        public var isCA: Bool
        /// The path length constraint, when present.
        public var pathLength: Int?
    }

    /// Parses one DER certificate. Trailing bytes are refused.
    public convenience init(der: Data) throws {
        let x509: OpaquePointer? = der.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            var cursor: UnsafePointer<UInt8>? = base
            let cert = d2i_X509(nil, &cursor, raw.count)
            if let cert, cursor != base + raw.count { X509_free(cert); return nil }
            return cert
        }
        guard let x509 else { throw OpenSSL.error(.certificateMalformed, "not a DER X.509 certificate") }
        try self.init(taking: x509)
    }

    /// Parses the first certificate of PEM text, or DER bytes.
    public convenience init(pemOrDER data: Data) throws {
        guard OpenSSL.isPEM(data) else { try self.init(der: data); return }
        guard let der = PEM.decodeAll(String(decoding: data, as: UTF8.self), label: "CERTIFICATE").first else {
            throw CryptoError(.certificateMalformed, "no PEM CERTIFICATE block")
        }
        try self.init(der: der)
    }

    /// More distinct certificates than a file of trust anchors or a chain ever holds (a system's
    /// whole CA bundle holds a few hundred). OpenSSL takes about a quarter of a millisecond to
    /// decode each, so a file of tens of thousands would keep a buyer waiting for minutes.
    public static let maximumInFile = 1_000

    /// Every certificate in a PEM file, in order, each once however often the file repeats it.
    public static func all(pem text: String) throws -> [Certificate] {
        var seen = Set<[UInt8]>()
        let blocks = PEM.decodeAll(text, label: "CERTIFICATE").filter { seen.insert([UInt8]($0)).inserted }
        guard !blocks.isEmpty else { throw CryptoError(.certificateMalformed, "no PEM CERTIFICATE block") }
        guard blocks.count <= maximumInFile else {
            throw CryptoError(.certificateTooMany, "the file holds \(blocks.count) distinct certificates; at most \(maximumInFile) are read")
        }
        return try blocks.map { try Certificate(der: $0) }
    }

    /// Every certificate in a PEM or DER file.
    public static func all(fileAt url: URL) throws -> [Certificate] {
        try RegularFile.parse(url, "certificate", .certificateMalformed, limit: 16 << 20) { data in
            OpenSSL.isPEM(data) ? try all(pem: String(decoding: data, as: UTF8.self)) : [try Certificate(der: data)]
        }
    }

    init(taking x509: OpaquePointer) throws {
        do {
            self.derRepresentation = try OpenSSL.der { i2d_X509(x509, $0) }
            self.subject = DistinguishedName(X509_get_subject_name(x509))
            self.issuer = DistinguishedName(X509_get_issuer_name(x509))
            self.serialNumber = Certificate.hex(X509_get0_serialNumber(x509))
            guard let notBefore = OpenSSL.date(X509_get0_notBefore(x509)),
                  let notAfter = OpenSSL.date(X509_get0_notAfter(x509)) else {
                throw CryptoError(.certificateMalformed, "unreadable validity dates")
            }
            self.notBefore = notBefore
            self.notAfter = notAfter
            self.subjectAltNameURIs = Certificate.subjectAltNameURIs(x509)
            self.extendedKeyUsages = Certificate.extendedKeyUsages(x509)
            let usage = X509_get_key_usage(x509)
            self.keyUsage = usage == UInt32.max ? nil : KeyUsage(rawValue: usage)
            self.basicConstraints = Certificate.basicConstraints(x509)
            guard let pkey = X509_get0_pubkey(x509) else {
                throw OpenSSL.error(.certificateMalformed, "unreadable public key")
            }
            let spki = try OpenSSL.der { i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x509), $0) }  // as the certificate holds it
            self.publicKey = try PublicKey(borrowing: pkey, der: spki)
            self.fingerprint = Digest.sha256(derRepresentation)
        } catch {
            X509_free(x509)
            if var error = error as? CryptoError, error.code != .certificateMalformed {
                error = CryptoError(.certificateMalformed, "certificate: \(error.message)", opensslReason: error.opensslReason)
                throw error
            }
            throw error
        }
        self.x509 = x509
    }

    deinit { X509_free(x509) }

    /// PEM text of the certificate.
    public var pemRepresentation: String { PEM.encode(derRepresentation, label: "CERTIFICATE") }

    public var description: String { "Certificate(\(subject), serial \(serialNumber))" }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.derRepresentation == rhs.derRepresentation }
    /// All of the DER, through its SHA-256: `Data`'s own hash reads only a prefix.
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(fingerprint) }

    /// Whether this certificate's key is `key`'s public half.
    public func matches(_ key: PrivateKey) -> Bool { publicKey.matches(key) }

    /// Whether the certificate is within its validity period at `date`.
    public func isValid(at date: Date) -> Bool { notBefore <= date && date <= notAfter }

    static func hex(_ integer: UnsafePointer<ASN1_INTEGER>?) -> String {
        guard let integer, let bn = ASN1_INTEGER_to_BN(integer, nil) else { return "" }
        defer { BN_free(bn) }
        guard let text = BN_bn2hex(bn) else { return "" }
        defer { agt_openssl_free(text) }
        return String(cString: text)
    }

    private static func subjectAltNameURIs(_ x509: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(x509, NID_subject_alt_name, nil, nil) else { return [] }
        let names = OpaquePointer(raw)
        defer { agt_general_names_free(names) }
        return (0..<agt_sk_general_name_num(names)).compactMap { index in
            guard let name = agt_sk_general_name_value(names, index), let uri = agt_general_name_uri(name) else { return nil }
            return OpenSSL.string(uri)
        }
    }

    private static func extendedKeyUsages(_ x509: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(x509, NID_ext_key_usage, nil, nil) else { return [] }
        let usages = OpaquePointer(raw)
        defer { agt_extended_key_usage_free(usages) }
        return (0..<agt_sk_asn1_object_num(usages)).map { OpenSSL.oid(agt_sk_asn1_object_value(usages, $0)) }
    }

    private static func basicConstraints(_ x509: OpaquePointer) -> BasicConstraints? {
        guard let raw = X509_get_ext_d2i(x509, NID_basic_constraints, nil, nil) else { return nil }
        let constraints = raw.assumingMemoryBound(to: BASIC_CONSTRAINTS.self)
        defer { BASIC_CONSTRAINTS_free(constraints) }
        let pathLength = agt_basic_constraints_pathlen(constraints)
        return BasicConstraints(isCA: agt_basic_constraints_ca(constraints) == 1, pathLength: pathLength < 0 ? nil : pathLength)
    }
}
