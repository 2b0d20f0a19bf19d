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
        try event.inputs.forEachInPlace { (input) throws(Failure) in
            if let start = try start(input.record), latest.map({ $0 < start }) ?? true { latest = start }
        }
        return latest
    }

    /// A record's own time, or, for one that only observes, the latest start of those it follows.
    /// Depth first without recursion: a hostile chain may be 100,000 records long.
    private mutating func start(_ digest: String) throws(Failure) -> EPCISTime? {
        guard let root = try lookup(digest) else { return nil }
        guard root.observesInPlace else { return root.time }
        // Only observations are remembered: the records they lead back to answer with their own time.
        var stack: [(digest: String, expanded: Bool)] = [(digest, false)], open = Set<String>()
        while let (current, expanded) = stack.popLast() {
            guard known[current] == nil, let node = try lookup(current), node.observesInPlace else { continue }
            if expanded {
                var latest: EPCISTime?
                for input in node.inputs {
                    if let time = try ownStart(input), latest.map({ $0 < time }) ?? true { latest = time }
                }
                known[current] = latest
                open.remove(current)
            } else if open.insert(current).inserted {
                stack.append((current, true))
                for input in node.inputs where known[input] == nil && !open.contains(input) { stack.append((input, false)) }
            } else {
                known[current] = .some(nil)  // a cycle (link.cycle says so)
            }
        }
        return known[digest] ?? nil
    }

    /// A record's start once every observation it leads back to has one: its own time, unless it observes.
    private func ownStart(_ digest: String) throws(Failure) -> EPCISTime? {
        if let remembered = known[digest] { return remembered }
        guard let node = try lookup(digest), !node.observesInPlace else { return nil }  // not at hand, or in a cycle
        return node.time
    }
}

extension EPCISEvent {
    /// Whether the event leaves its goods where they are: an inspection, a carrier's log, a
    /// recall, a write-off of part of them.
    public var observesInPlace: Bool {
        type == .objectEvent && ["inspecting", "transporting", "holding", "destroying"].contains(bizStepWord ?? "")
    }
}
