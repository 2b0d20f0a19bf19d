import Foundation

/// Organic claims survive only where they are earned: a lot produced from other lots may claim
/// organic only if every input does, and a harvest that claims an organic certificate needs a
/// certifier's conformant inspection of that lot under that certificate, valid on the harvest date.
public struct OrganicCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var findings: [Finding] = []
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
                findings += checkHarvest(record, claim: claim, in: context)
            }
        }
        return findings
    }

    private func checkHarvest(_ record: VerifiedRecordInput, claim: String, in context: VerificationContext) -> [Finding] {
        let lots = record.event.createdIdentifiers
        let attestations = context.records.filter { other in
            other.event.bizStepWord == "inspecting" && other.event.disposition.map(EPCISEvent.cbvWord) == "conformant"
                && other.event.organicClaim == claim && !lots.isDisjoint(with: other.identifiers)
                && context.signers(of: other).contains { $0.roles.contains(.certifier) }
        }
        guard !attestations.isEmpty else {
            return [Finding(.organicBrokenChain, record: record.digest,
                "claims organic certificate \(claim), but no certifier's conformant inspection of this lot under that certificate is in the bundle")]
        }
        let harvestDate = record.event.ilmd?["cbvmda:harvestStartDate"]?.stringValue ?? String(record.event.eventTime.description.prefix(10))
        let valid = attestations.contains { attestation in
            guard let validity = attestation.event.extensions["agt:certificateValidity"] else { return true }
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
