import Foundation

extension VerificationReport {
    /// The journey from farm to buyer, one line per record with a mark, findings under each
    /// record, and the level last. Plain text that reads well in a terminal or an e-mail: each
    /// line made safe (``TerminalText``), for names, subjects and messages come from the bundle.
    public func journeyText() -> String {
        var lines: [String] = []
        if let subject { lines.append("Provenance of \(subject)" + (policy.map { " (policy: \($0))" } ?? "")) }
        if let product { lines.append("Product: " + Self.names(product)) }
        if let harvestedFrom { lines.append("From harvests of: " + harvestedFrom.map(Self.names).joined(separator: "; ")) }
        var byRecord = Dictionary(grouping: findings, by: { $0.record ?? "" })
        let lotNames = LotNames(records.flatMap { ($0.lots ?? []) + ($0.inputLots ?? []) }.map(\.epcClass))
        for record in records {
            let mark = switch record.mark { case .trusted: "✔"; case .valid: "?"; case .invalid: "✘" }
            let day = String(record.eventTime.prefix(10))
            let step = (record.step ?? record.type).padding(toLength: 13, withPad: " ", startingAt: 0)
            var line = "\(mark) \(day)  \(step) \(record.signer ?? "unknown signer")"
            if let location = record.location { line += " at \(Self.shortLocation(location))" }
            let facts = StepFacts.phrases(step: record.step, disposition: record.disposition, measurements: record.measurements ?? [],
                                          plots: record.plots ?? [], certificate: record.certificate,
                                          harvested: LotOrigin.days(record.harvestStart, record.harvestEnd), reason: record.reason)
                + (record.shortfall ?? []).map { short in
                    let lot = short.lot == subject ? "" : " of lot " + lotNames(short.lot)
                    return "\(UnitOfMeasureName.text(short.missing, short.uom))\(lot) short of the \(UnitOfMeasureName.text(short.shipped, short.uom)) shipped"
                }
            let goods = MovementText.goods(consumed: record.inputLots ?? [], lots: record.lots ?? [], units: record.units ?? [],
                                           subject: subject, name: lotNames)
            if let detail = StepFacts.detail(movement: [goods, Self.container(of: record), Self.counterparty(of: record)],
                                             facts: facts) {
                line += " — " + detail
            }
            if record.otherGoods == true { line += "  [other goods: shared a pallet or a shipment with these]" }
            lines.append(line)
            // A record's findings go under its first copy only: findings name records by digest.
            for finding in byRecord.removeValue(forKey: record.digest) ?? [] {
                lines.append("      \(finding.severity == .warning ? "note" : "problem") [\(finding.code)] \(finding.message)")
            }
        }
        let digests = Set(records.map(\.digest))
        let general = findings.filter { $0.record.map { !digests.contains($0) } ?? true }
        if !general.isEmpty {
            lines.append("Bundle:")
            for finding in general {
                let place = finding.record.map { " (\($0))" } ?? ""
                lines.append("      \(finding.severity == .warning ? "note" : "problem") [\(finding.code)]\(place) \(finding.message)")
            }
        }
        if let label {
            let problems = findings.filter { $0.code.rawValue.hasPrefix("label.") && $0.severity != .warning }
            // A pallet's or carton's label (SSCC) names the bundle's unit, or the unit holding its lot.
            let named = !label.contains("/00/") ? "this lot" : subject?.contains("/00/") == true ? "this unit" : "the unit holding this lot"
            lines.append(problems.isEmpty ? "Label ✔ the scanned label names \(named) and was signed by a party allowed to label it: \(label.prefix(70))…"
                : problems.allSatisfy { $0.code == .labelUnauthenticated }
                ? "Label ? the scanned label names \(named) but carries no signature: anyone could have printed it"
                : problems.allSatisfy { [.labelUnauthenticated, .labelClaimMismatch].contains($0.code) }
                ? "Label ✘ the scanned label states a harvest date or origin the lot's records do not (see the problems above)"
                : "Label ✘ the scanned label does not belong to this bundle (see the problems above)")
        }
        lines.append(Self.verdict(level, unusable: unusable, findings: findings))
        return lines.map { TerminalText.safe($0) }.joined(separator: "\n") + "\n"
    }

    /// Whom a record's goods went to or came from (``MovementText/counterparty(step:source:destination:)``).
    static func counterparty(of record: RecordSummary) -> String? {
        MovementText.counterparty(step: record.step, source: (record.source, record.sourceGLN), destination: (record.destination, record.destinationGLN))
    }

    /// The unit an aggregation packs into, unpacks or finds its contents in (``MovementText/container(parent:action:)``).
    static func container(of record: RecordSummary) -> String? {
        MovementText.container(parent: record.parent, action: record.action)
    }

    static func shortLocation(_ uri: String) -> String {
        if let range = uri.range(of: "/414/") { return "GLN " + uri[range.upperBound...] }
        return uri
    }

    /// The last line. A provenance refused only because it proves the goods recalled or failed
    /// says that, not that the provenance is unreliable.
    static func verdict(_ level: TrustLevel, unusable: Bool, findings: [Finding]) -> String {
        if unusable { return "Result: UNUSABLE — this file cannot be verified." }
        switch level {
        case .trusted: return "Result: TRUSTED — every record is intact, consistent and signed under your trust anchors."
        case .valid: return "Result: VALID BUT NOT TRUSTED — intact and consistent, but some signer is not shown to be under your trust anchors and unrevoked."
        case .invalid:
            let errors = Set(findings.filter { $0.severity == .error }.map(\.code.rawValue))
            let verdicts = [(TraceError.Code.lotRecalled, "the goods were recalled"), (.lotNonConformant, "the goods failed an inspection")]
            let said = verdicts.filter { errors.contains($0.0.rawValue) }.map(\.1)
            guard !said.isEmpty else { return "Result: INVALID — do not rely on this provenance." }
            let more = errors.subtracting(verdicts.map(\.0.rawValue)).isEmpty ? "" : "; see the other problems above"
            return "Result: INVALID — \(said.joined(separator: " and ")): do not sell or consume them\(more)."
        }
    }

    /// A product's names in one line, English first, then the producer's Vietnamese, then the
    /// buyers' languages: `Ham Yen king orange · Cam sành Hàm Yên · ส้มฮัมเยน`.
    static func names(_ product: [String: String]) -> String {
        let order = ["en", "vi", "zh", "th"]
        return (order.compactMap { product[$0] } + product.filter { !order.contains($0.key) }.sorted { $0.key < $1.key }.map(\.value))
            .joined(separator: " · ")
    }
}
