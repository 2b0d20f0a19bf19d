import Foundation

/// The policy's required steps are in the subject's history (its records that name the subject's
/// goods: ``VerificationContext/subjectRecords``), in order, signed by enough distinct
/// parties in the right roles, with measured values inside their limits; and every record of a
/// step the policy bounds (``Policy/stepLimits``: a carrier's temperatures) keeps to its limits.
public struct RequiredStepsCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        guard let policy = context.options.policy else {
            guard context.options.automaticPolicy else { return [] }  // the buyer asked for none
            let categories = context.subjectCategories.sorted()
            if categories.count > 1 {
                return [Finding(.policyMixed, .warning, record: nil,
                                "\(context.subject) holds goods of several product categories (\(categories.joined(separator: ", "))), "
                                + "so no one product's policy was applied to it; verify each lot's own bundle, or name a policy (--policy)")]
            }
            let why = categories.first.map { "declare the category \($0), which has no built-in policy" } ?? "declare no product category"
            return [Finding(.policyNone, .warning, record: nil,
                            "no product policy was applied: the harvests of \(context.subject) \(why); name one (--policy) to hold the goods to its steps and limits")]
        }
        var findings: [Finding] = []
        var previous: (step: Policy.RequiredStep, time: EPCISTime)?
        for (number, required) in policy.requiredSteps.enumerated() {
            let label = Self.label(required)
            let candidates = context.subjectRecords.filter { record in
                record.event.bizStepWord == required.step
                    && (required.roles.isEmpty || context.signers(of: record).contains { !$0.roles.isDisjoint(with: required.roles) })
            }
            guard let first = candidates.min(by: { $0.event.eventTime < $1.event.eventTime }) else {
                findings.append(Finding(.stepMissing, record: nil,
                    "the \(policy.name) policy requires step \(number + 1) of \(policy.requiredSteps.count), \(label), but the history of \(context.subject) has none"))
                continue
            }
            if let previous, previous.time.date.timeIntervalSince(first.event.eventTime.date) > context.options.clockSkew {
                findings.append(Finding(.stepOrder, record: first.digest,
                    "\(label) at \(first.event.eventTime) comes before \(Self.label(previous.step)) at \(previous.time); the \(policy.name) policy requires the reverse order"))
            }
            previous = (required, first.event.eventTime)
            let identities = Set(candidates.flatMap { record in
                context.signers(of: record).filter { required.roles.isEmpty || !$0.roles.isDisjoint(with: required.roles) }.map(\.identity)
            })
            let needed = required.minSigners ?? 1
            if identities.count < needed {
                findings.append(Finding(.threshold, record: first.digest,
                    "\(label) needs \(needed) distinct parties; found \(identities.count) (\(identities.sorted().joined(separator: ", ")))"))
            }
            for limit in required.limits ?? [] {
                findings += check(limit, label: label, in: candidates)
            }
        }
        for (step, limits) in (policy.stepLimits ?? [:]).sorted(by: { $0.key < $1.key }) {
            for record in context.subjectRecords where record.event.bizStepWord == step {
                for limit in limits {
                    findings += limit.problems(in: record.event.measurements).map { Finding(.limitExceeded, record: record.digest, "\(step): \($0)") }
                }
            }
        }
        return findings
    }

    private func check(_ limit: Policy.Limit, label: String, in records: [VerifiedRecordInput]) -> [Finding] {
        var findings: [Finding] = []
        var seen = false
        for record in records {
            seen = seen || record.event.measurements.contains { $0.name == limit.measurement }
            findings += limit.problems(in: record.event.measurements).map { Finding(.limitExceeded, record: record.digest, $0) }
        }
        if !seen, limit.required != false, let first = records.first {
            findings.append(Finding(.measurementMissing, record: first.digest,
                "\(label) reports no \(limit.measurement), which the policy limits"))
        }
        return findings
    }

    static func label(_ step: Policy.RequiredStep) -> String {
        guard let first = step.roles.first?.rawValue else { return step.step }
        let article = first.first.map { "aeiou".contains($0) } == true ? "an" : "a"  // an exporter, an importer
        return "\(step.step) by \(article) \(step.roles.map(\.rawValue).joined(separator: " or "))"
    }
}

extension TraceError.Code {
    public static let measurementMissing: Self = "policy.measurementMissing"
}
