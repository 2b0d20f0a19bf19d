import Foundation

/// Every `agt:inputs` link resolves to an earlier record of the bundle that concerns the same
/// lot, no earlier in time than the clock skew allows; every lot an event uses is linked.
public struct LinkCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var findings: [Finding] = []
        for (position, record) in context.records.enumerated() {
            let event = record.event
            for (link, target) in zip(event.inputs, context.linkTargets[position]) {
                findings += check(link, to: target.map { context.records[$0] }, of: record, context)
            }
            for identifier in event.unlinkedIdentifiers {
                // An event imported from another EPCIS system may come without the history of its lots.
                findings.append(Finding(.linkUnlinked, event.isImported ? .warning : .error, record: record.digest,
                    "the event uses \(identifier) but names no record (agt:inputs) where it came from"
                        + (event.isImported ? "; it was imported from another EPCIS system" : "")))
            }
        }
        return findings
    }

    /// `link` of `record`, to `predecessor`: the record it names, if the bundle has it.
    private func check(_ link: InputLink, to predecessor: VerifiedRecordInput?, of record: VerifiedRecordInput,
                       _ context: VerificationContext) -> [Finding] {
        guard RecordDigest.isWellFormed(link.record) else {
            return [Finding(.linkMalformed, record: record.digest, "input link \"\(link.record.prefix(80))\" is not sha256:<64 hex digits>")]
        }
        guard let predecessor else {
            return [Finding(.linkMissing, record: record.digest,
                "links to \(link.record) for \(link.lot), but the bundle has no such record")]
        }
        var findings: [Finding] = []
        if !predecessor.concerns(link.lot) {
            findings.append(Finding(.linkLotMismatch, record: record.digest,
                "links to \(link.record) for \(link.lot), but that record does not concern this lot"))
        }
        if !record.concerns(link.lot) {
            findings.append(Finding(.linkLotMismatch, record: record.digest,
                "links to history for \(link.lot), which the event itself does not name"))
        }
        let gap = predecessor.event.eventTime.date.timeIntervalSince(record.event.eventTime.date)
        if gap > context.options.clockSkew {
            findings.append(Finding(.linkTimeOrder, record: record.digest,
                "happened at \(record.event.eventTime), before the record it follows (\(predecessor.event.eventTime))"))
        }
        if predecessor.index > record.index {
            findings.append(Finding(.bundleOrder, record: record.digest,
                "comes before its predecessor \(link.record) in the bundle; predecessors must come first"))
        }
        return findings
    }
}
