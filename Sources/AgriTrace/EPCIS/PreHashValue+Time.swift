import Foundation
import TraceCrypto

/// Times as the pre-hash writes them: in UTC, with exactly three decimals and `Z`.
extension PreHashValue {
    /// A time as UTC with exactly three decimals and `Z`; text that is no time stays as it is.
    static func timestamp(_ text: String) throws -> String {
        guard let utc = try utcParts(of: text) else { return text }
        return CivilCalendar.timestampText(year: utc.year, month: utc.month, day: utc.day, secondOfDay: utc.secondOfDay, millis: utc.millis, suffix: "Z")
    }

    /// ``timestamp(_:)`` of a time, appended to `out` after `=`, without making a string of it;
    /// false, nothing appended, for text that is no time.
    static func appendTimestamp(_ text: String, into out: inout [UInt8]) throws -> Bool {
        guard let utc = try utcParts(of: text) else { return false }
        out.append(UInt8(ascii: "="))
        CivilCalendar.appendTimestamp(year: utc.year, month: utc.month, day: utc.day, secondOfDay: utc.secondOfDay, millis: utc.millis,
                                      suffix: "Z", into: &out)
        return true
    }

    /// The UTC date, second of the day and milliseconds of a time (rounded as the reference
    /// rounds); nil for text that is no time.
    private static func utcParts(of text: String) throws -> (year: Int, month: Int, day: Int, secondOfDay: Int, millis: Int)? {
        guard let (seconds, micros) = parseISO8601(text) else { return nil }
        var millis = micros / 1000
        let remainder = micros % 1000
        if remainder > 500 || (remainder == 500 && millis % 2 == 1) { millis += 1 }  // Python rounds half to even
        guard millis < 1000 else {
            throw TraceError("epcis.hashUnsupported", "the time \(text.prefix(40)) rounds up to a full second, which the reference algorithm rejects")
        }
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let (year, month, day) = CivilCalendar.date(days: days)
        return (year, month, day, seconds - days * 86_400, millis)
    }

    /// Seconds since 1970 (UTC) and microseconds of an ISO 8601 date-time, in the forms GS1's
    /// reference reads deterministically (Python's `dateutil.parser`): `YYYY-MM-DD` or `YYYYMMDD`,
    /// then `T`, `t` or a space and `HH[:MM[:SS[.fff…]]]` or `HHMM[SS]` (a comma may stand for the
    /// point), then `Z`, `UTC`, `GMT`, `±HH`, `±HHMM` or `±HH:MM`, a space allowed before it. A
    /// time without a zone is taken as UTC (the reference takes its machine's zone). Nil for
    /// anything else, or a day the month does not have: the reference then leaves the text as it is.
    static func parseISO8601(_ text: String) -> (Int, Int)? {
        return text.withUTF8Bytes { bytes in
            var reader = TimestampReader(bytes: bytes)
            return reader.read()
        }
    }
}

/// The cursor ``PreHashValue/parseISO8601(_:)`` reads a date-time with.
private struct TimestampReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func read() -> (Int, Int)? {
        guard let year = number(4) else { return nil }
        let extended = skip(UInt8(ascii: "-"))
        guard let month = number(2), !extended || skip(UInt8(ascii: "-")), let day = number(2),
              (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0, micros = 0
        if at + 1 < bytes.count, bytes[at] == UInt8(ascii: "T") || bytes[at] == UInt8(ascii: "t") || bytes[at] == UInt8(ascii: " "), isDigit(bytes[at + 1]) {
            at += 1
            guard let h = number(2), h < 24 else { return nil }
            hour = h
            let colons = skip(UInt8(ascii: ":"))
            if colons || (at < bytes.count && isDigit(bytes[at])) {
                guard let m = number(2), m < 60 else { return nil }
                minute = m
                if colons ? skip(UInt8(ascii: ":")) : (at < bytes.count && isDigit(bytes[at])) {
                    guard let s = number(2), s < 60 else { return nil }
                    second = s
                    if skip(UInt8(ascii: ".")) || skip(UInt8(ascii: ",")) {
                        guard let fraction = fractionMicros() else { return nil }
                        micros = fraction
                    }
                }
            }
        }
        guard let offset = zone(), at == bytes.count else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        return (days * 86_400 + hour * 3600 + minute * 60 + second - offset, micros)
    }

    /// The zone's offset east of UTC in seconds: 0 for none, `Z`, `UTC` or `GMT`.
    private mutating func zone() -> Int? {
        if at < bytes.count, bytes[at] == UInt8(ascii: " "), at + 1 < bytes.count { at += 1 }
        guard at < bytes.count else { return 0 }
        if skip(UInt8(ascii: "Z")) || skip(UInt8(ascii: "z")) || skipWord("UTC") || skipWord("GMT") { return 0 }
        let sign = bytes[at]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        at += 1
        guard let hours = number(2), hours < 24 else { return nil }
        var minutes = 0
        if at < bytes.count {
            _ = skip(UInt8(ascii: ":"))
            guard let m = number(2), m < 60 else { return nil }
            minutes = m
        }
        return (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
    }

    /// Microseconds of the digits after the point: the first six, the rest dropped.
    private mutating func fractionMicros() -> Int? {
        var micros = 0, digits = 0
        while at < bytes.count, isDigit(bytes[at]) {
            if digits < 6 { micros = micros * 10 + Int(bytes[at] - 48) }
            digits += 1
            at += 1
        }
        guard digits > 0 else { return nil }
        for _ in digits..<max(digits, 6) { micros *= 10 }
        return micros
    }

    private mutating func number(_ count: Int) -> Int? {
        guard at + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[at..<(at + count)] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        at += count
        return value
    }

    private mutating func skip(_ byte: UInt8) -> Bool {
        guard at < bytes.count, bytes[at] == byte else { return false }
        at += 1
        return true
    }

    private mutating func skipWord(_ word: StaticString) -> Bool {
        guard ByteSearch.hasPrefix(bytes, word, at: at), at + word.utf8CodeUnitCount == bytes.count else { return false }
        at += word.utf8CodeUnitCount
        return true
    }

    private func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
}
