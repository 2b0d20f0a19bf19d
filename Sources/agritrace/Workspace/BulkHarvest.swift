import AgriTrace
import Foundation
import TraceCrypto
import TraceStore

/// Harvests from a cooperative's spreadsheet (CSV). Every row is parsed and checked before
/// anything is signed; then all rows are recorded in one transaction, so a crash or a refusal
/// leaves nothing half-written.
struct BulkHarvest {
    let recorder: EventRecorder

    struct Row {
        var line: Int
        var gtin: GTIN
        var lot: String
        var quantity: Decimal
        var unit: String?
        var plots: [String]
        var date: String
        var endDate: String?
        var certificate: String?
    }

    /// Registers every row of `file`; returns how many, and the organic certificates they claim.
    func run(file: URL, progress: (Int, Int) -> Void) throws -> (count: Int, certificates: Set<String>) {
        let rows = try parse(file)
        try recorder.harvestAll(rows.map { row in
            EventRecorder.HarvestRequest(gtin: row.gtin, lot: row.lot, quantity: row.quantity, unit: row.unit, plots: row.plots,
                                         harvestDate: row.date, harvestEndDate: row.endDate, organicCertificate: row.certificate)
        }, progress: progress)
        return (rows.count, Set(rows.compactMap(\.certificate)))
    }

    private func parse(_ file: URL) throws -> [Row] {
        let table = try CSVTable.read(file, requiring: ["gtin", "lot", "quantity", "harvest_date"])
        let header = table.header
        let column = table.value
        // Plots are listed with a separator the file's own does not use.
        let plotSeparators: Set<Character> = table.separator == UInt8(ascii: ";") ? [",", "|"] : [";", "|"]
        var rows: [Row] = [], problems: [String] = []
        for row in table.rows {
            let fields = row.fields
            do {
                guard fields.count <= header.count else { throw TraceError("csv.malformed", "\(fields.count) fields, the header has \(header.count)") }
                guard let gtin = column("gtin", fields), let lot = column("lot", fields), let quantityText = column("quantity", fields),
                      let date = column("harvest_date", fields) else { throw TraceError("csv.malformed", "gtin, lot, quantity and harvest_date are required") }
                guard let quantity = Decimal(wholeText: quantityText, decimalMark: table.decimalMark), quantity > 0 else {
                    let mark = table.decimalMark == UInt8(ascii: ",") ? "a comma" : "a point"
                    throw TraceError("csv.malformed", "quantity '\(quantityText)' is not a positive number (at most 15 digits, with \(mark) as the decimal mark)")
                }
                rows.append(Row(line: row.line, gtin: try GTIN(gtin), lot: try DigitalLink.checkedAI82(lot, ai: "10", max: 20), quantity: quantity,
                                unit: column("unit", fields), plots: column("plots", fields)?.split(whereSeparator: plotSeparators.contains).map {
                                    CSVTable.trimmed(String($0))
                                } ?? [],
                                date: date, endDate: column("harvest_end_date", fields), certificate: column("organic_certificate", fields)))
            } catch {
                problems.append("line \(row.line): \(error)")
            }
        }
        let lots = Dictionary(grouping: rows, by: { "\($0.gtin)/\($0.lot)" }).filter { $0.value.count > 1 }
        for (lot, duplicates) in lots { problems.append("lines \(duplicates.map { String($0.line) }.joined(separator: ", ")): lot \(lot) appears more than once") }
        guard problems.isEmpty else { throw CSVTable.BrokenRows(file: file, problems: problems) }
        return rows
    }
}
