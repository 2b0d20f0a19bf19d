import Foundation

/// Quantities balance along the DAG: per lot and holder, nothing leaves (shipped, packed,
/// consumed by a transformation) that did not enter (harvested, produced, received);
/// transformation outputs stay within the yield tolerance of their inputs; and units convert
/// only within their dimension (mass with mass, volume with volume). See ``LotLedger``.
public struct MassBalanceCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var ledger = LotLedger(yieldTolerance: context.options.policy?.yieldTolerance ?? .general)
        for record in Self.ordered(context) {
            ledger.apply(record.event, signer: context.signers(of: record).first?.identity ?? "unknown signer", digest: record.digest)
        }
        return ledger.findings
    }

    /// Records predecessors first, even when the bundle's own order is wrong.
    static func ordered(_ context: VerificationContext) -> [VerifiedRecordInput] {
        if context.linksPointBackwards { return context.records }  // a bundle AgriTrace wrote: no sort needed
        guard let order = try? LinkGraph(events: context.eventsByDigest).topologicalOrder() else { return context.records }
        return order.compactMap(context.record(withDigest:))
    }
}
