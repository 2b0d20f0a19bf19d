import Foundation
import TraceCrypto

/// Proleptic Gregorian dates as day counts since 1970-01-01 and back (Howard Hinnant's
/// algorithms): exact integer arithmetic, no `Calendar`, which costs microseconds per call and
/// is called for every event time read or written.
enum CivilCalendar {
    /// Days since 1970-01-01 of year-month-day; days past the month's end run into the next month.
    static func days(year y: Int, month m: Int, day d: Int) -> Int {
        let year = m <= 2 ? y - 1 : y
        let era = (year >= 0 ? year : year - 399) / 400
        let yoe = year - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The days of `month` (1…12) in `year`.
    static func daysInMonth(year: Int, month: Int) -> Int {
        days(year: month == 12 ? year + 1 : year, month: month == 12 ? 1 : month + 1, day: 1) - days(year: year, month: month, day: 1)
    }

    /// Year, month and day of a day count since 1970-01-01.
    static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmm` followed by `suffix` (`Z`, `+07:00`): for a year of four digits
    /// written digit by digit into one string, for any other year (never in real data) by ``pad(_:_:)``.
    static func timestampText(year: Int, month: Int, day: Int, secondOfDay: Int, millis: Int, suffix: String) -> String {
        guard (0...9999).contains(year) else {
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):"
                + "\(pad(secondOfDay % 60, 2)).\(pad(millis, 3))\(suffix)"
        }
        return suffix.withUTF8Bytes { tail in
            String(unsafeUninitializedCapacity: timestampLength + tail.count) { text in
                writeTimestamp(year: year, month: month, day: day, secondOfDay: secondOfDay, millis: millis, into: text) + copy(tail, into: text, at: timestampLength)
            }
        }
    }

    /// ``timestampText(year:month:day:secondOfDay:millis:suffix:)`` appended to `out`, without
    /// making a string of it (a pre-hash writes every event's time).
    static func appendTimestamp(year: Int, month: Int, day: Int, secondOfDay: Int, millis: Int, suffix: StaticString, into out: inout [UInt8]) {
        guard (0...9999).contains(year) else {
            return out.append(utf8Of: timestampText(year: year, month: month, day: day, secondOfDay: secondOfDay, millis: millis, suffix: "\(suffix)"))
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: timestampLength) { text in
            _ = writeTimestamp(year: year, month: month, day: day, secondOfDay: secondOfDay, millis: millis, into: text)
            out.append(contentsOf: text)
        }
        out.append(contentsOf: UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount))
    }

    /// The bytes of `YYYY-MM-DDTHH:MM:SS.mmm`.
    private static let timestampLength = 23

    /// Writes `YYYY-MM-DDTHH:MM:SS.mmm` for a year of four digits at the start of `text`; its length.
    private static func writeTimestamp(year: Int, month: Int, day: Int, secondOfDay: Int, millis: Int,
                                       into text: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var index = 0
        func put(_ value: Int, _ width: Int, then separator: UInt8?) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                text[index] = UInt8(48 + value / divisor % 10)
                index += 1
                divisor /= 10
            }
            if let separator { text[index] = separator; index += 1 }
        }
        put(year, 4, then: 45); put(month, 2, then: 45); put(day, 2, then: 84)
        put(secondOfDay / 3600, 2, then: 58); put(secondOfDay / 60 % 60, 2, then: 58); put(secondOfDay % 60, 2, then: 46)
        put(millis, 3, then: nil)
        return index
    }

    /// Copies `bytes` into `text` from `start`; their count.
    private static func copy(_ bytes: UnsafeBufferPointer<UInt8>, into text: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        UnsafeMutableBufferPointer(rebasing: text[start...]).initialize(fromContentsOf: bytes)
    }

    /// Zero-padded decimal digits.
    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.utf8.count >= width ? digits : String(repeating: "0", count: width - digits.utf8.count) + digits
    }
}

/// A calendar day written `YYYY-MM-DD`, as harvest dates and certificate validity are.
public enum CalendarDay {
    /// Midnight UTC of `text`, if it is `YYYY-MM-DD` and a day that exists: no 30 February,
    /// which Foundation's ISO 8601 reading rolls over into March.
    public static func midnight(_ text: String) -> Date? {
        text.withUTF8Bytes(midnight)  // read in place: every harvest of a verification asks this
    }

    private static func midnight(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month),
              (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        return Date(timeIntervalSince1970: Double(CivilCalendar.days(year: year, month: month, day: day)) * 86_400)
    }

    /// An ISO 8601 time a person typed (`2026-06-01T00:00:00Z`, `…+07:00`), on a day and at a
    /// time of day that exist: Foundation's reading alone rolls 30 February into March and
    /// `T25:00` into the next day.
    public static func instant(_ text: String) -> Date? {
        if let time = try? EPCISTime(parsing: text) { return time.date }
        guard midnight(String(text.prefix(10))) != nil, clockExists(Array(text.utf8)) else { return nil }
        return try? Date(text, strategy: .iso8601)
    }

    /// Whether `hh:mm[:ss]` after the date's `T` is an hour, minute and second a clock shows.
    private static func clockExists(_ bytes: [UInt8]) -> Bool {
        func number(_ at: Int) -> Int? {
            guard at + 1 < bytes.count, (48...57).contains(bytes[at]), (48...57).contains(bytes[at + 1]) else { return nil }
            return Int(bytes[at] - 48) * 10 + Int(bytes[at + 1] - 48)
        }
        guard let hour = number(11), hour < 24, let minute = number(14), minute < 60 else { return false }
        guard bytes.count > 16, bytes[16] == UInt8(ascii: ":") else { return true }
        return number(17).map { $0 < 61 } ?? false
    }
}
