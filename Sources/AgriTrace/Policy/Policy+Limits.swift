import Foundation

extension Policy.Limit {
    /// What is wrong with one record's values under this limit, one sentence per kind of fault:
    /// a value in another unit; values above the limit; values below the minimum. One value
    /// reads `moisture 21.5 %, above the limit of 20 %`; a logger's many read `temperature above
    /// the limit of 4 °C in 12 of 48 readings, up to 5.1 °C (2026-04-25 14:00 +07:00)`. Empty
    /// when every value keeps to it (or none measures what it bounds).
    public func problems(in measurements: [Measurement]) -> [String] {
        let reported = measurements.filter { $0.name == measurement }
        var problems: [String] = []
        if let wanted = unit, let stray = reported.first(where: { $0.unit != wanted }) {
            let bounds = [min.map { "≥ \($0)" }, max.map { "≤ \($0)" }].compactMap { $0 }.joined(separator: " and ")
            problems.append("\(measurement) is reported in \(stray.unit), but the limit (\(bounds) \(wanted)) is in \(wanted)")
        }
        let comparable = reported.filter { unit == nil || $0.unit == unit }
        if let max, let worst = comparable.max(by: { $0.value < $1.value }), worst.value > max {
            problems.append(outside(comparable.filter { $0.value > max }.count, of: comparable.count, worst: worst, "above the limit of", max))
        }
        if let min, let worst = comparable.min(by: { $0.value < $1.value }), worst.value < min {
            problems.append(outside(comparable.filter { $0.value < min }.count, of: comparable.count, worst: worst, "below the minimum of", min))
        }
        return problems
    }

    private func outside(_ count: Int, of total: Int, worst: Measurement, _ relation: String, _ bound: Decimal) -> String {
        let when = StepFacts.when(worst).map { " (\($0))" } ?? ""
        guard count > 1 else { return "\(StepFacts.text(worst))\(when), \(relation) \(StepFacts.value(bound, unit))" }
        return "\(measurement.prefix(StepFacts.nameLength)) \(relation) \(StepFacts.value(bound, unit)) in \(count) of \(total) readings, "
            + "\(relation.hasPrefix("above") ? "up" : "down") to \(StepFacts.value(worst.value, worst.unit))\(when)"
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
                problems += limit.problems(in: reported)
                if reported.isEmpty, limit.required != false { problems.append("no \(limit.measurement) is reported, which the policy limits") }
            }
        }
        for limit in stepLimits?[event.bizStepWord ?? ""] ?? [] { problems += limit.problems(in: event.measurements) }
        return problems
    }
}
