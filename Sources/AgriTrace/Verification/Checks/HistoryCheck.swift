import Foundation

/// The subject appears in the bundle, its history reaches commissioning records (harvest,
/// slaughter, collection) on every branch, and the links form no cycle.
public struct HistoryCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var findings: [Finding] = []
        // Links that all point to earlier records cannot form a cycle: skip the graph search.
        let cycle = context.linksPointBackwards ? [] : LinkGraph(events: context.byDigest.mapValues(\.event)).oneCycle()
        for digest in cycle {
            findings.append(Finding(.linkCycle, record: digest, "this record is part of a cycle of \(cycle.count) linked records"))
        }
        let heads = context.records.filter { $0.concerns(context.subject) }
        guard !heads.isEmpty else {
            return findings + [Finding(.subjectMissing, record: nil, "no record in the bundle concerns its subject \(context.subject)")]
        }
        var seen = Set<String>()
        var stack = heads.map(\.digest)
        while let digest = stack.popLast() {
            guard seen.insert(digest).inserted, let record = context.byDigest[digest] else { continue }
            let event = record.event
            if event.inputs.isEmpty && !event.isCommissioning {
                findings.append(Finding(.historyIncomplete, record: digest,
                    "the history of \(context.subject) starts at a \(event.bizStepWord ?? event.type.rawValue) event, not at a harvest (commissioning)"))
            }
            stack += event.inputs.map(\.record)
        }
        return findings
    }
}
