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
        let parties = try workspace.registry.partyNames().bySigner
        // A partner's product (known from its bundle, not registered here) is named by its harvest record.
        var names = try ProductNames(workspace: workspace)
        // A logistic unit's rows name the products packed into it (its packing may be outside the window).
        var unitContents: [String: String] = [:]
        func unitProducts(_ unit: String) throws -> String {
            if let known = unitContents[unit] { return known }
            let packings = try workspace.registry.records(Set(workspace.registry.digests(concerning: unit)))
                .filter { $0.event.type == .aggregationEvent && $0.event.action == .add && $0.event.parentID == unit }
            let lots = packings.flatMap { ($0.event.childQuantityList ?? []).map(\.epcClass) + ($0.event.childEPCs ?? []) }
            let products = try Set(lots.map { try names.name(of: $0) }.filter { !$0.isEmpty }).sorted().joined(separator: " + ")
            unitContents[unit] = products
            return products
        }
        var lines = [header.joined(separator: ",")]
        for record in records {
            let event = record.event
            let quantity = event.headlineQuantity
            let lot = quantity?.epcClass ?? event.identifiers.first ?? ""
            let ownName = event.isCommissioning ? event.extensions["agt:productName"]?["en"]?.stringValue : nil  // a harvest names its product
            let product = try DigitalLink.isLogisticUnit(lot) ? unitProducts(lot)
                : names.registered[ProductNames.gtin(of: lot)] ?? ownName ?? names.name(of: lot)
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

    /// A CSV field, quoted when it holds a comma, quote or line break; a leading =, +, -, @, tab
    /// or carriage return is defused so spreadsheets do not run it as a formula. Decided by bytes,
    /// as a spreadsheet reads them: `=` followed by a combining mark is one Swift `Character` that
    /// is not `=`, and `\r\n` one that is neither `\r` nor `\n`.
    static func field(_ value: String) -> String {
        var bytes = Array(value.utf8)
        if let first = bytes.first, formulaStarts.contains(first), Decimal(wholeText: value) == nil { bytes.insert(UInt8(ascii: "'"), at: 0) }  // "-2+cmd|…" is no number
        guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var quoted: [UInt8] = [UInt8(ascii: "\"")]
        for byte in bytes {
            quoted.append(byte)
            if byte == UInt8(ascii: "\"") { quoted.append(byte) }
        }
        quoted.append(UInt8(ascii: "\""))
        return String(decoding: quoted, as: UTF8.self)
    }

    private static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]
}
