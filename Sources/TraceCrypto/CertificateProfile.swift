import Foundation

/// What a certificate authority writes into a certificate it issues.
public struct CertificateProfile: Sendable {
    public var subject: DistinguishedName
    public var publicKey: PublicKey
    public var notBefore: Date
    public var notAfter: Date
    /// A CA certificate (keyCertSign, cRLSign) or an end-entity one (digitalSignature).
    public var isCA: Bool
    /// For CA certificates: how many CAs may follow below it.
    public var pathLength: Int?
    /// Extended key usage OIDs in dotted form.
    public var extendedKeyUsages: [String]
    /// `subjectAltName` URIs.
    public var subjectAltNameURIs: [String]

    public init(
        subject: DistinguishedName, publicKey: PublicKey, notBefore: Date, notAfter: Date,
        isCA: Bool = false, pathLength: Int? = nil, extendedKeyUsages: [String] = [], subjectAltNameURIs: [String] = []
    ) {
        self.subject = subject
        self.publicKey = publicKey
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.isCA = isCA
        self.pathLength = pathLength
        self.extendedKeyUsages = extendedKeyUsages
        self.subjectAltNameURIs = subjectAltNameURIs
    }

    /// The X.509v3 extensions in OpenSSL's configuration syntax, in the order they are added.
    func extensions() throws -> [(nid: Int32, value: String)] {
        var result: [(Int32, String)] = []
        if isCA {
            result.append((NID.basicConstraints, "critical,CA:TRUE" + (pathLength.map { ",pathlen:\($0)" } ?? "")))
            result.append((NID.keyUsage, "critical,keyCertSign,cRLSign"))
        } else {
            result.append((NID.basicConstraints, "critical,CA:FALSE"))
            result.append((NID.keyUsage, "critical,digitalSignature"))
        }
        result.append((NID.subjectKeyIdentifier, "hash"))
        result.append((NID.authorityKeyIdentifier, "keyid:always"))
        for oid in extendedKeyUsages where !oid.allSatisfy({ $0.isNumber || $0 == "." }) || oid.isEmpty {
            throw CryptoError(.invalidArgument, "extended key usage \(oid) is not a dotted OID")
        }
        if !extendedKeyUsages.isEmpty {
            result.append((NID.extendedKeyUsage, extendedKeyUsages.joined(separator: ",")))
        }
        for uri in subjectAltNameURIs where uri.contains(where: { $0 == "," || $0.isWhitespace || !$0.isASCII }) || uri.isEmpty {
            throw CryptoError(.invalidArgument, "subjectAltName URI \(uri) must be ASCII without commas or spaces")
        }
        if !subjectAltNameURIs.isEmpty {
            result.append((NID.subjectAltName, subjectAltNameURIs.map { "URI:\($0)" }.joined(separator: ",")))
        }
        return result
    }
}
