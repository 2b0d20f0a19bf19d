import Foundation

/// Quantities balance along the DAG: per lot and holder, nothing leaves (shipped, packed,
/// consumed by a transformation) that did not enter (harvested, produced, received);
/// transformation outputs stay within the yield tolerance of their inputs; and units convert
/// only within their dimension (mass with mass, volume with volume).
public struct MassBalanceCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        var ledger = Ledger()
        let tolerance = context.options.policy?.yieldTolerance ?? Policy.YieldTolerance(min: 0, max: 1)
        for record in Self.ordered(context) {
            let event = record.event
            let signer = context.signers(of: record).first?.identity ?? "unknown signer"
            ledger.record = record.digest
            switch (event.type, event.bizStepWord) {
            case (.objectEvent, _) where event.isCommissioning:
                for q in event.quantityList ?? [] { ledger.give(q, to: signer, creating: true) }
            case (.objectEvent, "shipping"):
                let from = event.sourceGLN ?? signer
                for q in event.quantityList ?? [] {
                    ledger.take(q, from: from, verb: "ships")
                    if let to = event.destinationGLN { ledger.give(q, to: to) }
                }
            case (.aggregationEvent, _) where event.action == .add:
                for q in event.childQuantityList ?? [] { ledger.take(q, from: signer, verb: "packs") }
            case (.transformationEvent, _):
                for q in event.inputQuantityList ?? [] { ledger.take(q, from: signer, verb: "consumes") }
                for q in event.outputQuantityList ?? [] { ledger.give(q, to: signer, creating: true) }
                ledger.checkYield(event, tolerance: tolerance)
            default:
                for q in (event.quantityList ?? []) + (event.childQuantityList ?? []) { ledger.checkUnit(q) }
            }
        }
        return ledger.findings
    }

    static func baseUnit(_ dimension: String) -> String {
        switch dimension {
        case "mass": "kg"
        case "volume": "L"
        case "count": "units"
        default: dimension
        }
    }

    /// Records predecessors first, even when the bundle's own order is wrong.
    static func ordered(_ context: VerificationContext) -> [VerifiedRecordInput] {
        guard let order = try? LinkGraph(events: context.byDigest.mapValues(\.event)).topologicalOrder() else { return context.records }
        return order.compactMap { context.byDigest[$0] }
    }

    /// Balances per lot and holder, in each lot's base unit.
    fileprivate struct Ledger {
        var balances: [String: [String: Decimal]] = [:]
        var dimensions: [String: String] = [:]
        var findings: [Finding] = []
        var record = ""

        mutating func give(_ q: QuantityElement, to holder: String, creating: Bool = false) {
            guard let quantity = q.quantity, checkUnit(q, creating: creating) else { return }
            balances[q.epcClass, default: [:]][holder, default: 0] += UnitOfMeasure.of(q.uom).base(quantity)
        }

        mutating func take(_ q: QuantityElement, from holder: String, verb: String) {
            guard let quantity = q.quantity, checkUnit(q), balances[q.epcClass] != nil else { return }
            let unit = UnitOfMeasure.of(q.uom)
            let available = balances[q.epcClass]?[holder] ?? 0
            let wanted = unit.base(quantity)
            if wanted > available {
                findings.append(Finding(.massBalanceExceeded, record: record,
                    "\(verb) \(quantity) \(q.uom ?? "units") of \(q.epcClass), but \(holder) holds only \(available / unit.factor) \(q.uom ?? "units") of it at that point"))
                balances[q.epcClass]?[holder] = 0
            } else {
                balances[q.epcClass]?[holder] = available - wanted
            }
        }

        /// Whether the quantity's unit fits the lot's dimension; the first unit seen sets it.
        @discardableResult
        mutating func checkUnit(_ q: QuantityElement, creating: Bool = false) -> Bool {
            guard q.quantity != nil else { return true }
            let dimension = UnitOfMeasure.of(q.uom).dimension
            guard let known = dimensions[q.epcClass] else {
                if creating { dimensions[q.epcClass] = dimension }
                return true
            }
            guard known == dimension else {
                findings.append(Finding(.massBalanceUnit, record: record,
                    "states \(q.epcClass) in \(q.uom ?? "units") (\(dimension)), but the lot is measured in \(known); these units do not convert"))
                return false
            }
            return true
        }

        mutating func checkYield(_ event: EPCISEvent, tolerance: Policy.YieldTolerance) {
            func totals(_ list: [QuantityElement]?) -> [String: Decimal] {
                var sums: [String: Decimal] = [:]
                for q in list ?? [] { if let quantity = q.quantity { sums[UnitOfMeasure.of(q.uom).dimension, default: 0] += UnitOfMeasure.of(q.uom).base(quantity) } }
                return sums
            }
            let inputs = totals(event.inputQuantityList), outputs = totals(event.outputQuantityList)
            guard !inputs.isEmpty, !outputs.isEmpty else { return }
            guard inputs.count == 1, Set(inputs.keys) == Set(outputs.keys), let dimension = inputs.keys.first,
                  let input = inputs[dimension], let output = outputs[dimension], input > 0 else {
                findings.append(Finding(.massBalanceUnit, record: record,
                    "transforms \(inputs.keys.sorted().joined(separator: "+")) into \(outputs.keys.sorted().joined(separator: "+")); the yield cannot be checked across units that do not convert"))
                return
            }
            let ratio = output / input
            if ratio > tolerance.max || ratio < tolerance.min {
                findings.append(Finding(.massBalanceYield, record: record,
                    "turns \(input) \(MassBalanceCheck.baseUnit(dimension)) into \(output) \(MassBalanceCheck.baseUnit(dimension)), a yield of \(NSDecimalNumber(decimal: ratio).doubleValue.formatted(.number.precision(.fractionLength(3)))); allowed \(tolerance.min)…\(tolerance.max)"))
            }
        }
    }
}
