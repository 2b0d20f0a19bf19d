import Foundation

/// Organic claims survive only where they are earned: a lot produced from other lots may claim
/// organic only if every input does, and a harvest that claims an organic certificate needs a
/// certifier's conformant inspection of that lot under that certificate, valid on the harvest date.
public struct OrganicCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var findings: [Finding] = []
        let attestations = Self.attestations(in: context)
        for record in context.records {
            let event = record.event
            guard let claim = event.organicClaim else { continue }
            if event.type == .transformationEvent {
                for link in event.inputs {
                    guard let creator = Self.creator(of: link.lot, from: link.record, in: context) else { continue }
                    if creator.event.organicClaim == nil {
                        findings.append(Finding(.organicBrokenChain, record: record.digest,
                            "claims organic certificate \(claim), but input \(link.lot) comes from \(creator.digest), which claims none"))
                    }
                }
            } else if event.isCommissioning {
                findings += checkHarvest(record, claim: claim, attestations: attestations)
            }
        }
        return findings
    }

    /// Certifiers' conformant inspections, by the lots they name.
    private static func attestations(in context: VerificationContext) -> [String: [VerifiedRecordInput]] {
        var byLot: [String: [VerifiedRecordInput]] = [:]
        for record in context.records where record.event.bizStepWord == "inspecting"
            && record.event.disposition.map(EPCISEvent.cbvWord) == "conformant" && record.event.organicClaim != nil
            && context.signers(of: record).contains(where: { $0.roles.contains(.certifier) }) {
            for lot in record.identifiers { byLot[lot, default: []].append(record) }
        }
        return byLot
    }

    private func checkHarvest(_ record: VerifiedRecordInput, claim: String, attestations byLot: [String: [VerifiedRecordInput]]) -> [Finding] {
        let attestations = record.event.createdIdentifiers.flatMap { byLot[$0] ?? [] }.filter { $0.event.organicClaim == claim }
        guard !attestations.isEmpty else {
            return [Finding(.organicBrokenChain, record: record.digest,
                "claims organic certificate \(claim), but no certifier's conformant inspection of this lot under that certificate is in the bundle")]
        }
        let harvestDate = record.event.harvestStartDate ?? String(record.event.eventTime.description.prefix(10))
        let valid = attestations.contains { attestation in
            guard let validity = attestation.event.certificateValidity else { return true }
            let from = validity["from"]?.stringValue ?? "0000-00-00", until = validity["until"]?.stringValue ?? "9999-99-99"
            return from <= harvestDate && harvestDate <= until
        }
        guard valid else {
            return [Finding(.organicBrokenChain, record: record.digest,
                "claims organic certificate \(claim), but the certifier's attested validity does not cover the harvest date \(harvestDate)")]
        }
        return []
    }

    /// The record that created `lot`, found by following the lot's links back from `digest`.
    static func creator(of lot: String, from digest: String, in context: VerificationContext) -> VerifiedRecordInput? {
        var current = digest
        var visited = Set<String>()
        while visited.insert(current).inserted, let record = context.byDigest[current] {
            if record.event.createdIdentifiers.contains(lot) { return record }
            guard let next = record.event.inputs.first(where: { $0.lot == lot })?.record else { return nil }
            current = next
        }
        return nil
    }
}
