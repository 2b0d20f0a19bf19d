import AgriTrace
import Foundation
import TraceCrypto
import TraceStore

/// Harvests from a cooperative's spreadsheet (CSV). Every row is parsed and checked before
/// anything is signed; then all rows are recorded in one transaction, so a crash or a refusal
/// leaves nothing half-written.
struct BulkHarvest {
    let recorder: EventRecorder
    /// Broken rows listed in a refusal; the rest are counted.
    static let problemsShown = 100

    /// A spreadsheet refused for its broken rows: the error, and one line per row saying where
    /// and what (printed one under another, not run together on one line).
    struct BrokenRows: Error, CustomStringConvertible {
        let error: TraceError
        let rows: [String]
        var description: String { error.description }
    }
    /// The largest sheet read: some 500,000 rows, held whole in memory several times over.
    static let maximumBytes = 64 << 20

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
        let data: Data
        do { data = try RegularFile.read(file, limit: Self.maximumBytes) } catch {
            throw TraceError("csv.unreadable", "cannot read \(file.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TraceError("csv.unreadable", "cannot read \(file.path) as UTF-8 text (save it as \"CSV UTF-8\")")
        }
        let table: CSVTable
        do { table = try CSVTable(text: text) } catch let error as TraceError {
            throw TraceError(error.code, "\(file.lastPathComponent): \(error.message)")
        }
        let header = table.header
        let required = ["gtin", "lot", "quantity", "harvest_date"]
        for column in required where !header.contains(column) { throw TraceError("csv.malformed", "\(file.lastPathComponent): no '\(column)' column in the header") }
        func column(_ name: String, _ fields: [String]) -> String? {
            header.firstIndex(of: name).flatMap { $0 < fields.count ? CSVTable.trimmed(fields[$0]) : nil }.flatMap { $0.isEmpty ? nil : $0 }
        }
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
        guard problems.isEmpty else {
            // The first hundred say what is wrong; a whole broken sheet would bury the screen.
            let shown = problems.prefix(Self.problemsShown) + (problems.count > Self.problemsShown ? ["… and \(problems.count - Self.problemsShown) more"] : [])
            throw BrokenRows(error: TraceError("csv.malformed", "\(file.lastPathComponent) has \(problems.count) broken row(s); nothing was written:"),
                             rows: Array(shown))
        }
        return rows
    }
}
