import AgriTrace
import Foundation
import TraceCrypto

/// A spreadsheet saved as CSV, read the way cooperatives' office programs write it: quoted
/// fields as RFC 4180 has them (`"Lũng Pù, upper slope"`, `""` for a quote inside), LF or CRLF
/// line ends, a UTF-8 byte order mark (Excel's "CSV UTF-8") ignored, and the field separator the
/// header line uses: a comma, or a semicolon, as spreadsheets write where the decimal mark is a
/// comma (Vietnamese Excel writes `1200,5;2026-04-10`).
struct CSVTable {
    /// One row of fields, with the line of the file it starts on.
    struct Row {
        var line: Int
        var fields: [String]
    }

    let separator: UInt8
    /// The header's column names, trimmed and in lower case.
    let header: [String]
    /// The rows after the header, blank lines left out.
    let rows: [Row]

    /// The decimal mark numbers in this file use: a comma when fields are separated by
    /// semicolons, else a point.
    var decimalMark: UInt8 { separator == UInt8(ascii: ";") ? UInt8(ascii: ",") : UInt8(ascii: ".") }

    /// The largest sheet read: some 500,000 rows, held whole in memory several times over.
    static let maximumBytes = 64 << 20

    /// The sheet in `file`, whose header must name every column of `required`; what is wrong
    /// with the file is said with its name (`csv.unreadable`, `csv.malformed`).
    static func read(_ file: URL, requiring required: [String]) throws -> CSVTable {
        let data: Data
        do { data = try RegularFile.read(file, limit: maximumBytes) } catch {
            throw TraceError("csv.unreadable", "cannot read \(file.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TraceError("csv.unreadable", "cannot read \(file.path) as UTF-8 text (save it as \"CSV UTF-8\")")
        }
        let table: CSVTable
        do { table = try CSVTable(text: text) } catch let error as TraceError {
            throw TraceError(error.code, "\(file.lastPathComponent): \(error.message)")
        }
        for column in required where !table.header.contains(column) {
            throw TraceError("csv.malformed", "\(file.lastPathComponent): no '\(column)' column in the header")
        }
        return table
    }

    /// A row's value in the column named `name`, trimmed; nil when the column or the value is missing.
    func value(_ name: String, _ fields: [String]) -> String? {
        header.firstIndex(of: name).flatMap { $0 < fields.count ? Self.trimmed(fields[$0]) : nil }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A sheet refused for its broken rows: the error, and one line per row saying where and
    /// what (printed one under another, not run together on one line); the first hundred, for a
    /// whole broken sheet would bury the screen.
    struct BrokenRows: Error, CustomStringConvertible {
        static let shown = 100
        let error: TraceError
        let rows: [String]
        var description: String { error.description }

        init(file: URL, problems: [String]) {
            error = TraceError("csv.malformed", "\(file.lastPathComponent) has \(problems.count) broken row(s); nothing was written:")
            rows = Array(problems.prefix(Self.shown)) + (problems.count > Self.shown ? ["… and \(problems.count - Self.shown) more"] : [])
        }
    }

    init(text: String) throws {
        var bytes = Substring(text).utf8[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        separator = Self.separator(of: bytes)
        var rows = try Self.rows(of: bytes, separator: separator)
        guard !rows.isEmpty else { throw TraceError("csv.malformed", "the file is empty") }
        header = rows.removeFirst().fields.map { Self.trimmed($0).lowercased() }
        self.rows = rows
    }

    /// `field` without the spaces (Unicode's and tabs) around it, as `trimmingCharacters(in:
    /// .whitespaces)` gives it; a field that starts and ends with printable ASCII, as nearly all
    /// do, is returned without going through Foundation (a sheet has hundreds of thousands).
    static func trimmed(_ field: String) -> String {
        if let first = field.utf8.first, let last = field.utf8.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) { return field }
        return field.trimmingCharacters(in: .whitespaces)
    }

    /// `;` when the first line holds more semicolons than commas outside quotes, else `,`.
    private static func separator(of bytes: Substring.UTF8View.SubSequence) -> UInt8 {
        var quoted = false, commas = 0, semicolons = 0
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if quoted { continue }
            if byte == UInt8(ascii: "\n") { break }
            if byte == UInt8(ascii: ",") { commas += 1 } else if byte == UInt8(ascii: ";") { semicolons += 1 }
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    private static func rows(of bytes: Substring.UTF8View.SubSequence, separator: UInt8) throws -> [Row] {
        var rows: [Row] = [], fields: [String] = [], field: [UInt8] = []
        var line = 1, rowLine = 1, quoted = false, wasQuoted = false
        var index = bytes.startIndex
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRow() {
            endField()
            if fields.count > 1 || !trimmed(fields[0]).isEmpty { rows.append(Row(line: rowLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
            rowLine = line
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            index = bytes.index(after: index)
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index = bytes.index(after: index)
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where field.allSatisfy({ $0 == UInt8(ascii: " ") }) && !wasQuoted:
                field.removeAll()
                quoted = true
                wasQuoted = true
            case separator:
                endField()
            case UInt8(ascii: "\r") where index < bytes.endIndex && bytes[index] == UInt8(ascii: "\n"):
                continue
            case UInt8(ascii: "\n"):
                line += 1
                endRow()
            default:
                field.append(byte)
            }
        }
        if quoted { throw TraceError("csv.malformed", "line \(rowLine): a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }
}
