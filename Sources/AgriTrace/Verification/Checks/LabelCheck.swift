import Foundation
import TraceCrypto

/// A scanned label, when given, names the bundle's subject (or a unit holding it), states the
/// harvest days (AI 7007) and country of origin (AI 422) the lot's harvests state (``LotOrigin``),
/// its `h` matches a record of the bundle, and its `s` verifies with the certificate of a party whose
/// role may label: an exporter, processor or producer. A plain label (no `h` and `s`) proves
/// nothing about who printed it: the result is then at best `valid`, as DESIGN asks for a valid
/// label signature.
public struct LabelCheck: VerificationCheck {
    public static let labellingRoles: Set<Role> = [.exporter, .processor, .producer]

    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        guard let text = context.options.label else { return [] }
        let parsed: AuthenticatedLabel.Parsed
        do { parsed = try AuthenticatedLabel(uri: text).parsed() } catch let error as TraceError where error.code == .labelMalformed {
            return [Finding(.labelMalformed, record: nil, "the label is malformed: \(error.message)")]
        } catch {
            return [Finding(.labelMalformed, record: nil, "the label is not a valid GS1 Digital Link: \(error)")]
        }
        var findings: [Finding] = []
        let named = Self.identifiers(of: parsed.link)
        let holders = Set(context.records.filter { $0.event.type == .aggregationEvent && $0.concerns(context.subject) }.compactMap(\.event.parentID))
        if named.isDisjoint(with: holders.union([context.subject])) {
            findings.append(Finding(.labelSubjectMismatch, record: nil,
                "the label names \(named.sorted().joined(separator: ", ")), but the bundle is about \(context.subject)"))
        }
        findings += Self.claimFindings(of: parsed.link, LotOrigin(lots: context.subjectLots, events: context.records.lazy.map(\.event)))
        guard let prefix = parsed.recordPrefix, let signature = parsed.signature else {
            return findings + [Finding(.labelUnauthenticated, .untrusted, record: nil,
                "the label carries no h and s: it names the lot, but nothing shows who printed it")]
        }
        let record = context.records.first { record in Array(Self.digestBytes(record.digest).prefix(16)) == prefix }
        if record == nil {
            findings.append(Finding(.labelRecordMismatch, record: nil, "the label's h (\(Base64URL.encode(prefix))) matches no record of the bundle"))
        }
        let message = Array(parsed.signedText.utf8)
        let signer = context.certificates.first { _, certificate in
            let raw = certificate.publicKey.algorithm == .p256 ? (try? ECDSASignature.der(fromRaw: signature)) : signature
            return raw.map { certificate.publicKey.isValidSignature($0, for: message) } ?? false
        }
        guard let (keyid, certificate) = signer else {
            return findings + [Finding(.labelSignatureInvalid, record: record?.digest,
                "the label's signature s does not verify with any certificate in the bundle: the label was altered or printed by someone else")]
        }
        if Role.roles(of: certificate).isDisjoint(with: Self.labellingRoles) {
            findings.append(Finding(.labelRoleNotAllowed, record: record?.digest,
                "the label is signed by \(certificate.partyName), whose role may not label goods (exporter, processor or producer)"))
        }
        let trusted = if case .success? = context.chains[keyid] { true } else { false }
        if !trusted {
            findings.append(Finding(.labelSignerUntrusted, .untrusted, record: record?.digest,
                "the label is signed by \(certificate.partyName), whose certificate does not chain to your trust anchors"))
        }
        return findings
    }

    /// The label's harvest days and origin against the lot's harvests: a label printed for a
    /// blend with its first input's harvest day, or with another country, misleads the buyer.
    /// Not judged where the bundle's harvests state no day (or no country AI 422 can name).
    static func claimFindings(of link: GS1DigitalLinkURI, _ origin: LotOrigin) -> [Finding] {
        var findings: [Finding] = []
        let values = Self.values(of: link)
        if let stated = values["7007"], let days = origin.harvestDays, stated != origin.harvestDateElement {
            findings.append(Finding(.labelClaimMismatch, record: nil,
                "the label states harvest date \(stated) (AI 7007, YYMMDD), but the lot's harvests took place \(days)"))
        }
        let codes = origin.countries.map { LotOrigin.numericCodes[$0] }
        if let stated = values["422"], !codes.isEmpty, !codes.contains(nil), !codes.contains(stated) {
            findings.append(Finding(.labelClaimMismatch, record: nil,
                "the label states country of origin \(stated) (AI 422), but the lot's harvests name \(origin.countries.sorted().joined(separator: ", "))"))
        }
        return findings
    }

    /// A link's element values by AI (the first of any AI given twice).
    private static func values(of link: GS1DigitalLinkURI) -> [String: String] {
        Dictionary(link.elements.map { ($0.ai, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// The lot, item or unit Digital Links (on id.gs1.org) a label names.
    static func identifiers(of link: GS1DigitalLinkURI) -> Set<String> {
        let values = Self.values(of: link)
        var result = Set<String>()
        if let sscc = values["00"] { result.insert("\(DigitalLink.gs1Domain)/00/\(sscc)") }
        if let gtin = values["01"] {
            if let lot = values["10"] { result.insert("\(DigitalLink.gs1Domain)/01/\(gtin)/10/\(DigitalLink.escape(lot))") }
            if let serial = values["21"] {
                result.insert("\(DigitalLink.gs1Domain)/01/\(gtin)" + (values["10"].map { "/10/\(DigitalLink.escape($0))" } ?? "") + "/21/\(DigitalLink.escape(serial))")
            }
        }
        return result
    }

    static func digestBytes(_ digest: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = digest.index(digest.startIndex, offsetBy: 7, limitedBy: digest.endIndex) ?? digest.endIndex
        while let next = digest.index(index, offsetBy: 2, limitedBy: digest.endIndex), next > index, let byte = UInt8(digest[index..<next], radix: 16) {
            out.append(byte)
            index = next
        }
        return out
    }
}

extension TraceError.Code {
    public static let labelMalformed: Self = "label.malformed"
    public static let labelSubjectMismatch: Self = "label.subjectMismatch"
    public static let labelRecordMismatch: Self = "label.recordMismatch"
    public static let labelSignatureInvalid: Self = "label.signatureInvalid"
    public static let labelRoleNotAllowed: Self = "label.roleNotAllowed"
    public static let labelSignerUntrusted: Self = "label.signerUntrusted"
    public static let labelUnauthenticated: Self = "label.unauthenticated"
    public static let labelClaimMismatch: Self = "label.claimMismatch"
}
