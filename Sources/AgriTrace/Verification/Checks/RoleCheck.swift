import Foundation
import TraceCrypto

/// Each record is signed by a party whose certificate role may perform that business step
/// (a laboratory signs lab results, not the exporter selling the honey).
public struct RoleCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        context.records.compactMap { record in
            guard !record.event.isImported else { return nil }  // attested, not performed, by the signer
            let step = record.event.bizStepWord
            let allowed = context.options.stepRoles.roles(for: step)
            let signers = context.signers(of: record)
            guard let first = signers.first, !signers.contains(where: { !$0.roles.isDisjoint(with: allowed) }) else { return nil }
            let held = first.roles.map(\.rawValue).sorted()
            return Finding(.roleNotAllowed, record: record.digest,
                "\(first.name) signed this \(step ?? "step-less") event with role(s) [\(held.joined(separator: ", "))]; " +
                "that step needs one of [\(allowed.map(\.rawValue).sorted().joined(separator: ", "))]")
        }
    }
}
