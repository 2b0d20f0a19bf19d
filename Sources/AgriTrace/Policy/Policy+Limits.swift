import Foundation

extension Policy.Limit {
    /// What is wrong with `measurement` under this limit (`moisture 21.5 %, above the limit of
    /// 20 %`), or nil when it keeps to it or measures something else.
    public func violation(of measurement: Measurement) -> String? {
        guard measurement.name == self.measurement else { return nil }
        if let wanted = unit, measurement.unit != wanted {
            let bounds = [min.map { "≥ \($0)" }, max.map { "≤ \($0)" }].compactMap { $0 }.joined(separator: " and ")
            return "\(self.measurement) is reported in \(measurement.unit), but the limit (\(bounds) \(wanted)) is in \(wanted)"
        }
        if let max, measurement.value > max { return "\(StepFacts.text(measurement)), above the limit of \(StepFacts.value(max, unit))" }
        if let min, measurement.value < min { return "\(StepFacts.text(measurement)), below the minimum of \(StepFacts.value(min, unit))" }
        return nil
    }
}

extension Policy {
    /// What a step signed with `roles` states against this policy's limits for that step: each
    /// measured value outside its limit, and each value the policy limits but the step does not
    /// report. What a laboratory's clerk should hear before a buyer's verifier says it
    /// (`policy.limitExceeded`, `policy.measurementMissing`).
    public func limitProblems(of event: EPCISEvent, signedWith roles: Set<Role>) -> [String] {
        var problems: [String] = []
        for required in requiredSteps where required.step == event.bizStepWord && (required.roles.isEmpty || !roles.isDisjoint(with: required.roles)) {
            for limit in required.limits ?? [] {
                let reported = event.measurements.filter { $0.name == limit.measurement }
                problems += reported.compactMap(limit.violation)
                if reported.isEmpty, limit.required != false { problems.append("no \(limit.measurement) is reported, which the policy limits") }
            }
        }
        for limit in stepLimits?[event.bizStepWord ?? ""] ?? [] { problems += event.measurements.compactMap(limit.violation) }
        return problems
    }
}
