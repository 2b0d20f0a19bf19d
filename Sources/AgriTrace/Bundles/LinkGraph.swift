import Foundation

/// The DAG of records formed by `agt:inputs` links, keyed by record digest.
struct LinkGraph {
    let events: [String: EPCISEvent]

    /// Record digests ordered so that every record follows those it links to; ties go by event
    /// time, then digest. Throws `link.cycle` naming a record on a cycle.
    func topologicalOrder() throws -> [String] {
        let order = kahnOrder()
        guard order.count == events.count else {
            throw TraceError("link.cycle", "records link to each other in a cycle, for example \(oneCycle().first ?? "?")")
        }
        return order
    }

    /// The records of one cycle, when the links contain any (empty for a DAG). Linear time:
    /// walking predecessors among the records Kahn's algorithm could not order must repeat.
    func oneCycle() -> [String] {
        let ordered = Set(kahnOrder())
        guard var current = events.keys.filter({ !ordered.contains($0) }).min() else { return [] }
        var path: [String] = []
        var position: [String: Int] = [:]
        while position[current] == nil {
            position[current] = path.count
            path.append(current)
            // Every record left unordered has an unordered predecessor.
            guard let next = events[current]?.inputs.map(\.record).first(where: { events[$0] != nil && !ordered.contains($0) }) else {
                return path
            }
            current = next
        }
        return Array(path[(position[current] ?? 0)...])
    }

    /// Kahn's algorithm: the records that can be ordered, predecessors first.
    private func kahnOrder() -> [String] {
        var remaining: [String: Int] = [:]
        var successors: [String: [String]] = [:]
        for (digest, event) in events {
            let predecessors = Set(event.inputs.map(\.record)).filter { events[$0] != nil }
            remaining[digest] = predecessors.count
            for predecessor in predecessors { successors[predecessor, default: []].append(digest) }
        }
        func earlier(_ a: String, _ b: String) -> Bool {
            guard let ta = events[a]?.eventTime, let tb = events[b]?.eventTime, ta != tb else { return a < b }
            return ta < tb
        }
        var ready = remaining.filter { $0.value == 0 }.map(\.key).sorted(by: earlier)
        var order: [String] = []
        order.reserveCapacity(events.count)
        var cursor = 0
        while cursor < ready.count {
            let digest = ready[cursor]
            cursor += 1
            order.append(digest)
            var next: [String] = []
            for successor in successors[digest] ?? [] {
                remaining[successor, default: 1] -= 1
                if remaining[successor] == 0 { next.append(successor) }
            }
            ready += next.sorted(by: earlier)
        }
        return order
    }
}
