import Foundation

/// A reading's time (EPCIS `sensorReport.time`, a data logger's) falls while the goods were where
/// the record says they were measured: not after the record was made, and not before the goods
/// came there, the last record before it that made or moved them (``CustodyStart``: a carrier's
/// log from before the pallet was shipped is not of its journey). Either would be a log copied
/// from another trip or a record dated to suit (`measurement.timeOrder`); a time that is not an
/// EPCIS time is `event.invalid`. Both within the verifier's clock skew.
public struct MeasurementTimeCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var start = CustodyStart<Never> { digest in
            context.record(withDigest: digest).map { ($0.event.eventTime, $0.event.observesInPlace, $0.event.inputs.map(\.record)) }
        }
        // Only readings that say when they were taken (a logger's; a laboratory's values seldom do),
        // each record's read once from its sensor data.
        return context.records.flatMap { record -> [Finding] in
            guard record.event.sensorElementList != nil else { return [] }
            let timed = record.event.measurements.compactMap(\.time)
            guard !timed.isEmpty else { return [] }
            return Self.findings(ofTimes: timed, recordedAt: record.event.eventTime, custodySince: start.since(record.event),
                                 clockSkew: context.options.clockSkew).map { finding in
                var finding = finding
                finding.record = record.digest
                return finding
            }
        }
    }

    /// What is wrong with the times of `event`'s readings, when the goods came to be where it
    /// measures them at `custodySince` (``CustodyStart/since(_:)``; the registry asks this of an
    /// imported event before signing it).
    public static func findings(of event: EPCISEvent, custodySince: EPCISTime?, clockSkew: TimeInterval) -> [Finding] {
        findings(ofTimes: event.measurements.compactMap(\.time), recordedAt: event.eventTime, custodySince: custodySince, clockSkew: clockSkew)
    }

    /// ``findings(of:custodySince:clockSkew:)`` for the readings' `timed` texts of an event recorded at `recorded`.
    private static func findings(ofTimes timed: [String], recordedAt recorded: EPCISTime, custodySince: EPCISTime?, clockSkew: TimeInterval) -> [Finding] {
        guard !timed.isEmpty else { return [] }
        var findings: [Finding] = []
        var times: [EPCISTime] = []
        times.reserveCapacity(timed.count)
        var unreadable: [String] = []
        for text in timed {
            if let time = try? EPCISTime(parsing: text) { times.append(time) } else { unreadable.append(text) }
        }
        if let first = unreadable.first {
            findings.append(Finding(.eventInvalid, record: nil,
                "\(count(unreadable.count, of: timed.count)) a time that is no EPCIS time (ISO 8601 with its zone offset), such as \"\(first.prefix(40))\""))
        }
        let late = times.filter { $0.date.timeIntervalSince(recorded.date) > clockSkew }
        if let latest = late.max() {
            findings.append(Finding(.measurementTimeOrder, record: nil,
                "\(count(late.count, of: timed.count)) a time after the record itself (\(recorded)), up to \(latest): no one records a reading before it is taken"))
        }
        if let custodySince {
            let early = times.filter { custodySince.date.timeIntervalSince($0.date) > clockSkew }
            if let earliest = early.min() {
                findings.append(Finding(.measurementTimeOrder, record: nil,
                    "\(count(early.count, of: timed.count)) a time before the goods came to be where they were measured (\(custodySince), "
                        + "the last record before it that made or moved them), from \(earliest): such readings are not of these goods"))
            }
        }
        return findings
    }

    /// `its reading has` / `1 of 48 readings has` / `3 of 48 readings have`.
    private static func count(_ count: Int, of total: Int) -> String {
        total == 1 ? "its reading has" : count == 1 ? "1 of \(total) readings has" : "\(count) of \(total) readings have"
    }
}

extension TraceError.Code {
    /// A reading dated after the record reporting it, or before the goods came where it was taken.
    public static let measurementTimeOrder: Self = "measurement.timeOrder"
}
