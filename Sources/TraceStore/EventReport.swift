import AgriTrace
import Foundation

/// The tracking-event spreadsheet a regulator's records request asks for, as CSV (RFC 4180):
/// one row per lot an event names, with the event's key data, so that sorting by lot code finds
/// every event of a lot. A shipment of three lots is three rows; a transformation's input and
/// output lots are rows of their own (`lot_role` `input`, `output`); a packing or unpacking names
/// the logistic unit (`unit`) and each lot in it (`content`). A harvest's rows say when and where
/// it was harvested (`harvest_start`, `harvest_end`, `plots`); an inspection's, a lab test's and a
/// carrier's log say what was measured (`measurements`: `moisture 17.8 %; HMF 12.4 mg/kg`,
/// `temperature 2.8 to 5.1 °C (48 readings, …)`).
public enum EventReport {
    public static let header = ["event_time", "event_type", "step", "lot", "lot_role", "product", "quantity", "unit", "location",
                                "party", "source", "destination", "documents", "record", "disposition", "reason",
                                "harvest_start", "harvest_end", "plots", "measurements"]

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
            let packings = try workspace.registry.read { try $0.packings(of: unit) }
            let lots = packings.flatMap { ($0.event.childQuantityList ?? []).map(\.epcClass) + ($0.event.childEPCs ?? []) }
            let products = try Set(lots.map { try names.name(of: $0) }.filter { !$0.isEmpty }).sorted().joined(separator: " + ")
            unitContents[unit] = products
            return products
        }
        var lines = [header.joined(separator: ",")]
        for record in records {
            let event = record.event
            // A harvest or a transformation names the products it makes (a transformation's inputs are others).
            let named: Set<String> = event.namesProducts ? Set(event.madeGoods) : []
            let location: String = event.bizLocation?.id ?? event.readPoint?.id ?? ""
            let party: String = parties[record.signerKeyid] ?? record.signerKeyid
            let documents: String = (event.bizTransactionList ?? []).map(\.bizTransaction).joined(separator: " ")
            let harvest = event.harvestOrigin
            let grown = [harvest.firstDay ?? "", harvest.lastDay ?? "", event.isCommissioning ? event.plotNames.joined(separator: "; ") : ""]
            let measured = StepFacts.summaries(of: event.measurements).joined(separator: "; ")
            for row in rows(of: event) {
                let product = try DigitalLink.isLogisticUnit(row.lot) ? unitProducts(row.lot)
                    : names.registered[ProductNames.gtin(of: row.lot)] ?? (named.contains(row.lot) ? event.names(ofProduct: ProductNames.gtin(of: row.lot))["en"] : nil) ?? names.name(of: row.lot)
                var fields: [String] = [event.eventTime.description, event.type.rawValue, event.bizStepWord ?? "", row.lot, row.role, product]
                fields += [row.amount?.quantity.map { "\($0)" } ?? "", row.amount?.uom ?? "", location, party, event.sourceList?.first?.source ?? ""]
                fields += [event.destinationList?.first?.destination ?? "", documents, record.digest]
                fields += [event.disposition.map(EPCISEvent.cbvWord) ?? "", event.reason ?? ""]  // an inspection's result, a recall and why
                fields += grown + [measured]
                lines.append(fields.map(field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The rows of one event: each lot or other identifier it names, with its amount where it
    /// states one and its part in the event; one row with no lot for an event that names none.
    static func rows(of event: EPCISEvent) -> [(lot: String, role: String, amount: QuantityElement?)] {
        func named(_ elements: [QuantityElement]?, _ ids: [String]?, _ role: String) -> [(lot: String, role: String, amount: QuantityElement?)] {
            (elements ?? []).map { ($0.epcClass, role, $0) } + (ids ?? []).map { ($0, role, nil) }
        }
        let rows = switch event.type {
        case .transformationEvent:
            named(event.inputQuantityList, event.inputEPCList, "input") + named(event.outputQuantityList, event.outputEPCList, "output")
        case .aggregationEvent:
            named(nil, event.parentID.map { [$0] }, "unit") + named(event.childQuantityList, event.childEPCs, "content")
        default:
            named(event.quantityList, event.epcList, "")
        }
        return rows.isEmpty ? [("", "", nil)] : rows
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
