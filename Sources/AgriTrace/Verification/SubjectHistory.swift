import Foundation

/// Which records make up a subject's history: the records naming the subject, the records that
/// move a logistic unit holding it (packed pallets and containers), and everything upstream.
/// The bundle builder and the policy checks share this one definition.
enum SubjectHistory {
    /// The head records for `subject`: those naming it, then those moving a container holding it.
    static func heads(of subject: String, in events: [String: some EventCarrier], concerns: (String, String) -> Bool) -> Set<String> {
        var holders: Set<String> = [subject]
        var heads = Set(events.keys.filter { concerns($0, subject) })
        var changed = !heads.isEmpty
        while changed {
            changed = false
            for digest in heads {
                if let parent = events[digest]?.packedInto, holders.insert(parent).inserted {
                    changed = true
                }
            }
            for (digest, carrier) in events where !heads.contains(digest) {
                if carrier.inputs.contains(where: { holders.contains($0.lot) && heads.contains($0.record) }) {
                    heads.insert(digest)
                    changed = true
                }
            }
        }
        return heads
    }

    /// `heads` and every record upstream of them that is in `events`.
    static func closure(of heads: Set<String>, in events: [String: some EventCarrier]) -> Set<String> {
        var included = Set<String>()
        var stack = Array(heads)
        while let digest = stack.popLast() {
            guard included.insert(digest).inserted, let inputs = events[digest]?.inputs else { continue }
            for input in inputs where events[input.record] != nil && !included.contains(input.record) { stack.append(input.record) }
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
