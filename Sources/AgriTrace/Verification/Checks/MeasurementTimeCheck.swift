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
            context.byDigest[digest].map { ($0.event.eventTime, $0.event.observesInPlace, $0.event.inputs.map(\.record)) }
        }
        return context.records.filter { $0.event.sensorElementList != nil }.flatMap { record in
            Self.findings(of: record.event, custodySince: start.since(record.event), clockSkew: context.options.clockSkew).map { finding in
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
        let timed = event.measurements.compactMap(\.time)
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
        let recorded = event.eventTime
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

/// Since when goods have been where a record finds them: the time of the latest record before it
/// that made or moved them, looking through records that only observe goods in place (an
/// inspection, a carrier's log, a recall): a laboratory's sample may be measured before the
/// certifier's inspection it follows was signed, a logger's readings span earlier legs' logs.
/// Each record's answer is kept, so a long chain of observations is walked once, not once per record.
public struct CustodyStart<Failure: Error> {
    /// A record's time, whether it only observes goods in place, and the records it follows.
    public typealias Node = (time: EPCISTime, observesInPlace: Bool, inputs: [String])
    private let lookup: (String) throws(Failure) -> Node?
    private var known: [String: EPCISTime?] = [:]

    /// `lookup` finds a record by digest (nil: not at hand).
    public init(lookup: @escaping (String) throws(Failure) -> Node?) {
        self.lookup = lookup
    }

    /// Since when the goods `event` concerns have been where it finds them: nil when it follows no record at hand.
    public mutating func since(_ event: EPCISEvent) throws(Failure) -> EPCISTime? {
        var latest: EPCISTime?
        for input in event.inputs {
            if let start = try start(input.record), latest.map({ $0 < start }) ?? true { latest = start }
        }
        return latest
    }

    /// A record's own time, or, for one that only observes, the latest start of those it follows.
    /// Depth first without recursion: a hostile chain may be 100,000 records long.
    private mutating func start(_ digest: String) throws(Failure) -> EPCISTime? {
        var stack: [(digest: String, expanded: Bool)] = [(digest, false)], open = Set<String>()
        while let (current, expanded) = stack.popLast() {
            guard known[current] == nil else { continue }
            guard let node = try lookup(current) else {
                known[current] = .some(nil)
                continue
            }
            if !node.observesInPlace {
                known[current] = node.time
            } else if expanded {
                known[current] = node.inputs.compactMap { known[$0] ?? nil }.max()
                open.remove(current)
            } else if open.insert(current).inserted {
                stack.append((current, true))
                stack += node.inputs.filter { known[$0] == nil && !open.contains($0) }.map { ($0, false) }
            } else {
                known[current] = .some(nil)  // a cycle (link.cycle says so)
            }
        }
        return known[digest] ?? nil
    }
}

extension EPCISEvent {
    /// Whether the event leaves its goods where they are: an inspection, a carrier's log, a recall.
    public var observesInPlace: Bool {
        type == .objectEvent && ["inspecting", "transporting", "holding"].contains(bizStepWord ?? "")
    }
}

extension TraceError.Code {
    /// A reading dated after the record reporting it, or before the goods came where it was taken.
    public static let measurementTimeOrder: Self = "measurement.timeOrder"
}
