import AgriTrace
import Foundation

/// A data logger's readings saved as CSV: a `time` and a `temperature` column (°C), one row per
/// reading. A time without a zone offset (`2026-04-25 06:00`, as loggers write it) is in the
/// workspace's zone. Every row is checked before anything is signed; broken rows are listed by line.
enum TemperatureLog {
    static func readings(in file: URL, offsetMinutes: Int) throws -> [TemperatureReading] {
        let table = try CSVTable.read(file, requiring: ["time", "temperature"])
        var readings: [TemperatureReading] = [], problems: [String] = []
        for row in table.rows {
            do {
                guard row.fields.count <= table.header.count else {
                    throw TraceError("csv.malformed", "\(row.fields.count) fields, the header has \(table.header.count)")
                }
                guard let timeText = table.value("time", row.fields), let celsiusText = table.value("temperature", row.fields) else {
                    throw TraceError("csv.malformed", "time and temperature are required")
                }
                guard let celsius = Decimal(wholeText: celsiusText, decimalMark: table.decimalMark) else {
                    throw TraceError("csv.malformed", "temperature '\(celsiusText.prefix(40))' is not a number of degrees Celsius")
                }
                readings.append(TemperatureReading(celsius: celsius, time: try time(timeText, offsetMinutes: offsetMinutes)))
            } catch {
                problems.append("line \(row.line): \(error)")
            }
        }
        guard problems.isEmpty else { throw CSVTable.BrokenRows(file: file, problems: problems) }
        guard !readings.isEmpty else { throw TraceError("csv.malformed", "\(file.lastPathComponent) holds no readings") }
        return readings
    }

    /// `2026-04-25T06:00:00+07:00`, `2026-04-25 06:00:00` or `2026-04-25 06:00` (in the zone of
    /// `offsetMinutes`), as the record writes times.
    static func time(_ text: String, offsetMinutes: Int) throws -> EPCISTime {
        var text = text
        if text.utf8.count > 10, text.utf8.dropFirst(10).first == UInt8(ascii: " ") {  // a space for the T
            text = String(text.prefix(10)) + "T" + String(text.dropFirst(11))
        }
        if text.utf8.count == 16 { text += ":00" }  // minutes only
        let afterSeconds = text.utf8.dropFirst(19)
        if text.utf8.count >= 19, !afterSeconds.contains(where: { [UInt8(ascii: "Z"), UInt8(ascii: "z"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains($0) }) {
            text += EPCISTime.offsetText(offsetMinutes)
        }
        guard let parsed = try? EPCISTime(parsing: text) else {
            throw TraceError("csv.malformed", "time '\(text.prefix(40))' is not a time such as 2026-04-25 06:00 or 2026-04-25T06:00:00+07:00")
        }
        return EPCISTime(date: parsed.date, offsetMinutes: parsed.offsetMinutes)
    }
}
