import Foundation

/// Since when goods have been where a record finds them: the time of the latest record before it
/// that made or moved them, looking through records that only observe goods in place
/// (``EPCISEvent/observesInPlace``): a laboratory's sample may be measured before the certifier's
/// inspection it follows was signed, a logger's readings span earlier legs' logs. Each record's
/// answer is kept, so a long chain of observations is walked once, not once per record.
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
    /// Whether the event leaves its goods where they are: an inspection, a carrier's log, a
    /// recall, a write-off of part of them.
    public var observesInPlace: Bool {
        type == .objectEvent && ["inspecting", "transporting", "holding", "destroying"].contains(bizStepWord ?? "")
    }
}
