internal import COpenSSL
import Foundation

/// An X.509 name as an ordered list of attributes (`C`, `O`, `CN`, …).
public struct DistinguishedName: Hashable, Sendable, CustomStringConvertible, Codable {
    /// One attribute of a name, by its OpenSSL short name (`CN`, `O`, `OU`, `C`, `L`, `ST`, …).
    public struct Attribute: Hashable, Sendable, Codable {
        public var type: String
        public var value: String
        public init(_ type: String, _ value: String) {
            self.type = type
            self.value = value
        }
    }

    public var attributes: [Attribute]

    public init(_ attributes: [Attribute]) { self.attributes = attributes }

    /// A name of country, organisation and common name, the shape AgriTrace issues.
    public init(country: String? = nil, organization: String? = nil, organizationalUnit: String? = nil, commonName: String) {
        var attributes: [Attribute] = []
        if let country { attributes.append(Attribute("C", country)) }
        if let organization { attributes.append(Attribute("O", organization)) }
        if let organizationalUnit { attributes.append(Attribute("OU", organizationalUnit)) }
        attributes.append(Attribute("CN", commonName))
        self.attributes = attributes
    }

    /// The first value of the attribute `type`.
    public subscript(type: String) -> String? { attributes.first { $0.type == type }?.value }

    public var commonName: String? { self["CN"] }
    public var organization: String? { self["O"] }
    public var country: String? { self["C"] }

    /// `CN=…, O=…, C=…`, most specific first, as people read it.
    public var description: String {
        attributes.reversed().map { "\($0.type)=\($0.value)" }.joined(separator: ", ")
    }

    init(_ name: OpaquePointer?) {
        var attributes: [Attribute] = []
        guard let name else { self.attributes = []; return }
        for index in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, index) else { continue }
            let nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))
            let type = nid == NID_undef
                ? OpenSSL.oid(X509_NAME_ENTRY_get_object(entry))
                : String(cString: OBJ_nid2sn(nid))
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry))
            var value = ""
            if length >= 0, let utf8 {
                value = String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
                agt_openssl_free(utf8)
            }
            attributes.append(Attribute(type, value))
        }
        self.attributes = attributes
    }

    /// A new OpenSSL name; the caller frees it with `X509_NAME_free`.
    func makeX509Name() throws -> OpaquePointer {
        guard let name = X509_NAME_new() else { throw OpenSSL.error(.internalFailure, "out of memory") }
        for attribute in attributes {
            let ok = X509_NAME_add_entry_by_txt(name, attribute.type, MBSTRING_UTF8, attribute.value, -1, -1, 0)
            guard ok == 1 else {
                X509_NAME_free(name)
                throw OpenSSL.error(.invalidArgument, "cannot encode name attribute \(attribute.type)=\(attribute.value)")
            }
        }
        return name
    }
}
