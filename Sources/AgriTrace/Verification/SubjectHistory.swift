import Foundation

/// Records in an array with every `agt:inputs` link resolved, once, to the position of the record
/// it names: walks over the links then step from position to position instead of hashing
/// 71-character digests at every step.
struct LinkedRecords<Carrier: EventCarrier & Sendable> {
    let records: [Carrier]
    /// `targets[i][k]`: the position of the record that link `k` of `records[i]` names; nil when
    /// no record here has that digest. Where two records share a digest, links lead to the first.
    let targets: [[Int?]]

    /// `records`, with `positions` giving the position of the record each digest names.
    init(_ records: [Carrier], positions: [String: Int]) {
        self.records = records
        targets = records.concurrentMap { record in record.inputs.map { positions[$0.record] } }
    }

    /// Whether every link names an earlier record (or one not here): then array order is a valid
    /// replay order and the links hold no cycle.
    var linksPointBackwards: Bool {
        targets.indices.allSatisfy { position in targets[position].allSatisfy { ($0 ?? -1) < position } }
    }
}

/// Which records make up a subject's history: the records naming the subject, the records that
/// move a logistic unit holding it (packed pallets and containers), and everything upstream.
/// The bundle builder and the policy checks share this one definition.
enum SubjectHistory {
    /// The positions of the head records for `subject`: those naming it, then those moving a
    /// container holding it.
    static func heads<Carrier>(of subject: String, in linked: LinkedRecords<Carrier>,
                               concerns: @Sendable (Carrier, String) -> Bool) -> [Int] {
        let records = linked.records
        var holders: Set<String> = [subject]
        var isHead = records.concurrentMap { concerns($0, subject) }
        var changed = isHead.contains(true)
        while changed {
            changed = false
            for position in records.indices where isHead[position] {
                if let parent = records[position].packedInto, holders.insert(parent).inserted { changed = true }
            }
            for position in records.indices where !isHead[position] {
                let moves = zip(records[position].inputs, linked.targets[position]).contains { link, target in
                    holders.contains(link.lot) && target.map { isHead[$0] } == true
                }
                if moves {
                    isHead[position] = true
                    changed = true
                }
            }
        }
        return records.indices.filter { isHead[$0] }
    }

    /// Whether each record is one of `heads` or upstream of one, by position.
    static func closure<Carrier>(of heads: [Int], in linked: LinkedRecords<Carrier>) -> [Bool] {
        var included = [Bool](repeating: false, count: linked.records.count)
        var stack = heads
        while let position = stack.popLast() {
            guard !included[position] else { continue }
            included[position] = true
            for case let target? in linked.targets[position] where !included[target] { stack.append(target) }
        }
        return included
    }
}

/// Anything that holds an event: the event itself, or a decoded bundle record (so the history
/// can be walked without copying a bundle's events into a new table). Only the two fields the
/// walk reads are asked for: reading a whole event out of a record would copy it.
protocol EventCarrier {
    /// The event's `agt:inputs`.
    var inputs: [InputLink] { get }
    /// The logistic unit an aggregation event packs into (its parentID); nil for other events.
    var packedInto: String? { get }
}

extension EPCISEvent: EventCarrier {
    var packedInto: String? { type == .aggregationEvent ? parentID : nil }
}

extension VerifiedRecordInput: EventCarrier {
    var inputs: [InputLink] { event.inputs }
    var packedInto: String? { event.packedInto }
}
