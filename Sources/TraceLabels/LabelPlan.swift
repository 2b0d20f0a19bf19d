import AgriTrace
import Foundation

/// What to print for a bundle's subject, read from its records: GTIN and lot, the record to
/// authenticate (the latest touching the subject), harvest date, names, quantity, certificate.
public struct LabelPlan: Sendable {
    public var content: AuthenticatedLabel.Content
    public var record: String
    public var text: LabelText

    public init(bundle: ProvenanceBundle, exporter: String?) throws {
        guard case .lot(let gtin, let lot) = try DigitalLink(parsing: bundle.subject) else {
            throw LabelError("label.subject", "labels are printed for lots; \(bundle.subject) is not a GTIN with a lot")
        }
        var events: [(digest: String, event: EPCISEvent)] = []
        for envelope in bundle.records { events.append((envelope.digest, try EPCISEvent.decode(payload: envelope.payload))) }
        guard let latest = events.last(where: { $0.event.concerns(bundle.subject) }) else {
            throw LabelError("label.subject", "no record of the bundle concerns \(bundle.subject)")
        }
        let harvest = events.first { $0.event.isCommissioning && $0.event.concerns(bundle.subject) }?.event
            ?? events.first { $0.event.isCommissioning }?.event
        let day = harvest?.ilmd?["cbvmda:harvestStartDate"]?.stringValue
        let names = harvest?.extensions["agt:productName"]?.objectValue ?? [:]
        let quantity = harvest?.quantityList?.first.flatMap { q in q.quantity.map { UnitOfMeasureName.text($0, q.uom) } }
        content = AuthenticatedLabel.Content(gtin: gtin, lot: lot, harvestDate: day.flatMap(Self.yymmdd))
        record = latest.digest
        text = LabelText(names: ["vi", "en", "zh", "th"].compactMap { names[$0]?.stringValue }, lot: lot, netQuantity: quantity,
                         harvestDate: day, organicCertificate: harvest?.organicClaim, exporter: exporter)
    }

    /// `2026-04-10` as `260410`.
    static func yymmdd(_ day: String) -> String? {
        let digits = day.filter(\.isNumber)
        return digits.count == 8 ? String(digits.dropFirst(2)) : nil
    }
}
