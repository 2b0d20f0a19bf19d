import AgriTrace
import Foundation

/// What to print for a bundle's subject, read from its records: GTIN and lot, the record to
/// authenticate (the latest touching the subject), when and where the goods grew (``LotOrigin``:
/// every harvest flowing into the lot, so a blend prints its harvests' whole span), the product's
/// names, the lot's quantity as it was made (harvested or transformed), and the certificate.
public struct LabelPlan: Sendable {
    public var content: AuthenticatedLabel.Content
    public var record: String
    public var text: LabelText

    /// `names`: the product's names as the labelling party registered them (vi, en, zh, th);
    /// nil takes them from a harvest of the same product in the bundle.
    public init(bundle: ProvenanceBundle, exporter: String?, names registered: [String]? = nil) throws {
        guard case .lot(let gtin, let lot) = try DigitalLink(parsing: bundle.subject) else {
            throw LabelError("label.subject", "labels are printed for lots; \(bundle.subject) is not a GTIN with a lot")
        }
        var events: [(digest: String, event: EPCISEvent)] = []
        for envelope in bundle.records { events.append((envelope.digest, try EPCISEvent.decode(payload: envelope.payload))) }
        guard let latest = events.last(where: { $0.event.concerns(bundle.subject) }) else {
            throw LabelError("label.subject", "no record of the bundle concerns \(bundle.subject)")
        }
        let lots = LotOrigin.lots(flowingInto: bundle.subject, events: events)
        let origin = LotOrigin(lots: lots, events: events.map(\.event))
        let harvests = events.map(\.event).filter { $0.isCommissioning && !$0.createdIdentifiers.isDisjoint(with: lots) }
        // The subject's own harvest, else one of the same product (a blend's inputs).
        let ownHarvest = harvests.first { $0.createdIdentifiers.contains(bundle.subject) }
        let sameProduct = ownHarvest ?? harvests.first { harvest in
            harvest.createdIdentifiers.contains { (try? DigitalLink(parsing: $0)).map { if case .lot(gtin, _) = $0 { true } else { false } } ?? false }
        }
        let names = sameProduct?.extensions["agt:productName"]?.objectValue ?? [:]
        // The record that made the lot: its quantity, and the certificate it is sold under (a blend's own claim, not its inputs').
        let maker = events.lazy.compactMap { record in Self.madeQuantity(of: bundle.subject, by: record.event).map { (record.event, $0) } }.first
        let made = maker?.1
        content = AuthenticatedLabel.Content(gtin: gtin, lot: lot, harvestDate: origin.harvestDateElement, countryOfOrigin: origin.countryElement)
        record = latest.digest
        var text = LabelText(names: registered ?? ["vi", "en", "zh", "th"].compactMap { names[$0]?.stringValue }, lot: lot,
                             netQuantity: made.flatMap { q in q.quantity.map { UnitOfMeasureName.text($0, q.uom) } },
                             harvestDate: origin.harvestDays, organicCertificate: maker?.0.organicClaim, exporter: exporter)
        text.netWords = NetWords(unit: made?.uom)
        if origin.countries != ["VN"] {
            text.origin = origin.countries.isEmpty ? "Origin not stated · Không rõ xuất xứ"
                : "Origin / Xuất xứ: " + origin.countries.sorted().joined(separator: ", ")
        }
        self.text = text
    }

    /// The quantity element with which `event` makes `lot`: a harvest's, or a transformation's output.
    static func madeQuantity(of lot: String, by event: EPCISEvent) -> QuantityElement? {
        if event.isCommissioning { return event.quantityList?.first { $0.epcClass == lot } }
        if event.type == .transformationEvent { return event.outputQuantityList?.first { $0.epcClass == lot } }
        return nil
    }
}
