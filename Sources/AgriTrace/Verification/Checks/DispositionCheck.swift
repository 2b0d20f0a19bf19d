import Foundation

/// A record in the subject's history that finds its goods unfit is a problem for every buyer,
/// whatever the product policy: the provenance is intact, but what it proves is that the lot
/// failed. Goods are the subject's and those it was made or packed from
/// (``VerificationContext/subjectLots``), whenever the verdict on them was recorded.
///
/// - An inspection or lab test with the disposition `non_conformant` (`lot.nonConformant`). A
///   later conformant inspection of the same lot by a party of the same role (the honey dried
///   and tested again by a laboratory) turns it into a warning the buyer still reads. Testing a
///   blend instead does not: diluting a failed lot is no remedy.
/// - Goods declared `recalled` (`lot.recalled`), as another EPCIS system may record, by a party
///   that signed another record of them in the bundle: made, moved, held or examined them. A
///   recall by a party with no such record is a warning (`lot.recallUnfounded`), not a refusal:
///   any certified party could otherwise sign one and, once a trading partner imports it, have
///   every later buyer refuse goods it never touched.
public struct DispositionCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        // Verdicts on the goods that went into the subject, not on what travelled beside them.
        func judgesSubject(_ record: VerifiedRecordInput) -> Bool { !context.subjectLots.isDisjoint(with: record.identifiers) }
        let verdicts = context.subjectHistory.filter { $0.event.isVerdict && judgesSubject($0) }
        guard !verdicts.isEmpty else { return [] }
        let cleared = Retests(context.subjectHistory.filter(judgesSubject), context)
        let handlers = verdicts.contains(where: \.event.isRecall) ? Handlers(context) : Handlers()
        return verdicts.map { record in
            let known = context.signers(of: record).map(\.name).first
            let signer = known ?? "a signer the bundle does not identify"
            let who = record.event.isImported ? "another EPCIS system, as \(signer) attests," : signer
            let what = Self.lots(of: record)
            let day = record.event.eventTime.description.prefix(10)
            guard !record.event.isRecall else {
                let reason = record.event.reason.map { ": \($0)" } ?? ""
                guard handlers.handled(record, by: context.signers(of: record)) else {
                    return Finding(.lotRecallUnfounded, .warning, record: record.digest,
                        "\(who) recalled \(what) on \(day)\(reason); but signed no other record of it in this bundle (made, moved, held or "
                            + "examined it), so this is not counted as a recall of these goods" + (known.map { ": ask \($0) why" } ?? ""))
                }
                return Finding(.lotRecalled, record: record.digest, "\(who) recalled \(what) on \(day)\(reason)")
            }
            let facts = StepFacts.phrases(of: record.event).joined(separator: "; ")  // an inspection's: `non-conformant (moisture …)`
            let found = "\(who) found \(what) \(facts.isEmpty ? "non-conformant" : facts) on \(day)"
            if let retest = cleared.retest(after: record) {
                return Finding(.lotNonConformant, .warning, record: record.digest, "\(found); \(retest.name) found it conformant on \(retest.day)")
            }
            return Finding(.lotNonConformant, record: record.digest, "\(found), and no later inspection by a party of the same role found it conformant")
        }
    }

    /// This check alone over `bundle` (no trust anchors, no policy): what a party about to
    /// label, list or ship the bundle's subject should hear that buyers will be told.
    public static func findings(in bundle: ProvenanceBundle) throws -> [Finding] {
        findings(in: try BundleFile(data: try bundle.jsonData()))
    }

    /// ``findings(in:)-(ProvenanceBundle)`` of a bundle file read (a partner's, on import).
    public static func findings(in file: BundleFile) -> [Finding] {
        var options = VerificationOptions(trustAnchors: [])
        options.automaticPolicy = false
        let report = BundleVerifier(options: options, checks: [DispositionCheck()], recordChecks: []).verify(file)
        return report.findings.filter { [.lotNonConformant, .lotRecalled, .lotRecallUnfounded].contains($0.code) }
    }

    /// The lots a record names, for a sentence.
    private static func lots(of record: VerifiedRecordInput) -> String {
        let lots = record.identifiers.sorted()
        guard !lots.isEmpty else { return "the goods" }
        return lots.prefix(3).joined(separator: ", ") + (lots.count > 3 ? " and \(lots.count - 3) more" : "")
    }

    /// The parties (``SignerInfo/identity``: a GLN, so a renewed key counts as its party) that
    /// signed a record naming each lot or unit other than a recall: who made, moved, held or
    /// examined it. Goods on a pallet were handled by whoever handled the pallet (an importer
    /// receives the SSCC, not each lot by name).
    private struct Handlers {
        private var byLot: [String: Set<String>] = [:]
        /// The units each lot or unit was packed into.
        private var packedInto: [String: Set<String>] = [:]

        init() {}

        init(_ context: VerificationContext) {
            for record in context.records where !record.event.isRecall {
                if let unit = record.event.packedInto, let contents = record.event.flow?.from {
                    for content in contents { packedInto[content, default: []].insert(unit) }
                }
                let identities = context.signers(of: record).map(\.identity)
                guard !identities.isEmpty else { continue }
                for lot in record.identifiers { byLot[lot, default: []].formUnion(identities) }
            }
        }

        /// Whether one of `signers` handled a lot `recall` names, or a unit it was packed into.
        func handled(_ recall: VerifiedRecordInput, by signers: some Sequence<SignerInfo>) -> Bool {
            let identities = Set(signers.map(\.identity))
            var pending = Array(recall.identifiers), seen = Set(pending)
            while let goods = pending.popLast() {
                if let parties = byLot[goods], !parties.isDisjoint(with: identities) { return true }
                for unit in packedInto[goods] ?? [] where seen.insert(unit).inserted { pending.append(unit) }
            }
            return false
        }
    }

    /// The latest conformant inspection of each lot by each role, so that a failure is looked up
    /// once, not compared with every other record (a hostile bundle may hold 100,000 of each).
    private struct Retests {
        private var latest: [String: [Role: (time: Date, name: String, day: Substring)]] = [:]
        private let context: VerificationContext

        init(_ history: [VerifiedRecordInput], _ context: VerificationContext) {
            self.context = context
            for record in history where record.event.bizStepWord == "inspecting"
                && record.event.disposition.map(EPCISEvent.cbvWord) == "conformant" {
                let signers = context.signers(of: record)
                let entry = (record.event.eventTime.date, signers.first?.name ?? "", record.event.eventTime.description.prefix(10))
                for identifier in record.identifiers {
                    for role in signers.flatMap(\.roles) where (latest[identifier]?[role]?.time).map({ $0 < entry.0 }) ?? true {
                        latest[identifier, default: [:]][role] = entry
                    }
                }
            }
        }

        /// A conformant inspection after `failure` of every lot it names, by a party of a role
        /// that signed the failure.
        func retest(after failure: VerifiedRecordInput) -> (name: String, day: Substring)? {
            guard !failure.identifiers.isEmpty else { return nil }
            for role in Set(context.signers(of: failure).flatMap(\.roles)) {
                let retests = failure.identifiers.map { latest[$0]?[role] }
                guard retests.allSatisfy({ ($0?.time).map { $0 > failure.event.eventTime.date } ?? false }),
                      let last = retests.compactMap({ $0 }).max(by: { $0.time < $1.time }) else { continue }
                return (last.name, last.day)
            }
            return nil
        }
    }
}

extension TraceError.Code {
    public static let lotNonConformant: Self = "lot.nonConformant"
    public static let lotRecalled: Self = "lot.recalled"
    public static let lotRecallUnfounded: Self = "lot.recallUnfounded"
}
