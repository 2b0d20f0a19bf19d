import Foundation

/// A reading's time (EPCIS `sensorReport.time`, a data logger's) falls within the record that
/// reports it: not after the record was made, and not before the records it follows (a carrier's
/// log of readings before the goods were shipped is not of their journey). Either would be a log
/// copied from another trip or a record dated to suit (`measurement.timeOrder`); a time that is
/// not an EPCIS time is `event.invalid`. Both within the verifier's clock skew.
public struct MeasurementTimeCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var findings: [Finding] = []
        let skew = context.options.clockSkew
        for record in context.records where record.event.sensorElementList != nil {
            let timed = record.event.measurements.compactMap { measurement in measurement.time.map { (measurement, $0) } }
            guard !timed.isEmpty else { continue }
            var times: [EPCISTime] = []
            times.reserveCapacity(timed.count)
            var unreadable: [String] = []
            for (_, text) in timed {
                if let time = try? EPCISTime(parsing: text) { times.append(time) } else { unreadable.append(text) }
            }
            if let first = unreadable.first {
                findings.append(Finding(.eventInvalid, record: record.digest,
                    "\(Self.count(unreadable.count, of: timed.count)) a time that is no EPCIS time (ISO 8601 with its zone offset), such as \"\(first.prefix(40))\""))
            }
            let recorded = record.event.eventTime
            let late = times.filter { $0.date.timeIntervalSince(recorded.date) > skew }
            if let latest = late.max() {
                findings.append(Finding(.measurementTimeOrder, record: record.digest,
                    "\(Self.count(late.count, of: timed.count)) a time after the record itself (\(recorded)), up to \(latest): no one records a reading before it is taken"))
            }
            let follows = record.event.inputs.compactMap { context.byDigest[$0.record] }.max { $0.event.eventTime < $1.event.eventTime }
            if let follows {
                let early = times.filter { follows.event.eventTime.date.timeIntervalSince($0.date) > skew }
                if let earliest = early.min() {
                    findings.append(Finding(.measurementTimeOrder, record: record.digest,
                        "\(Self.count(early.count, of: timed.count)) a time before the record it follows (\(follows.event.eventTime)), from \(earliest): "
                            + "readings from before the goods were in the measuring party's hands are not of them"))
                }
            }
        }
        return findings
    }

    /// `1 reading has` / `3 of 48 readings have`.
    private static func count(_ count: Int, of total: Int) -> String {
        total == 1 ? "its reading has" : count == 1 ? "1 of \(total) readings has" : "\(count) of \(total) readings have"
    }
}

extension TraceError.Code {
    /// A reading dated after the record reporting it, or before a record it follows.
    public static let measurementTimeOrder: Self = "measurement.timeOrder"
}
