import Foundation
import TraceCrypto

/// The part a party plays in the supply chain, carried in its certificate as an extended key
/// usage OID under the project arc (see DESIGN, "Parties, certificates and roles").
public enum Role: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case producer, processor, certifier, laboratory, exporter, carrier, importer, registryOperator

    /// The project's OID arc: a UUID-derived `2.25` arc, so it needs no registration.
    public static let arc = "2.25.6427760801770985018539719530675561285"

    /// The extended key usage OID of this role.
    public var oid: String {
        let index = Role.allCases.firstIndex(of: self)! + 1  // allCases contains every case
        return "\(Role.arc).1.\(index)"
    }

    public init?(oid: String) {
        guard let role = Role.allCases.first(where: { $0.oid == oid }) else { return nil }
        self = role
    }

    /// Parses a role by name, case-insensitively (`producer`, `registry-operator`, …).
    public init?(name: String) {
        let key = name.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        guard let role = Role.allCases.first(where: { $0.rawValue.lowercased() == key }) else { return nil }
        self = role
    }

    public var description: String { rawValue }

    /// The roles a certificate carries.
    public static func roles(of certificate: Certificate) -> Set<Role> {
        Set(certificate.extendedKeyUsages.compactMap(Role.init(oid:)))
    }
}

extension Certificate {
    /// The party's GLN from its `https://id.gs1.org/417/<GLN>` subjectAltName, if any.
    public var gln: String? {
        subjectAltNameURIs.lazy.compactMap { uri -> String? in
            guard let range = uri.range(of: "/417/") else { return nil }
            let gln = String(uri[range.upperBound...].prefix { $0.isNumber })
            return gln.count == 13 ? gln : nil
        }.first
    }

    /// The party's name for people: organisation, else common name.
    public var partyName: String { subject.organization ?? subject.commonName ?? subject.description }
}
