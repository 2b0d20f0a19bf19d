import AgriTrace
import Foundation

/// What to print for a bundle's subject, read from its records: the key (a lot's GTIN and lot, or
/// a logistic unit's SSCC), the record to authenticate (the latest touching the subject), when and
/// where the goods grew (``LotOrigin``: every harvest flowing into the subject, so a blend prints
/// its harvests' whole span), the product's names, the quantity, and the organic certificate.
public struct LabelPlan: Sendable {
    public var content: AuthenticatedLabel.Content
    public var record: String
    public var text: LabelText

    /// `names`: the lot's product's names as the labelling party registered them (vi, en, zh,
    /// th); nil takes them from a harvest of the same product in the bundle.
    public init(bundle: ProvenanceBundle, exporter: String?, names registered: [String]? = nil) throws {
        var events: [(digest: String, event: EPCISEvent)] = []
        for envelope in bundle.records { events.append((envelope.digest, try EPCISEvent.decode(payload: envelope.payload))) }
        guard let latest = events.last(where: { $0.event.concerns(bundle.subject) }) else {
            throw LabelError("label.subject", "no record of the bundle concerns \(bundle.subject)")
        }
        let lots = LotOrigin.lots(flowingInto: bundle.subject, events: events)
        let makers = events.map(\.event).filter { !$0.madeGoods.isEmpty && !$0.createdIdentifiers.isDisjoint(with: lots) }
        let origin = LotOrigin(harvests: makers.filter(\.isCommissioning))
        // The first record naming each product (a harvest, or a transformation's outputs: cuts of
        // beef, a juice), found once: a partner's pallet may hold thousands of products.
        var namedBy: [String: EPCISEvent] = [:]
        for maker in makers where maker.namesProducts {
            for gtin in maker.madeGoods.compactMap(DigitalLink.gtin(of:)) where namedBy[gtin.value] == nil && !maker.names(ofProduct: gtin.value).isEmpty {
                namedBy[gtin.value] = maker
            }
        }
        record = latest.digest
        switch try DigitalLink(parsing: bundle.subject) {
        case .lot(let gtin, let lot):
            // The record that made the lot: its quantity, and the certificate it is sold under (a blend's own claim, not its inputs').
            let maker = events.lazy.compactMap { record in Self.madeQuantity(of: bundle.subject, by: record.event).map { (record.event, $0) } }.first
            let names = registered ?? Self.names(of: gtin.value, in: namedBy[gtin.value], separately: true)
            content = AuthenticatedLabel.Content(gtin: gtin, lot: lot, harvestDate: origin.harvestDateElement, countryOfOrigin: origin.countryElement)
            text = LabelText(names: names, lot: lot, netQuantity: maker.flatMap { made in made.1.quantity.map { UnitOfMeasureName.text($0, made.1.uom) } },
                             harvestDate: origin.harvestDays, organicCertificate: maker?.0.organicClaim, exporter: exporter)
            text.netWords = NetWords(unit: maker?.1.uom)
        case .logisticUnit(let sscc):
            let contents = try Self.contents(of: bundle.subject, events.map(\.event))
            let products = Set(contents.compactMap { DigitalLink.gtin(of: $0.epcClass) }).sorted { $0.value < $1.value }
            // The first few products and lots by name, the rest counted: a label has room for a handful.
            let names = products.prefix(Self.listed).map { Self.names(of: $0.value, in: namedBy[$0.value], separately: false).first ?? "GTIN \($0)" }
                + (products.count > Self.listed ? ["and \(products.count - Self.listed) more products"] : [])
            let lotNumbers = contents.prefix(Self.listed).map { element in
                (try? DigitalLink(parsing: element.epcClass)).flatMap { if case .lot(_, let lot) = $0 { lot } else { nil } } ?? element.epcClass
            }
            let shown = lotNumbers.joined(separator: ", ") + (contents.count > Self.listed ? " and \(contents.count - Self.listed) more" : "")
            content = AuthenticatedLabel.Content(unit: sscc)
            text = LabelText(names: names, lot: shown,
                             netQuantity: Self.total(contents), harvestDate: origin.harvestDays, exporter: exporter)
            text.sscc = sscc.value
            text.netWords = NetWords(unit: contents.first?.uom)
        default:
            throw LabelError("label.subject", "labels are printed for lots and logistic units (SSCC); \(bundle.subject) is neither")
        }
        if origin.countries != ["VN"] {
            text.origin = origin.countries.isEmpty ? "Origin not stated · Không rõ xuất xứ"
                : "Origin / Xuất xứ: " + origin.countries.sorted().joined(separator: ", ")
        }
    }

    /// The products and lots a unit's label names before it counts the rest.
    static let listed = 3

    /// The quantity element with which `event` makes `lot`: a harvest's, or a transformation's output.
    static func madeQuantity(of lot: String, by event: EPCISEvent) -> QuantityElement? {
        if event.isCommissioning { return event.quantityList?.first { $0.epcClass == lot } }
        if event.type == .transformationEvent { return event.outputQuantityList?.first { $0.epcClass == lot } }
        return nil
    }

    /// Product `gtin`'s names from the record that made it (a harvest, a transformation), (vi, en,
    /// zh, th): one line each, or one line `vi · en` for a unit's list of products; none when no
    /// record names it (a blend recorded without its product's names).
    static func names(of gtin: String, in maker: EPCISEvent?, separately: Bool) -> [String] {
        let names = maker?.names(ofProduct: gtin) ?? [:]
        let lines = (separately ? ["vi", "en", "zh", "th"] : ["vi", "en"]).compactMap { names[$0] }
        return separately || lines.isEmpty ? lines : [lines.joined(separator: " · ")]
    }


    /// What the packings of `unit` put into it. A unit unpacked since holds nothing to label.
    static func contents(of unit: String, _ events: [EPCISEvent]) throws -> [QuantityElement] {
        let packings = events.filter { $0.type == .aggregationEvent && $0.parentID == unit }
        if let unpacked = packings.last, unpacked.action == .delete {
            throw LabelError("label.subject", "\(unit) was unpacked on \(unpacked.eventTime.description.prefix(10)): it holds nothing to label")
        }
        return packings.filter { $0.action == .add }.flatMap { ($0.childQuantityList ?? []) + ($0.childEPCs ?? []).map { QuantityElement(epcClass: $0) } }
    }

    /// The contents' total, when they all state a quantity in one unit (`600 kg`); nil otherwise.
    static func total(_ contents: [QuantityElement]) -> String? {
        guard let uom = contents.first?.uom, contents.allSatisfy({ $0.uom == uom && $0.quantity != nil }) else { return nil }
        return UnitOfMeasureName.text(contents.reduce(Decimal(0)) { $0 + ($1.quantity ?? 0) }, uom)
    }
}
