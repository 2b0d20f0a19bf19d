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
                if let event = events[digest]?.event, event.type == .aggregationEvent, let parent = event.parentID, holders.insert(parent).inserted {
                    changed = true
                }
            }
            for (digest, carrier) in events where !heads.contains(digest) {
                if carrier.event.inputs.contains(where: { holders.contains($0.lot) && heads.contains($0.record) }) {
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
            guard included.insert(digest).inserted, let event = events[digest]?.event else { continue }
            stack += event.inputs.map(\.record).filter { events[$0] != nil && !included.contains($0) }
        }
        return included
    }
}

/// Anything that holds an event: the event itself, or a decoded bundle record (so the history
/// can be walked without copying a bundle's events into a new table).
protocol EventCarrier {
    var event: EPCISEvent { get }
}

extension EPCISEvent: EventCarrier {
    var event: EPCISEvent { self }
}

extension VerifiedRecordInput: EventCarrier {}
