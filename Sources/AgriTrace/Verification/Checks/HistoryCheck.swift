import Foundation

/// The subject appears in the bundle, its history reaches commissioning records (harvest,
/// slaughter, collection) on every branch, and the links form no cycle.
public struct HistoryCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var findings: [Finding] = []
        // Links that all point to earlier records cannot form a cycle: skip the graph search.
        let cycle = context.linksPointBackwards ? [] : LinkGraph(events: context.eventsByDigest).oneCycle()
        for digest in cycle {
            findings.append(Finding(.linkCycle, record: digest, "this record is part of a cycle of \(cycle.count) linked records"))
        }
        let records = context.records
        // Heads by position; a second copy of a record (same digest) is the first one's duplicate.
        let heads = records.indices.filter { records[$0].concerns(context.subject) && !context.isRepeat[$0] }
        guard !heads.isEmpty else {
            return findings + [Finding(.subjectMissing, record: nil, "no record in the bundle concerns its subject \(context.subject)")]
        }
        var seen = [Bool](repeating: false, count: records.count)
        var stack = heads
        while let position = stack.popLast() {
            guard !seen[position] else { continue }
            seen[position] = true
            let event = records[position].event
            if event.inputs.isEmpty && !event.isCommissioning {
                findings.append(Finding(.historyIncomplete, record: records[position].digest,
                    "the history of \(context.subject) starts at a \(event.bizStepWord ?? event.type.rawValue) event, not at a harvest (commissioning)"))
            }
            for case let target? in context.linkTargets[position] where !seen[target] { stack.append(target) }
        }
        return findings
    }
}
