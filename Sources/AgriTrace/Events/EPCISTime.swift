import Foundation

/// An EPCIS time: an instant plus the zone offset it was recorded in (`+07:00` in Viet Nam).
public struct EPCISTime: Sendable, Comparable, Codable, CustomStringConvertible, Hashable {
    public let date: Date
    /// The offset from UTC in minutes.
    public let offsetMinutes: Int
    /// The text form, `2026-03-15T08:30:00.000+07:00`: as read when parsed, else formatted once.
    public let description: String

    public init(date: Date, offsetMinutes: Int = 7 * 60) {
        // EPCIS carries milliseconds at most.
        self.date = Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
        self.offsetMinutes = offsetMinutes
        self.description = EPCISTime.format(self.date, offsetMinutes: offsetMinutes)
    }

    private init(date: Date, offsetMinutes: Int, text: String) {
        self.date = date
        self.offsetMinutes = offsetMinutes
        self.description = text
    }

    /// Parses `2026-03-15T08:30:00.000+07:00` (fractional seconds and `Z` optional).
    public init(parsing text: String) throws {
        // Read where the text's bytes are (every record's time is parsed): no array of them.
        guard let (date, offset) = text.withUTF8Bytes(Self.parse) else {
            throw TraceError(.recordMalformed, "time \"\(text.prefix(40))\" is not an ISO 8601 date-time with a zone offset")
        }
        self.init(date: date, offsetMinutes: offset, text: text)
    }

    /// The instant and the offset in minutes that `scalars` spell; nil when they spell none.
    private static func parse(_ scalars: UnsafeBufferPointer<UInt8>) -> (Date, Int)? {
        guard scalars.count >= 20, scalars.count <= 40 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < scalars.count, (48...57).contains(scalars[index]) else { return nil }
                value = value * 10 + Int(scalars[index] - 48)
            }
            return value
        }
        guard scalars[4] == 45, scalars[7] == 45, scalars[10] == 84 || scalars[10] == 116, scalars[13] == 58, scalars[16] == 58,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        var index = 19
        var fraction = 0.0
        if scalars[index] == 46 {
            index += 1
            var digits = 0, scale = 1.0
            let start = index
            while index < scalars.count, (48...57).contains(scalars[index]) {
                if index - start < 9 {  // nanoseconds at most; finer digits are read and dropped
                    digits = digits * 10 + Int(scalars[index] - 48)
                    scale *= 10
                }
                index += 1
            }
            fraction = Double(digits) / scale  // one correctly rounded division, not a sum of tenths
            guard index > start else { return nil }
        }
        var offset = 0
        if index < scalars.count, scalars[index] == 90 || scalars[index] == 122, index == scalars.count - 1 {
            offset = 0
        } else if index + 6 == scalars.count, scalars[index] == 43 || scalars[index] == 45, scalars[index + 3] == 58 {
            guard let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6), hours <= 14, minutes < 60 else { return nil }
            offset = (hours * 60 + minutes) * (scalars[index] == 45 ? -1 : 1)
        } else { return nil }
        guard (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        let seconds = CivilCalendar.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset * 60
        return (Date(timeIntervalSince1970: Double(seconds) + fraction), offset)
    }

    /// `+07:00`, the form of `eventTimeZoneOffset`.
    public var offsetText: String { EPCISTime.offsetText(offsetMinutes) }

    /// The offset of `offsetMinutes` east of UTC as ``offsetText`` writes it.
    public static func offsetText(_ offsetMinutes: Int) -> String {
        if offsetMinutes == 7 * 60 { return "+07:00" }  // Vietnam, most of what AgriTrace writes
        let minutes = abs(offsetMinutes)
        return (offsetMinutes < 0 ? "-" : "+") + CivilCalendar.pad(minutes / 60, 2) + ":" + CivilCalendar.pad(minutes % 60, 2)
    }

    /// Local wall-clock time with its offset and milliseconds.
    static func format(_ date: Date, offsetMinutes: Int) -> String {
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded()) + offsetMinutes * 60_000
        let days = Int((Double(millis) / 86_400_000).rounded(.down))
        let (year, month, day) = CivilCalendar.date(days: days)
        let ofDay = millis - days * 86_400_000
        return CivilCalendar.timestampText(year: year, month: month, day: day, secondOfDay: ofDay / 1000, millis: ofDay % 1000,
                                           suffix: offsetText(offsetMinutes))
    }

    public static func < (lhs: EPCISTime, rhs: EPCISTime) -> Bool { lhs.date < rhs.date }
    public static func == (lhs: EPCISTime, rhs: EPCISTime) -> Bool { lhs.date == rhs.date && lhs.offsetMinutes == rhs.offsetMinutes }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(date)
        hasher.combine(offsetMinutes)
    }

    public init(from decoder: Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
