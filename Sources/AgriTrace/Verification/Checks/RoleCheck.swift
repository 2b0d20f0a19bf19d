import Foundation
import TraceCrypto

/// Each record is signed by a party whose certificate role may perform that business step
/// (a laboratory signs lab results, not the exporter selling the honey).
public struct RoleCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        // Each signer's roles, by its position in bundleSigners, and each step's allowed roles, as
        // sets of bits: a record's check is then a few ands, not a set of roles per signer it names.
        let held = context.bundleSigners.map { RoleBits($0.info.roles) }
        var allowedBySteps: [(step: String?, allowed: RoleBits)] = []  // a bundle's steps are a handful
        var findings: [Finding] = []
        for record in context.records where !record.event.isImported {  // attested, not performed, by the signer
            let step = record.event.bizStepWord
            let allowed: RoleBits
            if let known = allowedBySteps.first(where: { $0.step == step }) {
                allowed = known.allowed
            } else {
                allowed = RoleBits(context.options.stepRoles.roles(for: step))
                allowedBySteps.append((step, allowed))
            }
            let positions = context.signerPositions(of: record)
            guard let first = positions.first, !positions.contains(where: { held[$0].overlaps(allowed) }) else { continue }
            let signer = context.bundleSigners[first].info
            findings.append(Finding(.roleNotAllowed, record: record.digest,
                "\(signer.name) signed this \(step ?? "step-less") event with role(s) [\(signer.roles.map(\.rawValue).sorted().joined(separator: ", "))]; " +
                "that step needs one of [\(context.options.stepRoles.roles(for: step).map(\.rawValue).sorted().joined(separator: ", "))]"))
        }
        return findings
    }

    /// A set of roles as one bit each, in ``Role/allCases`` order.
    private struct RoleBits {
        let bits: UInt32

        init(_ roles: Set<Role>) {
            bits = Role.allCases.enumerated().reduce(0) { bits, role in roles.contains(role.element) ? bits | 1 << role.offset : bits }
        }

        func overlaps(_ other: RoleBits) -> Bool { bits & other.bits != 0 }
    }
}
