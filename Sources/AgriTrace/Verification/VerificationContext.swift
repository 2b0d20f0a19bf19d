import Foundation
import TraceCrypto

/// One record of a bundle, decoded. The payload itself is not kept: the ``RecordCheck``s that
/// need it ran while the record was decoded.
public final class VerifiedRecordInput: Sendable {
    /// Position in the bundle's `records` array.
    public let index: Int
    public let digest: String
    /// The keyids of the envelope's signatures, in order (the signature bytes, checked by
    /// ``SignatureCheck`` while the record was decoded, are not kept).
    public let keyids: [String]
    public let event: EPCISEvent
    /// ``EPCISEvent/concernedIdentifierList``: what the record names, each once, in order.
    public let identifiers: [String]
    /// The same as a set when there are many (a blend of hundreds of lots); nil for the few most
    /// records name, which ``concerns(_:)`` compares one by one, without hashing any.
    private let identifierSet: Set<String>?

    init(index: Int, digest: String, keyids: [String], event: EPCISEvent) {
        self.index = index
        self.digest = digest
        self.keyids = keyids
        self.event = event
        identifiers = event.concernedIdentifierList
        identifierSet = identifiers.count > 8 ? Set(identifiers) : nil
    }

    /// Whether the record names `identifier`, directly or through an item of that lot.
    public func concerns(_ identifier: String) -> Bool { identifierSet?.contains(identifier) ?? identifiers.contains(identifier) }
}

/// Who a signer is, read once from its certificate. A class: the checks read a record's signers
/// for every record, and a copy of a struct of a name, a GLN and a set of roles took three
/// reference counts where a copy of this takes one.
public final class SignerInfo: Sendable {
    public let name: String
    public let gln: String?
    public let roles: Set<Role>
    /// The party behind the key: its GLN, else its name. Thresholds count identities, not keys.
    public var identity: String { gln ?? name }

    init(_ certificate: Certificate) {
        (name, gln, roles) = (certificate.partyName, certificate.gln, Role.roles(of: certificate))
    }
}

/// A certificate of the bundle that records are signed with, and what the checks ask of it,
/// worked out once: a record reaches its signers by position
/// (``VerificationContext/signerPositions(of:)``), not by hashing a 64-digit keyid in every check.
public struct BundleSigner: Sendable {
    /// The DSSE keyid: hex SHA-256 of the certificate's DER.
    public let keyid: String
    public let certificate: Certificate
    public let info: SignerInfo
    /// The certificate's chain to one of the buyer's trust anchors, or why it has none.
    public let chain: Result<VerifiedChain, ChainError>
}

/// Everything the checks read: the decoded records and the bundle's certificates and CRLs,
/// with chain results computed once per signer certificate.
public final class VerificationContext: @unchecked Sendable {
    public let subject: String
    /// Records that decoded, in bundle order.
    public let records: [VerifiedRecordInput]
    /// Each record's position in ``records`` by its digest: the first copy's where the bundle
    /// repeats a record (``record(withDigest:)``).
    public let positionByDigest: DigestIndex
    /// Whether each record, by position, repeats an earlier one of the same digest.
    public let isRepeat: [Bool]
    /// Bundle certificates by DSSE keyid (hex SHA-256 of the DER).
    public let certificates: [String: Certificate]
    /// The bundle's CRLs, each once (``BundleVerifier`` decodes each distinct entry once).
    public let crls: [CertificateRevocationList]
    /// The CRLs each issuer of a signer's chain signed, by the issuer's keyid: every CRL's
    /// signature is checked once here, not once per signer (a hostile bundle may carry thousands).
    private let listsByIssuer: [String: [CertificateRevocationList]]
    public let options: VerificationOptions
    /// The chain of each signer certificate that reached a trust anchor, or why it did not.
    public let chains: [String: Result<VerifiedChain, ChainError>]
    /// Name, GLN and roles of each bundle certificate, by keyid.
    public let signerInfo: [String: SignerInfo]
    /// The certificates that sign records, each once, in the order records first name them.
    public let bundleSigners: [BundleSigner]
    /// Each record's signers, by the record's ``VerifiedRecordInput/index``: positions in
    /// ``bundleSigners``, in the envelope's order.
    private let signerPositionsByIndex: [[Int]]
    /// The records of the subject's history (see ``SubjectHistory``), in bundle order.
    public let subjectHistory: [VerifiedRecordInput]
    /// The lots whose goods flow into the subject: the subject, and what the history made or
    /// packed it from (``SubjectHistory/history(of:in:concerns:)``).
    public let subjectLots: Set<String>
    /// The records of the history that name one of ``subjectLots``: what happened to the goods
    /// themselves. The history also holds what shared a pallet or a shipment with them (it is
    /// upstream of the shared packing); an inspection of that other lot is not one of the
    /// subject, so policies are judged on these.
    public let subjectRecords: [VerifiedRecordInput]
    /// Where each record's links lead: `linkTargets[i][k]` is the position in ``records`` of the
    /// record that link `k` of `records[i]` names, or nil when the bundle lacks it. Resolved once,
    /// for the checks that walk links.
    public let linkTargets: [[Int?]]
    /// The product categories the harvests of ``subjectLots`` declare (`honey`, `beef` …): the
    /// built-in policy of the one category applies when the buyer names none. Harvests of other
    /// goods the bundle carries (what shared a pallet with the subject) do not count: packing a
    /// jar of honey beside chilled beef must not take the beef out of its policy.
    public let subjectCategories: Set<String>
    /// Whether every link points to a record earlier in the bundle (a link to a record the bundle
    /// lacks counts as earlier): then bundle order is a valid replay order and holds no cycle.
    public let linksPointBackwards: Bool

    init(subject: String, records: [VerifiedRecordInput], certificates: [String: Certificate],
         crls: [CertificateRevocationList], options: VerificationOptions, chainVerifier: ChainVerifier) {
        self.subject = subject
        self.records = records
        let (positions, isRepeat) = DigestIndex.of(records.map(\.digest))
        positionByDigest = positions
        self.isRepeat = isRepeat
        self.certificates = certificates
        self.crls = crls
        let issuerIndex = IssuerIndex(certificates)
        let signerInfo = certificates.mapValues(SignerInfo.init)
        self.signerInfo = signerInfo
        // Each keyid the records name is looked up once, its chain verified once; a keyid the
        // bundle has no certificate for is no signer (SignatureCheck reports it).
        var bundleSigners: [BundleSigner] = [], positionByKeyid: [String: Int?] = [:]
        var firstKeyids = FirstKeys<Int?>()  // a bundle's signers are a handful: compared before any hashing
        func position(of keyid: String) -> Int? {
            firstKeyids.value(for: keyid) { keyid in
                if let known = positionByKeyid[keyid] { return known }
                let position = certificates[keyid].map { certificate in
                    let chain = Result { () throws(ChainError) in
                        try chainVerifier.verify(certificate, intermediates: issuerIndex.candidates(for: certificate), at: nil)
                    }
                    bundleSigners.append(BundleSigner(keyid: keyid, certificate: certificate, info: signerInfo[keyid] ?? SignerInfo(certificate), chain: chain))
                    return bundleSigners.count - 1
                }
                positionByKeyid[keyid] = position
                return position
            }
        }
        var signerPositionsByIndex = [[Int]](repeating: [], count: (records.lazy.map(\.index).max() ?? -1) + 1)
        var alone: [[Int]] = []  // [p] for each signer p, shared by every record it signs alone (most records): no list each
        records.forEachInPlace { record in
            let positions = record.keyids.compactMap(position(of:))
            while alone.count < bundleSigners.count { alone.append([alone.count]) }
            signerPositionsByIndex[record.index] = positions.count == 1 ? alone[positions[0]] : positions
        }
        self.bundleSigners = bundleSigners
        self.signerPositionsByIndex = signerPositionsByIndex
        let chains = Dictionary(bundleSigners.map { ($0.keyid, $0.chain) }, uniquingKeysWith: { first, _ in first })
        self.chains = chains
        let issuers = chains.values.flatMap { (try? $0.get())?.certificates.dropFirst() ?? [] }
        var listsByIssuer: [String: [CertificateRevocationList]] = [:]
        for issuer in issuers where listsByIssuer[issuer.fingerprint.hexString] == nil {
            let signed = crls.concurrentMap { $0.issuer == issuer.subject && $0.isSigned(by: issuer) }
            listsByIssuer[issuer.fingerprint.hexString] = zip(crls, signed).compactMap { $1 ? $0 : nil }
        }
        self.listsByIssuer = listsByIssuer
        let linked = LinkedRecords(records) { positions[$0] }
        linkTargets = linked.targets
        // The lots by code point, asked of every record of the history: hashed fast.
        let history = SubjectHistory.historyAndExactLots(of: subject, in: linked) { $0.concerns($1) }
        let lots = history.lots
        subjectHistory = records.indices.compactMap { history.included[$0] ? records[$0] : nil }
        subjectLots = Set(lots.lazy.map(\.text))
        linksPointBackwards = linked.linksPointBackwards
        subjectRecords = subjectHistory.filter { $0.identifiers.contains { lots.contains(ExactText($0)) } }
        subjectCategories = Set(subjectRecords.lazy.filter { record in
            record.event.isCommissioning && (record.event.quantityList ?? []).contains { lots.contains(ExactText($0.epcClass)) }
        }.compactMap(\.event.productCategory))
        var options = options
        if options.policy == nil, options.automaticPolicy, subjectCategories.count == 1, let policy = subjectCategories.first.flatMap({ Policy.builtIn[$0] }) {
            options.policy = policy
            options.stepRoles = policy.stepRoleTable
            options.strictRevocation = options.strictRevocation || policy.strictRevocation == true
        }
        self.options = options
    }

    /// The bundle's CRLs that `issuer`, a certificate of a signer's verified chain, signed.
    public func revocationLists(signedBy issuer: Certificate) -> [CertificateRevocationList] {
        listsByIssuer[issuer.fingerprint.hexString] ?? []
    }

    /// The record with `digest` (its first copy, where the bundle repeats it).
    public func record(withDigest digest: String) -> VerifiedRecordInput? {
        positionByDigest[digest].map { records[$0] }
    }

    /// The events of the records by digest (first copies), for ``LinkGraph``.
    var eventsByDigest: [String: EPCISEvent] {
        Dictionary(records.indices.lazy.filter { !self.isRepeat[$0] }.map { (self.records[$0].digest, self.records[$0].event) }, uniquingKeysWith: { first, _ in first })
    }

    /// The signers of `record` whose certificates the bundle carries, in the envelope's order: read
    /// from ``bundleSigners`` as they are asked for (checks ask this of every record, and most
    /// look at the first signer alone; a list made each time was an allocation a record a check).
    public func signers(of record: VerifiedRecordInput) -> LazyMapCollection<[Int], SignerInfo> {
        signerPositions(of: record).lazy.map { self.bundleSigners[$0].info }
    }

    /// Where the signers of `record` are in ``bundleSigners``, in the envelope's order (a signer
    /// that signed twice, twice); a record not of this context has none.
    public func signerPositions(of record: VerifiedRecordInput) -> [Int] {
        signerPositionsByIndex.indices.contains(record.index) ? signerPositionsByIndex[record.index] : []
    }

    /// ``signerPositions(of:)`` with each signer once, in the envelope's order: the signers whose
    /// chain, validity and revocation a record is judged by, however often each signed it.
    public func distinctSignerPositions(of record: VerifiedRecordInput) -> [Int] {
        let positions = signerPositions(of: record)
        guard positions.count > 1 else { return positions }  // most records: the shared list as it is
        return positions.enumerated().filter { !positions[..<$0.offset].contains($0.element) }.map(\.element)
    }

    /// The certificate that signed `record` first, if the bundle carries it.
    public func signer(of record: VerifiedRecordInput) -> Certificate? {
        record.keyids.lazy.compactMap { self.certificates[$0] }.first
    }
}

/// What the buyer decides before verifying.
public struct VerificationOptions: Sendable {
    /// The buyer's trust anchors.
    public var trustAnchors: [Certificate]
    /// The time to verify as of (default: now). Events later than this are in the future.
    public var at: Date
    /// How far an event may precede the record it links to, or lie in the future, to allow for
    /// unsynchronised clocks.
    public var clockSkew: TimeInterval
    /// Which parts of the supply chain may sign which business step.
    public var stepRoles: StepRoles
    /// The product policy to apply; nil applies only the rules that hold for every product.
    public var policy: Policy?
    /// Whether a record signed before its signer was revoked is refused rather than noted.
    public var strictRevocation: Bool
    /// The clock skew allowed when neither the buyer nor a policy names one: five minutes.
    /// The registry allows the same, so that what it signs every default verifier accepts.
    public static let defaultClockSkew: TimeInterval = 300
    /// The largest clock skew a buyer or a policy may allow: a week.
    public static let maximumClockSkew: TimeInterval = 7 * 86_400

    /// A label's Digital Link to check against the bundle (``LabelCheck``).
    public var label: String?
    /// Without a ``policy``: whether to apply the built-in policy of the product category the
    /// bundle's harvest records declare (`agt:category`).
    public var automaticPolicy = true

    /// Options for a buyer. A policy brings its own step roles, clock skew and revocation rule
    /// unless they are given here.
    public init(trustAnchors: [Certificate], at: Date = Date(), clockSkew: TimeInterval? = nil, stepRoles: StepRoles? = nil,
                policy: Policy? = nil, strictRevocation: Bool? = nil) {
        self.trustAnchors = trustAnchors
        self.at = at
        self.clockSkew = clockSkew ?? policy?.clockSkewSeconds ?? Self.defaultClockSkew
        self.stepRoles = stepRoles ?? policy?.stepRoleTable ?? .default
        self.policy = policy
        self.strictRevocation = strictRevocation ?? policy?.strictRevocation ?? false
    }
}
