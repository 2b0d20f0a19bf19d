import Foundation
import TraceCrypto

/// The Digital Link a label's QR code carries: the lot (or unit) on the exporter's resolver
/// domain, with expiry (17), harvest date (7007) and country of origin (422) where known, and —
/// for an authenticated label — `h`, the first 16 bytes of the labelled record's digest, and
/// `s`, the exporter's signature over everything before `&s=` (P-256 as raw r‖s, or Ed25519),
/// both base64url without padding. GS1 readers ignore `h` and `s`.
public struct AuthenticatedLabel: Sendable, Equatable {
    public var uri: String

    /// What a label says: a lot (GTIN and lot, with a serial for a unit label) with its dates and
    /// origin, or a logistic unit (SSCC) alone, for GS1 gives expiry, harvest date and origin only
    /// beside a GTIN.
    public struct Content: Sendable {
        /// The product; nil on a logistic unit's label.
        public var gtin: GTIN?
        public var lot: String?
        public var serial: String?
        /// The logistic unit (pallet, carton) a unit's label names.
        public private(set) var sscc: SSCC?
        /// `YYMMDD`.
        public var expiry: String?
        /// `YYMMDD`, or `YYMMDDYYMMDD` for a harvest spanning days.
        public var harvestDate: String?
        /// ISO 3166 numeric, Viet Nam = 704.
        public var countryOfOrigin: String?

        public init(gtin: GTIN, lot: String? = nil, serial: String? = nil, sscc: SSCC? = nil, expiry: String? = nil,
                    harvestDate: String? = nil, countryOfOrigin: String? = "704") {
            self.gtin = gtin
            self.lot = lot
            self.serial = serial
            self.sscc = sscc
            self.expiry = expiry
            self.harvestDate = harvestDate
            self.countryOfOrigin = countryOfOrigin
        }

        /// A logistic unit's label: its SSCC (AI 00).
        public init(unit: SSCC) {
            sscc = unit
        }
    }

    /// Checks a resolver domain, the stem every label link starts with: `https://`, a host, and
    /// at most a path, in ASCII. A query, fragment or user would swallow the `/01/…` after it, and
    /// any other scheme (`javascript:`, `file:`) is no link a phone should open.
    /// Throws `label.resolverInvalid`.
    public static func checkResolver(_ stem: String) throws {
        let isPlainASCII = stem.utf8.allSatisfy { (0x21...0x7E).contains($0) }
        guard isPlainASCII, stem.utf8.count <= 200, let parts = URLComponents(string: stem), parts.scheme?.lowercased() == "https",
              let host = parts.host, !host.isEmpty, parts.user == nil, parts.password == nil,
              parts.query == nil, parts.fragment == nil else {
            throw TraceError("label.resolverInvalid", "the resolver \(stem.prefix(80)) must be an https:// URL with a host and at most a path "
                             + "(e.g. https://dl.example.vn), in ASCII, with no query or fragment")
        }
    }

    /// A plain label (for packs too small for the authenticated form).
    public static func plain(_ content: Content, resolver: String) throws -> AuthenticatedLabel {
        try checkResolver(resolver)
        if let sscc = content.sscc {
            return AuthenticatedLabel(uri: try GS1DigitalLinkURI.generate(elements: [("00", sscc.value)], stem: resolver))
        }
        guard let gtin = content.gtin else { throw TraceError(.labelMalformed, "a label names a GTIN or an SSCC") }
        var elements: [(ai: String, value: String)] = [("01", gtin.value)]
        if let lot = content.lot { elements.append(("10", lot)) }
        if let serial = content.serial { elements.append(("21", serial)) }
        if let expiry = content.expiry { elements.append(("17", expiry)) }
        if let harvest = content.harvestDate { elements.append(("7007", harvest)) }
        if let country = content.countryOfOrigin { elements.append(("422", country)) }
        return AuthenticatedLabel(uri: try GS1DigitalLinkURI.generate(elements: elements, stem: resolver))
    }

    /// An authenticated label for `record`, signed by `signer`.
    public static func signed(_ content: Content, resolver: String, record: String, signer: Signer) throws -> AuthenticatedLabel {
        guard RecordDigest.isWellFormed(record) else { throw TraceError(.recordMalformed, "\(record) is not a record digest") }
        let base = try plain(content, resolver: resolver).uri
        let digest = bytes(hex: String(record.dropFirst(7)))
        let unsigned = base + (base.contains("?") ? "&" : "?") + "h=" + Base64URL.encode(Array(digest.prefix(16)))
        var signature = try signer.key.sign(Array(unsigned.utf8))
        if signer.key.algorithm == .p256 { signature = try ECDSASignature.raw(fromDER: signature) }
        return AuthenticatedLabel(uri: unsigned + "&s=" + Base64URL.encode(signature))
    }

    public init(uri: String) { self.uri = uri }

    /// The parts a verifier checks.
    public struct Parsed: Sendable {
        public var link: GS1DigitalLinkURI
        /// The first 16 bytes of the labelled record's digest, if the label is authenticated.
        public var recordPrefix: [UInt8]?
        public var signature: [UInt8]?
        /// The bytes the signature covers: the URI before `&s=`.
        public var signedText: String
    }

    /// Splits the label into its Digital Link, `h` and `s`. `s` must be the last parameter, so
    /// that the signature covers everything the label says; `h` and `s` may each appear once,
    /// and `s` only with `h`.
    public func parsed() throws -> Parsed {
        let link = try GS1DigitalLinkURI(parsing: uri)
        var prefix: [UInt8]?, signature: [UInt8]?
        let parameters = uri.split(separator: "?", maxSplits: 1).dropFirst().first?.split(separator: "&", omittingEmptySubsequences: false) ?? []
        for (position, parameter) in parameters.enumerated() {
            if parameter.hasPrefix("h=") {
                guard prefix == nil else { throw TraceError(.labelMalformed, "the label carries h twice") }
                prefix = try Base64URL.decode(String(parameter.dropFirst(2)), field: "h")
            } else if parameter.hasPrefix("s=") {
                guard signature == nil, prefix != nil else { throw TraceError(.labelMalformed, "the label carries s twice, or s without h before it") }
                guard position == parameters.count - 1 else {
                    throw TraceError(.labelMalformed, "the label carries data after its signature s, which the signature does not cover")
                }
                signature = try Base64URL.decode(String(parameter.dropFirst(2)), field: "s")
            }
        }
        let signedText = signature == nil ? uri : uri.range(of: "&s=", options: .backwards).map { String(uri[..<$0.lowerBound]) } ?? uri
        return Parsed(link: link, recordPrefix: prefix, signature: signature, signedText: signedText)
    }

    private static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), let byte = UInt8(hex[index..<next], radix: 16) {
            out.append(byte)
            index = next
        }
        return out
    }
}
