internal import COpenSSL
import Foundation

/// A PKCS#10 certificate signing request: a subject name and public key, self-signed by the key.
public struct CertificateSigningRequest: Sendable, Hashable {
    public let derRepresentation: Data
    public let subject: DistinguishedName
    public let publicKey: PublicKey

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.derRepresentation == rhs.derRepresentation }
    /// Every byte: `Data`'s own hash reads only a prefix.
    public func hash(into hasher: inout Swift.Hasher) { derRepresentation.withUnsafeBytes { hasher.combine(bytes: $0) } }

    /// Makes a request for `subject`, signed with `key`.
    public init(subject: DistinguishedName, key: PrivateKey) throws {
        guard let req = X509_REQ_new() else { throw OpenSSL.error(.internalFailure, "out of memory") }
        defer { X509_REQ_free(req) }
        let name = try subject.makeX509Name()
        defer { X509_NAME_free(name) }
        guard X509_REQ_set_version(req, 0) == 1,
              X509_REQ_set_subject_name(req, name) == 1,
              X509_REQ_set_pubkey(req, key.pkey) == 1,
              X509_REQ_sign(req, key.pkey, key.algorithm == .p256 ? EVP_sha256() : nil) > 0
        else { throw OpenSSL.error(.internalFailure, "could not sign the certificate request") }
        try self.init(der: try OpenSSL.der { i2d_X509_REQ(req, $0) })
    }

    /// Parses a DER request and checks its self-signature.
    public init(der: Data) throws {
        let req: OpaquePointer? = der.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            var cursor: UnsafePointer<UInt8>? = base
            let req = d2i_X509_REQ(nil, &cursor, raw.count)
            if let req, cursor != base + raw.count { X509_REQ_free(req); return nil }
            return req
        }
        guard let req else { throw OpenSSL.error(.csrMalformed, "not a DER PKCS#10 certificate request") }
        defer { X509_REQ_free(req) }
        guard let pkey = X509_REQ_get0_pubkey(req) else { throw OpenSSL.error(.csrMalformed, "request without a public key") }
        guard X509_REQ_verify(req, pkey) == 1 else {
            throw OpenSSL.error(.csrMalformed, "the request's self-signature does not verify")
        }
        do {
            publicKey = try PublicKey(borrowing: pkey)
        } catch let error as CryptoError {
            throw CryptoError(.csrMalformed, "request key: \(error.message)")
        }
        subject = DistinguishedName(X509_REQ_get_subject_name(req))
        derRepresentation = der
    }

    /// Parses a PEM `CERTIFICATE REQUEST` block or DER bytes.
    public init(pemOrDER data: Data) throws {
        guard OpenSSL.isPEM(data) else { try self.init(der: data); return }
        guard let der = PEM.decodeAll(String(decoding: data, as: UTF8.self), label: "CERTIFICATE REQUEST").first else {
            throw CryptoError(.csrMalformed, "no PEM CERTIFICATE REQUEST block")
        }
        try self.init(der: der)
    }

    public var pemRepresentation: String { PEM.encode(derRepresentation, label: "CERTIFICATE REQUEST") }
}
