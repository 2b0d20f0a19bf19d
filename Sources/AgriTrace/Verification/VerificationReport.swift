import Foundation
import TraceCrypto

/// The verifier's answer: a level, the journey record by record, and every finding.
public struct VerificationReport: Sendable, Codable {
    public var level: TrustLevel
    public var subject: String?
    /// What the subject is, by language code (`en`, `vi`, `zh`, `th`): the names the record in
    /// its history that made its product gives (a harvest's, or a transformation's for cuts of
    /// beef or a juice: ``EPCISEvent/productNames``); nil for a logistic unit, or when no record
    /// names its product.
    public var product: [String: String]?
    /// Where the subject's own product was not harvested (a pallet, a juice, cuts of beef): the
    /// names of the harvested products it comes from, one entry per GTIN (at most five), as
    /// ``product`` gives them.
    public var harvestedFrom: [[String: String]]?
    public var records: [RecordSummary]
    public var findings: [Finding]
    /// True when the input could not be used at all (not a bundle, unknown version, unreadable).
    public var unusable: Bool
    /// The name of the policy applied, if any.
    public var policy: String?
    /// The label checked with the bundle, if any.
    public var label: String?

    /// One step of the journey, for people and machines.
    public struct RecordSummary: Sendable, Codable {
        public var digest: String
        public var eventID: String
        public var type: String
        public var eventTime: String
        public var step: String?
        public var signer: String?
        public var signerGLN: String?
        public var location: String?
        public var quantity: String?
        /// The logistic unit (or other parent) an aggregation packs its contents into (`ADD`),
        /// takes them out of (`DELETE`) or finds them in (`OBSERVE`): its Digital Link.
        public var parent: String?
        /// The event's action: `ADD`, `OBSERVE` or `DELETE`.
        public var action: String?
        /// Where the goods came from (a receipt's or a shipment's source party): its name as a
        /// signer certificate under the buyer's trust anchors gives it, else nil; and its GLN.
        public var source: String?
        public var sourceGLN: String?
        /// Where the goods went (a shipment's or a receipt's destination party), likewise.
        public var destination: String?
        public var destinationGLN: String?
        /// The lots the step makes, moves, packs or inspects (a transformation's outputs), each
        /// with its amount where it states one: EPCIS quantity elements (`epcClass`, `quantity`, `uom`).
        public var lots: [QuantityElement]?
        /// The lots a transformation uses up, likewise.
        public var inputLots: [QuantityElement]?
        /// The logistic units or items the step names one by one (an SSCC's Digital Link).
        public var units: [String]?
        /// The outcome the step records, as its CBV word (`conformant`, `non_conformant`, `active`).
        public var disposition: String?
        /// The values an inspection or a laboratory measured (``EPCISEvent/measurements``).
        public var measurements: [Measurement]?
        /// The names of the plots a harvest grew on (the first 50).
        public var plots: [String]?
        /// A harvest's first and last day (`YYYY-MM-DD`; the same day for a one-day harvest).
        public var harvestStart: String?, harvestEnd: String?
        /// The certificate the step claims or is made under (``EPCISEvent/organicClaim``).
        public var certificate: String?
        /// Why a recall recalls or a write-off writes off (`agt:reason`, its first 200 characters).
        public var reason: String?
        /// On the last receipt of a shipment, each lot of which less arrived than was shipped:
        /// how much less, and how much was shipped, in the shipment's unit.
        public var shortfall: [Shortfall]? = nil
        /// True for a record that names none of the subject's goods: what shared a pallet or a
        /// shipment with them, which the bundle carries for its links to verify (nil otherwise).
        public var otherGoods: Bool? = nil
        /// `trusted`, `valid` or `invalid`, from the findings about this record.
        public var mark: TrustLevel
    }

    /// Less of a lot received than its shipment carried (``RecordSummary/shortfall``).
    public struct Shortfall: Sendable, Codable, Hashable {
        public var lot: String
        public var missing: Decimal
        public var shipped: Decimal
        public var uom: String?
    }

    init(unusable error: Error) {
        let finding = (error as? TraceError).map { Finding($0.code, record: nil, $0.message) }
            ?? Finding(.bundleMalformed, record: nil, "\(error)")
        level = .invalid
        subject = nil
        records = []
        findings = [finding]
        unusable = true
    }

    /// The journey `context` holds, before any finding: every record marked trusted. (The
    /// verifier builds it while the last signatures are still being checked.)
    init(context: VerificationContext) {
        level = .trusted
        findings = []
        subject = context.subject
        (product, harvestedFrom) = Self.productNames(context)
        unusable = false
        policy = context.options.policy?.name
        label = context.options.label
        // The parties' names by GLN, from the signer certificates that chain to the buyer's trust
        // anchors: a name only a certificate outside them claims is not shown (the GLN is). The
        // first name in byte order where two such certificates of one GLN differ: the same each run.
        let names = Dictionary(context.chains.compactMap { keyid, chain -> (ExactText, String)? in
            guard case .success = chain, let info = context.signerInfo[keyid], let gln = info.gln else { return nil }
            return (ExactText(gln), info.name)
        }, uniquingKeysWith: min)
        let shortfalls = Self.shortfalls(context)
        // Which records concern the subject's own goods, as flags by bundle position: a set of
        // the positions hashed every record's position with SipHash.
        var own = [Bool](repeating: false, count: (context.records.lazy.map(\.index).max() ?? -1) + 1)
        for record in context.subjectRecords { own[record.index] = true }
        let isOwn = own
        // One summary per record, on all cores (a large bundle has tens of thousands).
        records = context.records.concurrentMap { record in
            let event = record.event
            let signer = context.signerPositions(of: record).first.map { context.bundleSigners[$0].info }
            let (sourceGLN, destinationGLN) = (event.sourceGLN, event.destinationGLN)
            let (consumed, lots) = event.lotAmounts
            let days = event.harvestDaySpan
            return RecordSummary(
                digest: record.digest, eventID: event.eventID, type: event.type.rawValue,
                eventTime: event.eventTime.description, step: event.bizStepWord,
                signer: signer?.name, signerGLN: signer?.gln,
                location: event.bizLocation?.id ?? event.readPoint?.id, quantity: MovementText.amount(of: event),
                parent: event.type == .aggregationEvent ? event.parentID : nil, action: event.action?.rawValue,
                source: sourceGLN.flatMap { names[ExactText($0)] }, sourceGLN: sourceGLN,
                destination: destinationGLN.flatMap { names[ExactText($0)] }, destinationGLN: destinationGLN,
                lots: Self.nonEmpty(lots), inputLots: Self.nonEmpty(consumed), units: Self.nonEmpty(event.namedUnits),
                disposition: event.disposition.map(EPCISEvent.cbvWord), measurements: Self.nonEmpty(event.measurements),
                plots: Self.nonEmpty(event.plotNames), harvestStart: days?.first, harvestEnd: days?.last, certificate: event.organicClaim,
                reason: event.reason.map { String($0.prefix(EPCISEvent.keptReasonLength)) }, shortfall: shortfalls.isEmpty ? nil : shortfalls[record.digest],
                otherGoods: isOwn[record.index] ? nil : true,
                mark: .trusted
            )
        }
    }

    /// Takes in `findings` about `context`'s bundle: the level, the findings listed, and each
    /// record's mark.
    mutating func judge(by findings: [Finding], in context: VerificationContext) {
        let sorted = Self.inRecordOrder(findings, context)
        self.findings = Self.listed(sorted)
        level = TrustLevel(findings: sorted)  // from every finding, listed or not
        // One mark per digest, worked out once: a bundle may repeat a record thousands of times.
        // Findings about no record mark none; a record no finding names stays trusted, found
        // without hashing its digest when no finding names any (a sound bundle's case).
        let marks = Dictionary(grouping: sorted.filter { $0.record != nil }, by: { $0.record ?? "" }).mapValues(TrustLevel.init(findings:))
        guard !marks.isEmpty else { return }
        for index in records.indices {
            records[index].mark = marks[records[index].digest] ?? .trusted
        }
    }

    private static func nonEmpty<T>(_ list: [T]) -> [T]? { list.isEmpty ? nil : list }

    /// The shortfalls of shipments received short, on the last receipt of each: every receipt
    /// linked to a shipment it names the same lot of, added up in the shipment's dimension.
    private static func shortfalls(_ context: VerificationContext) -> [String: [Shortfall]] {
        // A shipped lot by the shipment's position and the lot's place in its quantities: links
        // are already resolved to positions (``VerificationContext/linkTargets``), so no digest
        // or lot is hashed, nor a key made of the two.
        struct ShippedLot: Hashable { let shipment: Int, element: Int }
        var received: [ShippedLot: (total: Decimal, last: String)] = [:], order: [ShippedLot] = []
        for (position, record) in context.records.enumerated() where record.event.bizStepWord == "receiving" {
            for case let (link, shipment?) in zip(record.event.inputs, context.linkTargets[position]) {
                let shipped = context.records[shipment].event
                guard shipped.bizStepWord == "shipping", let element = shipped.quantityList?.firstIndex(where: { $0.epcClass == link.lot }),
                      let carried = shipped.quantityList?[element], carried.quantity != nil,
                      let got = record.event.quantityList?.first(where: { $0.epcClass == link.lot }), let quantity = got.quantity,
                      UnitOfMeasure.of(got.uom).dimension == UnitOfMeasure.of(carried.uom).dimension else { continue }
                let key = ShippedLot(shipment: shipment, element: element), amount = UnitOfMeasure.of(got.uom).base(quantity)
                if let entry = received[key] {
                    received[key] = (DecimalLayout.sum(entry.total, amount), record.digest)
                } else {
                    order.append(key)
                    received[key] = (amount, record.digest)
                }
            }
        }
        var shortfalls: [String: [Shortfall]] = [:]
        for key in order {
            guard let entry = received[key], let carried = context.records[key.shipment].event.quantityList?[key.element],
                  let carriedQuantity = carried.quantity else { continue }
            let unit = UnitOfMeasure.of(carried.uom)
            let missing = DecimalLayout.difference(unit.base(carriedQuantity), entry.total)
            guard DecimalLayout.isLess(0, than: missing) else { continue }
            shortfalls[entry.last, default: []].append(Shortfall(lot: carried.epcClass, missing: unit.amount(fromBase: missing),
                                                                 shipped: carriedQuantity, uom: carried.uom))
        }
        return shortfalls
    }

    /// ``product`` and ``harvestedFrom``: the names the record that made the subject gives, else
    /// the first record naming its GTIN; and those of every product harvested for it, unless
    /// its own product was harvested.
    private static func productNames(_ context: VerificationContext) -> (own: [String: String]?, from: [[String: String]]?) {
        func gtin(_ identifier: String) -> String? { DigitalLink.gtin(of: identifier)?.value }
        let product = gtin(context.subject)
        var exact: [String: String]?, ofProduct: [String: String]?
        var harvested: [String: [String: String]] = [:], order: [String] = []
        for record in context.subjectRecords where record.event.namesProducts {
            for made in record.event.madeGoods {
                guard let madeProduct = gtin(made) else { continue }
                let names = record.event.names(ofProduct: madeProduct)
                guard !names.isEmpty else { continue }
                if made == context.subject, exact == nil { exact = names }
                if madeProduct == product, ofProduct == nil { ofProduct = names }
                if record.event.isCommissioning, harvested[madeProduct] == nil {
                    order.append(madeProduct)
                    harvested[madeProduct] = names
                }
            }
        }
        let from = order.prefix(5).compactMap { harvested[$0] }
        let ownHarvested = product.map { harvested[$0] != nil } ?? false
        return (exact ?? ofProduct, ownHarvested || from.isEmpty ? nil : from)
    }

    /// `findings` that name no decoded record first, then those about each record in bundle
    /// order; in the checks' order within each.
    private static func inRecordOrder(_ findings: [Finding], _ context: VerificationContext) -> [Finding] {
        guard !findings.isEmpty else { return [] }
        // Records are in bundle order, so their positions order them as the bundle does.
        let order = context.positionByDigest
        return findings.enumerated().sorted { a, b in
            let ia = a.element.record.flatMap { order[$0] } ?? -1, ib = b.element.record.flatMap { order[$0] } ?? -1
            return ia == ib ? a.offset < b.offset : ia < ib
        }.map(\.element)
    }

    /// How many findings of one code a report lists. A hostile bundle may hold one per record:
    /// 100,000 lines of the same problem help no reader, and as text or JSON cost gigabytes.
    public static let maximumListedPerCode = 1_000

    /// `findings` with at most ``maximumListedPerCode`` of each code, the first ones; the rest
    /// counted in one `report.truncated` finding per code and severity, at the end. The level and
    /// the records' marks are worked out from them all.
    static func listed(_ findings: [Finding]) -> [Finding] {
        var seen: [TraceError.Code: Int] = [:]
        var omitted: [(code: TraceError.Code, severity: Finding.Severity, count: Int)] = []
        var listed: [Finding] = []
        for finding in findings {
            let count = (seen[finding.code] ?? 0) + 1
            seen[finding.code] = count
            if count <= maximumListedPerCode {
                listed.append(finding)
            } else if let index = omitted.firstIndex(where: { $0.code == finding.code && $0.severity == finding.severity }) {
                omitted[index].count += 1
            } else {
                omitted.append((finding.code, finding.severity, 1))
            }
        }
        return listed + omitted.map { code, severity, count in
            Finding(.reportTruncated, severity, record: nil,
                    "\(count) more \(code) findings are not listed (a report lists the first \(maximumListedPerCode) of each code)")
        }
    }

    /// The distinct finding codes, for matching in scripts and tests.
    public var codes: Set<String> { Set(findings.map(\.code.rawValue)) }

    /// The report as pretty JSON, the shape `--json` prints.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
