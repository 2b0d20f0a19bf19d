import Foundation

/// The DAG of records formed by `agt:inputs` links, keyed by record digest.
struct LinkGraph {
    let events: [String: EPCISEvent]

    /// Record digests ordered so that every record follows those it links to and, among the
    /// records whose predecessors are all placed, the earliest comes next (by event time, then
    /// digest): a blend's two harvests read each with its own inspection and shipment, in the
    /// order they happened, not harvest, harvest, inspection, inspection. Throws `link.cycle`
    /// naming a record on a cycle.
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

    /// Kahn's algorithm: the records that can be ordered, predecessors first, the earliest
    /// ready record next (a heap: a bundle may hold 100,000 records).
    private func kahnOrder() -> [String] {
        var remaining: [String: Int] = [:]
        var successors: [String: [String]] = [:]
        for (digest, event) in events {
            let predecessors = Set(event.inputs.map(\.record)).filter { events[$0] != nil }
            remaining[digest] = predecessors.count
            for predecessor in predecessors { successors[predecessor, default: []].append(digest) }
        }
        var ready = ReadyHeap { a, b in
            guard let ta = events[a]?.eventTime, let tb = events[b]?.eventTime, ta != tb else { return a < b }
            return ta < tb
        }
        for (digest, count) in remaining where count == 0 { ready.push(digest) }
        var order: [String] = []
        order.reserveCapacity(events.count)
        while let digest = ready.pop() {
            order.append(digest)
            for successor in successors[digest] ?? [] {
                remaining[successor, default: 1] -= 1
                if remaining[successor] == 0 { ready.push(successor) }
            }
        }
        return order
    }
}

/// A binary min-heap of record digests under `precedes`.
private struct ReadyHeap {
    let precedes: (String, String) -> Bool
    private var items: [String] = []

    init(_ precedes: @escaping (String, String) -> Bool) { self.precedes = precedes }

    mutating func push(_ item: String) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> String? {
        guard let first = items.first else { return nil }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, precedes(items[left], items[smallest]) { smallest = left }
            if right < items.count, precedes(items[right], items[smallest]) { smallest = right }
            guard smallest != parent else { return first }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
