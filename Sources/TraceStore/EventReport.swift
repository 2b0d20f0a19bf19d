import AgriTrace
import Foundation

/// The tracking-event spreadsheet a regulator's records request asks for: one row per event
/// with its key data, sortable, as CSV (RFC 4180).
public enum EventReport {
    public static let header = ["event_time", "event_type", "step", "lot", "product", "quantity", "unit", "location",
                                "party", "source", "destination", "documents", "record"]

    /// The CSV for every stored event with `from <= time < to`.
    public static func csv(workspace: Workspace, from: Date?, to: Date?) throws -> String {
        let records = try workspace.registry.records(from: from, to: to)
        let (certificates, _) = try workspace.registry.certificatesAndCRLs()
        let parties = Dictionary(certificates.map { ($0.fingerprint.hexString, $0.partyName) }, uniquingKeysWith: { a, _ in a })
        var names: [String: String] = [:]
        try workspace.registry.transaction { tx in
            for product in try tx.products() { names[product.gtin.value] = product.nameEn }
        }
        var lines = [header.joined(separator: ",")]
        for record in records {
            let event = record.event
            let quantity = event.headlineQuantity
            let lot = quantity?.epcClass ?? event.identifiers.first ?? ""
            let gtin = lot.range(of: "/01/").map { String(lot[$0.upperBound...].prefix(14)) } ?? ""
            let product: String = names[gtin] ?? event.extensions["agt:productName"]?["en"]?.stringValue ?? ""
            let amount: String = quantity?.quantity.map { "\($0)" } ?? ""
            let location: String = event.bizLocation?.id ?? event.readPoint?.id ?? ""
            let party: String = parties[record.signerKeyid] ?? record.signerKeyid
            let documents: String = (event.bizTransactionList ?? []).map(\.bizTransaction).joined(separator: " ")
            var row: [String] = [event.eventTime.description, event.type.rawValue, event.bizStepWord ?? "", lot, product, amount]
            row += [quantity?.uom ?? "", location, party, event.sourceList?.first?.source ?? ""]
            row += [event.destinationList?.first?.destination ?? "", documents, record.digest]
            lines.append(row.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A CSV field, quoted when it holds a comma, quote or line break; a leading =, +, - or @
    /// is defused so spreadsheets do not run it as a formula.
    static func field(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first), Decimal(wholeText: value) == nil { value = "'" + value }  // "-2+cmd|…" is no number
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
