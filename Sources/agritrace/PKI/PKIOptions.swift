import AgriTrace
import ArgumentParser
import Foundation

/// Parses an ISO 8601 time given on the command line.
func parseTime(_ text: String, option: String) throws -> Date {
    if let date = CalendarDay.instant(text) { return date }
    throw TraceError("argument.invalid", "\(option) \(text) is not an ISO 8601 time such as 2026-06-01T00:00:00Z")
}
