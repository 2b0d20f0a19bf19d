import AgriTrace
import ArgumentParser
import Foundation

/// The start of a day given on the command line (`YYYY-MM-DD`) in a time zone `offsetMinutes`
/// east of UTC — the party's own, as its events' times are written — or a full ISO 8601 time.
func parseDayStart(_ text: String, option: String, offsetMinutes: Int) throws -> Date {
    guard text.count == 10 else { return try parseTime(text, option: option) }
    return try parseTime("\(text)T00:00:00Z", option: option).addingTimeInterval(-TimeInterval(offsetMinutes * 60))
}

/// Parses an ISO 8601 time given on the command line.
func parseTime(_ text: String, option: String) throws -> Date {
    if let date = CalendarDay.instant(text) { return date }
    throw TraceError("argument.invalid", "\(option) \(text) is not an ISO 8601 time such as 2026-06-01T00:00:00Z")
}
