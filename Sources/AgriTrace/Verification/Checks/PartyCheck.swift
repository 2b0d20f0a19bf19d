import Foundation

/// The party an event names as acting is the party that signed it: a shipment's source owner,
/// a receipt's destination owner (`party.mismatch`). Otherwise anyone could sign "shipped by the
/// cooperative".
public struct PartyCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        guard context.options.policy?.partiesMustSign != false else { return [] }
        return context.records.compactMap { record in
            let event = record.event
            guard !event.isImported else { return nil }
            let step = event.bizStepWord
            let named: (role: String, gln: String?) = switch step {
            case "shipping": ("source (shipper)", event.sourceGLN)
            case "receiving": ("destination (receiver)", event.destinationGLN)
            default: ("", nil)
            }
            guard let gln = named.gln else { return nil }
            let signers = context.signers(of: record)
            guard !signers.isEmpty, !signers.contains(where: { $0.gln == gln }) else { return nil }
            let who = signers.map { "\($0.name) (GLN \($0.gln ?? "none"))" }.joined(separator: ", ")
            return Finding(.partyMismatch, record: record.digest,
                           "the \(step ?? "") event names GLN \(gln) as its \(named.role), but it is signed by \(who)")
        }
    }
}

extension TraceError.Code {
    public static let partyMismatch: Self = "party.mismatch"
    public static let stepMissing: Self = "policy.stepMissing"
    public static let stepOrder: Self = "policy.stepOrder"
    public static let threshold: Self = "policy.threshold"
    public static let limitExceeded: Self = "policy.limitExceeded"
    /// A logistic unit holding goods of several categories: no built-in policy was applied (a warning).
    public static let policyMixed: Self = "policy.mixed"
    /// No built-in policy fits the goods (their harvests declare no category with one): a warning.
    public static let policyNone: Self = "policy.none"
    public static let massBalanceExceeded: Self = "massBalance.exceeded"
    public static let massBalanceNegative: Self = "massBalance.negative"
    public static let massBalanceYield: Self = "massBalance.yield"
    public static let massBalanceUnit: Self = "massBalance.unit"
    public static let massBalanceRecreated: Self = "massBalance.recreated"
    public static let organicBrokenChain: Self = "organic.brokenChain"
}
