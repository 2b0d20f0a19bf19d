import Foundation
@testable import TraceCrypto
import TestSupport

/// A throw-away PKI for tests: root → issuing CA → leaf, all P-256 unless told.
struct TestPKI {
    static let producerOID = "2.25.6427760801770985018539719530675561285.1.1"
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
    static let end = Date(timeIntervalSince1970: 2_398_377_600)    // 2046-01-01

    let root: CertificateAuthority
    let issuing: CertificateAuthority
    let leafKey: PrivateKey
    let leaf: Certificate

    init(algorithm: KeyAlgorithm = .p256, leafNotBefore: Date = start, leafNotAfter: Date = end, rootName: String = "Test Root") throws {
        root = try .root(
            subject: DistinguishedName(country: "VN", organization: "Test Authority", commonName: rootName),
            key: try .generate(algorithm), notBefore: Self.start, notAfter: Self.end
        )
        let issuingKey = try PrivateKey.generate(algorithm)
        let issuingCert = try root.issue(CertificateProfile(
            subject: DistinguishedName(country: "VN", organization: "Test Authority", commonName: "\(rootName) Issuing CA"),
            publicKey: try issuingKey.publicKey, notBefore: Self.start, notAfter: Self.end, isCA: true, pathLength: 0
        ))
        issuing = try CertificateAuthority(certificate: issuingCert, key: issuingKey)
        leafKey = try .generate(algorithm)
        leaf = try issuing.issue(CertificateProfile(
            subject: DistinguishedName(country: "VN", organization: "Mèo Vạc Honey Cooperative", commonName: "Mèo Vạc Honey Cooperative"),
            publicKey: try leafKey.publicKey, notBefore: leafNotBefore, notAfter: leafNotAfter,
            extendedKeyUsages: [Self.producerOID], subjectAltNameURIs: ["https://id.gs1.org/417/8936000100003"]
        ))
    }
}

func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        out.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return out
}

