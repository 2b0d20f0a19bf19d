internal import COpenSSL
import Foundation

/// OpenSSL's numeric identifiers for the extensions the authority writes.
enum NID {
    static let basicConstraints = NID_basic_constraints
    static let keyUsage = NID_key_usage
    static let extendedKeyUsage = NID_ext_key_usage
    static let subjectAltName = NID_subject_alt_name
    static let subjectKeyIdentifier = NID_subject_key_identifier
    static let authorityKeyIdentifier = NID_authority_key_identifier
}

/// A small certificate authority: a CA certificate and its key, able to issue certificates and
/// CRLs. Enough for a provincial authority or a certification body, and for test PKIs.
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    public let key: PrivateKey

    /// An authority over an existing certificate and its key.
    public init(certificate: Certificate, key: PrivateKey) throws {
        guard certificate.matches(key) else {
            throw CryptoError(.keyMismatch, "the CA key does not belong to certificate \(certificate.subject)")
        }
        guard certificate.basicConstraints?.isCA == true else {
            throw CryptoError(.invalidArgument, "\(certificate.subject) is not a CA certificate")
        }
        self.certificate = certificate
        self.key = key
    }

    /// A new self-signed root.
    public static func root(subject: DistinguishedName, key: PrivateKey, notBefore: Date, notAfter: Date) throws -> CertificateAuthority {
        let profile = CertificateProfile(
            subject: subject, publicKey: try key.publicKey, notBefore: notBefore, notAfter: notAfter, isCA: true
        )
        let certificate = try sign(profile, issuer: nil, key: key)
        return try CertificateAuthority(certificate: certificate, key: key)
    }

    /// Issues a certificate for `profile`, signed by this authority.
    public func issue(_ profile: CertificateProfile) throws -> Certificate {
        try Self.sign(profile, issuer: certificate, key: key)
    }

    /// Issues a certificate for the subject and key of a (verified) signing request.
    public func issue(
        _ request: CertificateSigningRequest, notBefore: Date, notAfter: Date,
        extendedKeyUsages: [String], subjectAltNameURIs: [String]
    ) throws -> Certificate {
        try issue(CertificateProfile(
            subject: request.subject, publicKey: request.publicKey, notBefore: notBefore, notAfter: notAfter,
            extendedKeyUsages: extendedKeyUsages, subjectAltNameURIs: subjectAltNameURIs
        ))
    }

    /// A CRL revoking `entries`, signed by this authority.
    public func revocationList(
        _ entries: [CertificateRevocationList.Entry], thisUpdate: Date, nextUpdate: Date, number: Int
    ) throws -> CertificateRevocationList {
        guard let crl = X509_CRL_new() else { throw OpenSSL.error(.internalFailure, "out of memory") }
        defer { X509_CRL_free(crl) }
        guard X509_CRL_set_version(crl, 1) == 1,
              X509_CRL_set_issuer_name(crl, X509_get_subject_name(certificate.x509)) == 1,
              try withTime(thisUpdate, { X509_CRL_set1_lastUpdate(crl, $0) }) == 1,
              try withTime(nextUpdate, { X509_CRL_set1_nextUpdate(crl, $0) }) == 1
        else { throw OpenSSL.error(.internalFailure, "could not fill in the CRL") }
        for entry in entries {
            guard let revoked = X509_REVOKED_new() else { throw OpenSSL.error(.internalFailure, "out of memory") }
            let serial = try Self.integer(hex: entry.serialNumber)
            defer { ASN1_INTEGER_free(serial) }
            guard X509_REVOKED_set_serialNumber(revoked, serial) == 1,
                  try withTime(entry.revocationDate, { X509_REVOKED_set_revocationDate(revoked, $0) }) == 1,
                  X509_CRL_add0_revoked(crl, revoked) == 1
            else {
                X509_REVOKED_free(revoked)
                throw OpenSSL.error(.internalFailure, "could not add serial \(entry.serialNumber) to the CRL")
            }
        }
        _ = X509_CRL_sort(crl)
        let crlNumber = try Self.integer(hex: String(number, radix: 16))
        defer { ASN1_INTEGER_free(crlNumber) }
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, certificate.x509, nil, nil, crl, 0)
        guard X509_CRL_add1_ext_i2d(crl, NID_crl_number, crlNumber, 0, 0) == 1,
              let aki = X509V3_EXT_conf_nid(nil, &context, NID.authorityKeyIdentifier, "keyid:always")
        else { throw OpenSSL.error(.internalFailure, "could not add CRL extensions") }
        defer { X509_EXTENSION_free(aki) }
        guard X509_CRL_add_ext(crl, aki, -1) == 1,
              X509_CRL_sign(crl, key.pkey, key.algorithm == .p256 ? EVP_sha256() : nil) > 0
        else { throw OpenSSL.error(.internalFailure, "could not sign the CRL") }
        return try CertificateRevocationList(der: try OpenSSL.der { i2d_X509_CRL(crl, $0) })
    }

    /// Builds and signs a certificate; `issuer` nil means self-signed.
    private static func sign(_ profile: CertificateProfile, issuer: Certificate?, key: PrivateKey) throws -> Certificate {
        guard profile.notBefore < profile.notAfter else {
            throw CryptoError(.invalidArgument, "notBefore must come before notAfter")
        }
        guard let x509 = X509_new() else { throw OpenSSL.error(.internalFailure, "out of memory") }
        defer { X509_free(x509) }
        let subject = try profile.subject.makeX509Name()
        defer { X509_NAME_free(subject) }
        var serialBytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&serialBytes, 16) == 1 else { throw OpenSSL.error(.internalFailure, "no randomness for a serial") }
        serialBytes[0] = (serialBytes[0] & 0x7f) | 0x40  // positive, and always 16 bytes long
        let serial = try integer(hex: serialBytes.hexString)
        defer { ASN1_INTEGER_free(serial) }
        guard X509_set_version(x509, 2) == 1,
              X509_set_serialNumber(x509, serial) == 1,
              X509_set_subject_name(x509, subject) == 1,
              X509_set_issuer_name(x509, issuer.map { X509_get_subject_name($0.x509) } ?? subject) == 1,
              try withTime(profile.notBefore, { X509_set1_notBefore(x509, $0) }) == 1,
              try withTime(profile.notAfter, { X509_set1_notAfter(x509, $0) }) == 1,
              X509_set_pubkey(x509, profile.publicKey.pkey) == 1
        else { throw OpenSSL.error(.internalFailure, "could not fill in the certificate") }

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer?.x509 ?? x509, x509, nil, nil, 0)
        for (nid, value) in try profile.extensions() {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw OpenSSL.error(.invalidArgument, "cannot encode extension \(String(cString: OBJ_nid2sn(nid))) = \(value)")
            }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(x509, ext, -1) == 1 else { throw OpenSSL.error(.internalFailure, "could not add an extension") }
        }
        guard X509_sign(x509, key.pkey, key.algorithm == .p256 ? EVP_sha256() : nil) > 0 else {
            throw OpenSSL.error(.internalFailure, "could not sign the certificate")
        }
        return try Certificate(der: try OpenSSL.der { i2d_X509(x509, $0) })
    }

    /// A new ASN1_INTEGER from hexadecimal text; the caller frees it.
    static func integer(hex: String) throws -> UnsafeMutablePointer<ASN1_INTEGER> {
        var bn: OpaquePointer?
        guard !hex.isEmpty, hex.allSatisfy(\.isHexDigit), BN_hex2bn(&bn, hex) > 0, let bn else {
            throw CryptoError(.invalidArgument, "serial number \(hex) is not hexadecimal")
        }
        defer { BN_free(bn) }
        guard let integer = BN_to_ASN1_INTEGER(bn, nil) else { throw OpenSSL.error(.internalFailure, "out of memory") }
        return integer
    }
}

/// Calls `body` with a temporary ASN1_TIME for `date`.
private func withTime(_ date: Date, _ body: (UnsafeMutablePointer<ASN1_TIME>) -> Int32) throws -> Int32 {
    guard let time = ASN1_TIME_set(nil, time_t(date.timeIntervalSince1970)) else {
        throw OpenSSL.error(.invalidArgument, "date \(date) cannot be encoded")
    }
    defer { ASN1_STRING_free(time) }
    return body(time)
}
