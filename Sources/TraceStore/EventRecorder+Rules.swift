import AgriTrace
import Foundation

/// What ``EventRecorder`` checks before it signs: each rule one function with one refusal,
/// each refusing what no verifier would accept or what cannot be true.
extension EventRecorder {
    /// The signer's certificate gives it a role that may perform the event's step (a laboratory
    /// inspects, a cooperative harvests and ships): what every verifier checks (`policy.roleNotAllowed`),
    /// with the general table and with the built-in policy of each product category of the
    /// event's goods, which their buyers apply by default (honey is blended by a processor; a
    /// pallet of honey and herbs is shipped by whom both policies allow).
    /// `categories`: the goods' (``categories(of:_:)``).
    func mayPerform(_ event: EPCISEvent, categories: Set<String>) throws {
        let step = event.bizStepWord, held = Role.roles(of: signer.certificate)
        var allowed = StepRoles.default.roles(for: step)
        let policies = categories.sorted().compactMap { Policy.builtIn[$0] }
        for policy in policies { allowed.formIntersection(policy.stepRoleTable.roles(for: step)) }
        guard allowed.isDisjoint(with: held) else { return }
        let under = policies.isEmpty ? "" : " under the \(policies.map(\.name).joined(separator: " and ")) \(policies.count == 1 ? "policy" : "policies") buyers apply"
        throw TraceError("role.notAllowed", "this party's certificate gives it the role(s) \(held.map(\.rawValue).sorted().joined(separator: ", ")); "
                         + "\(step.map { "a record of step \($0)" } ?? "a record without a step")\(under) needs one of \(allowed.map(\.rawValue).sorted().joined(separator: ", ")), "
                         + "or every verifier would refuse it")
    }

    /// A transformation yields what buyers accept: nothing heavier than what went in, measured
    /// alike, and within the yield the built-in policy of the goods' category allows (honey
    /// 0.95…1, beef cuts 0.55…0.8); kilograms of oranges into litres of juice do not compare and
    /// pass (a verifier notes it).
    func yieldWithin(_ event: EPCISEvent, category: String?) throws {
        let policy = category.flatMap { Policy.builtIn[$0] }
        let tolerance = policy?.yieldTolerance ?? .general
        guard let problem = LotLedger.yieldProblem(of: event, tolerance: tolerance), problem.severity == .error else { return }
        let under = policy.map { " under the \($0.name) policy buyers apply" } ?? " (a transformation cannot make more than it takes)"
        throw TraceError("quantity.yield", "this transformation \(problem.message)\(under)")
    }

    /// A transformation that claims organic takes only lots whose harvest or making claims it
    /// too: what every verifier checks (`organic.brokenChain`). A lot this registry does not
    /// hold the making of is the link check's affair.
    func organicInputs(_ event: EPCISEvent, _ tx: RegistryTransaction) throws {
        guard event.type == .transformationEvent, let claim = event.organicClaim else { return }
        for input in event.inputQuantityList ?? [] {
            guard let creator = try tx.creator(of: input.epcClass), creator.event.organicClaim == nil else { continue }
            throw TraceError("organic.brokenChain", "the blend claims organic certificate \(claim), but input \(input.epcClass) comes from "
                             + "record \(creator.digest), which claims none: every verifier would refuse the claim")
        }
    }

    /// What a buyer's verifier will hold against a step just recorded, said at once, not
    /// refused: its measured values outside the limits of its goods' built-in policy (`moisture
    /// 21.5 %, above the limit of 20 % (the honey policy buyers apply)`: a laboratory records what
    /// it found), and each lot it moves, packs or ships, loose or in a unit, that an inspection
    /// found non-conformant (`policy.limitExceeded`, `policy.measurementMissing`, and
    /// `lot.nonConformant`).
    public func notes(for envelope: Envelope) throws -> [String] {
        let event = try EPCISEvent.decode(payload: envelope.payload)
        let names = try workspace.registry.partyNames().bySigner
        return try workspace.registry.read { tx in
            var notes: [String] = []
            for policy in try categories(of: event, tx).sorted().compactMap({ Policy.builtIn[$0] }) {
                notes += policy.limitProblems(of: event, signedWith: Role.roles(of: signer.certificate)).map { "\($0) (the \(policy.name) policy buyers apply)" }
            }
            if let claim = event.organicClaim { notes += try certificateNotes(claim, event, tx) }
            notes += try unnamedProducts(of: event, tx)
            guard event.bizStepWord != "inspecting" else { return notes }
            for lot in try lotsMoved(by: event, tx) {
                for record in try tx.verdicts(on: lot) {
                    let who = names[record.signerKeyid] ?? "a party", day = record.event.eventTime.description.prefix(10)
                    switch record.event.disposition.map(EPCISEvent.cbvWord) {
                    case "non_conformant":
                        let facts = StepFacts.phrases(of: record.event).joined(separator: "; ")
                        notes.append("\(lot) was found \(facts) by \(who) on \(day): every buyer's verifier refuses it (lot.nonConformant) "
                                     + "unless a later inspection by a party of the same role finds it conformant")
                    case "recalled":
                        let reason = record.event.reason.map { " (\($0.prefix(EPCISEvent.keptReasonLength)))" } ?? ""
                        guard try tx.handlers(of: lot).contains(try tx.party(of: record)) else {
                            notes.append("\(lot) was recalled by \(who) on \(day)\(reason), who has no other record of it here: buyers' verifiers "
                                         + "note the recall but do not refuse the lot for it (lot.recallUnfounded)")
                            continue
                        }
                        notes.append("\(lot) was recalled by \(who) on \(day)\(reason): every buyer's verifier refuses it (lot.recalled); "
                                     + "send it only back to whoever recalled it")
                    default:
                        break
                    }
                }
            }
            return notes
        }
    }

    /// A note when organic certificate `number` is not among those registered here: its
    /// validity went unchecked, and a mistyped number is found only by the buyer, whose verifier
    /// then finds no certifier's inspection under it.
    public func unregisteredCertificateNote(_ number: String) throws -> String? {
        try workspace.registry.read { try $0.heldCertificate(number) } == nil ? Self.unregisteredCertificateNote(number) : nil
    }

    /// What buyers will make of the organic certificate `event` claims or attests: unchecked when
    /// not registered here; for a certifier's inspection, refused for a lot harvested outside
    /// the validity it attests (as registered here).
    private func certificateNotes(_ number: String, _ event: EPCISEvent, _ tx: RegistryTransaction) throws -> [String] {
        let inspecting = event.bizStepWord == "inspecting"
        guard let held = try tx.heldCertificate(number) else {
            return [inspecting ? "organic certificate \(number) is not registered here ('agritrace certificate add'): the inspection states "
                        + "no validity, so buyers take it to cover any harvest date" : Self.unregisteredCertificateNote(number)]
        }
        guard inspecting else { return [] }
        return try (event.quantityList ?? []).compactMap { element in
            guard let harvest = try tx.creator(of: element.epcClass)?.event, harvest.organicClaim == number else { return nil }
            let origin = harvest.harvestOrigin
            guard let days = origin.harvestDays, [origin.firstDay, origin.lastDay].contains(where: { $0.map { !held.isValid(on: $0) } ?? false })
            else { return nil }
            return "\(element.epcClass) was harvested on \(days), outside certificate \(number)'s validity (\(held.validFrom) to \(held.validUntil)): "
                + "this inspection does not earn it the organic claim buyers check (organic.brokenChain)"
        }
    }

    private static func unregisteredCertificateNote(_ number: String) -> String {
        "organic certificate \(number) is not registered here ('agritrace certificate add'): its validity went unchecked, "
            + "and should the number be mistyped, every buyer's verifier refuses the organic claim (organic.brokenChain)"
    }

    /// The lots `event` moves (those it names with amounts, and those packed into the logistic
    /// units it names), and the lots they were made of.
    private func lotsMoved(by event: EPCISEvent, _ tx: RegistryTransaction) throws -> [String] {
        let (consumed, lots) = event.lotAmounts
        var moved = (consumed + lots).map(\.epcClass)
        for unit in event.namedUnits where DigitalLink.isLogisticUnit(unit) {
            for packing in try tx.packings(of: unit) { moved += (packing.event.childQuantityList ?? []).map(\.epcClass) }
        }
        // And what they were made of: a blend carries a recall of what went into it.
        var seen = Set<String>(), index = 0, decoded: [Int64: EPCISEvent] = [:]
        moved = moved.filter { seen.insert($0).inserted }
        while index < moved.count, moved.count < Self.ancestryLimit {
            let lot = moved[index]
            index += 1
            for made in try tx.transformations(naming: lot, decoded: &decoded) where made.createdIdentifiers.contains(lot) {
                for input in made.inputQuantityList ?? [] where seen.insert(input.epcClass).inserted { moved.append(input.epcClass) }
            }
        }
        return moved
    }

    /// A transformation's output products that no record names (this one names those registered
    /// here; a partner's harvest or transformation may name others): a buyer's report and
    /// partners' labels will not say what the goods are.
    private func unnamedProducts(of event: EPCISEvent, _ tx: RegistryTransaction) throws -> [String] {
        guard event.type == .transformationEvent else { return [] }
        var unnamed: [String] = []
        for product in Set(event.madeGoods.compactMap { DigitalLink.gtin(of: $0) }).sorted(by: { $0.value < $1.value })
        where try event.names(ofProduct: product.value).isEmpty && tx.namingRecord(ofGTIN: product) == nil {
            unnamed.append(product.value)
        }
        guard !unnamed.isEmpty else { return [] }
        return ["product \(unnamed.joined(separator: ", ")) \(unnamed.count == 1 ? "is" : "are") not registered here, so the record does not name "
                + "\(unnamed.count == 1 ? "it" : "them"): buyers' reports and partners' labels will not say what the goods are "
                + "('agritrace product add' before the next transformation into \(unnamed.count == 1 ? "it" : "them"))"]
    }

    /// The lots a step's notes look at, the moved ones and those they were made of: a bound for
    /// a blend of blends of thousands of lots.
    static let ancestryLimit = 10_000

    /// The product categories of `event`'s goods: the one a harvest declares, else those of the
    /// lots it names (and those packed into the units it names), as this registry knows them.
    /// Each lot's buyers apply its own category's built-in policy.
    func categories(of event: EPCISEvent, _ tx: RegistryTransaction) throws -> Set<String> {
        if let declared = event.productCategory { return [declared] }
        let (consumed, lots) = event.lotAmounts
        var goods = (consumed + lots).map(\.epcClass)
        // A step naming pallets only (shipping one, a carrier's temperature log) is about what was packed into them.
        for unit in event.identifiers where DigitalLink.isLogisticUnit(unit) {
            goods += try tx.packings(of: unit).flatMap { ($0.event.childQuantityList ?? []).map(\.epcClass) + ($0.event.childEPCs ?? []) }
        }
        var categories = Set<String>()
        for gtin in Set(goods.map { ProductNames.gtin(of: $0) }) {
            guard let key = try? GTIN(gtin) else { continue }
            categories.formUnion(try tx.categories(ofGTIN: key))
        }
        return categories
    }

    /// An event happens no earlier than the records it follows: a shipment dated before its
    /// harvest is what every verifier refuses (`link.timeOrder`). Within the clock skew verifiers
    /// allow by default it is not: a partner's clock a minute fast must not stop a receipt
    /// stamped by this party's clock (the registry allows its own events as far into the future).
    func notBeforeInputs(_ event: EPCISEvent, _ tx: RegistryTransaction) throws {
        for link in event.inputs {
            guard let input = try tx.eventTime(of: link.record),
                  input.date.timeIntervalSince(event.eventTime.date) > VerificationOptions.defaultClockSkew else { continue }
            throw TraceError("time.order", "the event would be dated \(event.eventTime), before \(input.text), "
                             + "the time of record \(link.record) of \(link.lot) that it follows")
        }
    }

    func known(_ identifier: String, _ tx: RegistryTransaction) throws -> String {
        guard let latest = try tx.latestRecord(touching: identifier) else {
            throw TraceError("lot.unknown", "\(identifier) is not in the registry")
        }
        return latest
    }

    /// The latest record of a logistic unit this party holds: packed or received here, and not
    /// shipped or unpacked since.
    func held(_ unit: String, _ tx: RegistryTransaction) throws -> String {
        let records = try tx.records(concerning: unit)
        guard let last = records.last(where: { UnitCustody.after($0.event) != nil }), let custody = UnitCustody.after(last.event),
              let latest = records.last else { throw TraceError("lot.unknown", "\(unit) is not in the registry") }
        switch custody {
        case .held(by: workspace.config.gln): return latest.digest
        case .unpacked: throw TraceError("sscc.unpacked", "\(unit) was unpacked (record \(last.digest))")
        case .held(let holder): throw TraceError("sscc.notHeld", "\(unit) is not held here but at GLN \(holder ?? "?") (record \(last.digest))")
        case .inTransit(let destination):
            throw TraceError("sscc.notHeld", "\(unit) is not held here but on its way to GLN \(destination ?? "?") (record \(last.digest))")
        }
    }

    /// The latest record of a logistic unit on its way between two parties: shipped, and not
    /// received since, and when it was shipped. A carrier records only what is in transit.
    func inTransit(_ unit: String, _ tx: RegistryTransaction) throws -> (latest: String, shipped: EPCISTime) {
        let records = try tx.records(concerning: unit)
        guard let last = records.last(where: { UnitCustody.after($0.event) != nil }), let custody = UnitCustody.after(last.event),
              let latest = records.last else { throw TraceError("lot.unknown", "\(unit) is not in the registry (import its shipper's bundle)") }
        guard case .inTransit = custody else {
            throw TraceError("sscc.notInTransit", "\(unit) is not in transit: its last move (record \(last.digest)) was \(last.event.bizStepWord ?? "a step") "
                             + "at GLN \(last.event.locationGLN ?? "?"); a carrier records units between shipping and receiving")
        }
        return (latest.digest, last.event.eventTime)
    }

    /// `amount` with its unit settled: as given, else the lot's own (the unit it was first
    /// stated in), else its product's (a registered GTIN), else `otherwise`, else kilograms.
    /// The lot's ledger replayed for its unit is kept for ``available(_:_:)``: one replay of its records, not two.
    func measured(_ amount: Amount, _ tx: RegistryTransaction, otherwise: String? = nil) throws -> Measured {
        if let unit = amount.unit { return Measured(lot: amount.lot, quantity: amount.quantity, unit: unit, ledger: nil) }
        let ledger = try tx.ledger(for: amount.lot)
        let unit = try ledger.statedUnit(of: amount.lot) ?? (try? GTIN(ProductNames.gtin(of: amount.lot))).flatMap { try tx.product($0)?.unit }
            ?? otherwise ?? "KGM"
        return Measured(lot: amount.lot, quantity: amount.quantity, unit: unit, ledger: ledger)
    }

    func available(_ amount: Measured, _ tx: RegistryTransaction) throws {
        let ledger = try amount.ledger ?? tx.ledger(for: amount.lot)
        let holds = ledger.balance(of: amount.lot, holder: workspace.config.gln, unit: amount.unit)
        if let dimension = ledger.dimension(of: amount.lot), dimension != UnitOfMeasureName.dimension(amount.unit) {
            throw TraceError("quantity.unit", "\(amount.lot) is measured in \(dimension), not in \(amount.unit)")
        }
        guard amount.quantity <= holds else {
            throw TraceError("quantity.exceeded", "this party holds \(UnitOfMeasureName.text(holds, amount.unit)) of \(amount.lot), less than the \(UnitOfMeasureName.text(amount.quantity, amount.unit)) asked for")
        }
    }

    /// Amounts drawn from this party's stock (shipped, written off): each lot once, its quantity
    /// more than zero, known here and no more than held; with the link to each lot's latest record.
    func drawing(_ amounts: [Amount], lots: String, quantity: String, _ tx: RegistryTransaction) throws -> ([Measured], [InputLink]) {
        try Self.eachLotOnce(amounts, lots)
        let amounts = try amounts.map { try measured($0, tx) }
        var links: [InputLink] = []
        for amount in amounts {
            try Self.positive(amount.quantity, what: quantity)
            links.append(InputLink(record: try known(amount.lot, tx), lot: amount.lot))
            try available(amount, tx)
        }
        return (amounts, links)
    }

    /// Each lot at most once: stock is checked amount by amount, so a lot named twice could
    /// draw twice on what it holds.
    static func eachLotOnce(_ amounts: [Amount], _ what: String) throws {
        var seen = Set<String>()
        for amount in amounts where !seen.insert(amount.lot).inserted {
            throw TraceError("argument.invalid", "\(amount.lot) appears twice among the \(what); give it once, with the whole quantity")
        }
    }

    /// A recall's or a write-off's reason: words buyers and auditors read, not blank, at most 1,000 characters.
    static func reasonGiven(_ reason: String, for what: String) throws {
        guard !reason.allSatisfy(\.isWhitespace), reason.count <= 1000 else {
            throw TraceError("argument.invalid", "\(what) needs its reason, in at most 1,000 characters")
        }
    }

    static func positive(_ quantity: Decimal, what: String) throws {
        guard quantity > 0 else { throw TraceError("argument.invalid", "\(what) must be more than zero, not \(quantity)") }
    }

    /// An organic certificate reference, when given, names something: a blank one would claim a certificate and name none.
    static func notBlank(_ certificate: String?) throws {
        guard let certificate, certificate.allSatisfy(\.isWhitespace) else { return }
        throw TraceError("argument.invalid", "the organic certificate reference is blank; leave it out, or give the certificate's number")
    }

    /// The latest shipment of `identifier` from `source` to this party, and how much of it is
    /// left to receive in `unit` (for a logistic unit: 1, or 0 once received).
    func shipmentToReceive(_ identifier: String, from source: GLN, unit: String?, _ tx: RegistryTransaction) throws -> (String, Decimal) {
        let records = try tx.records(concerning: identifier)
        guard let index = records.lastIndex(where: {
            $0.event.bizStepWord == "shipping" && $0.event.destinationGLN == workspace.config.gln && $0.event.sourceGLN == source.value
        }) else {
            throw TraceError("shipment.unknown", "no shipment of \(identifier) from GLN \(source) to GLN \(workspace.config.gln) is in the registry; "
                             + "import the sender's bundle first")
        }
        let shipment = records[index].digest
        let receipts = records[(index + 1)...].filter { $0.event.bizStepWord == "receiving" && $0.event.inputs.contains { $0.record == shipment } }
        func carried(_ event: EPCISEvent) -> Decimal {
            guard let unit else { return (event.epcList ?? []).contains(identifier) ? 1 : 0 }
            return (event.quantityList ?? []).filter { $0.epcClass == identifier }.reduce(0) { total, element in
                total + (element.quantity.flatMap { UnitOfMeasureName.convert($0, from: element.uom, to: unit) } ?? 0)
            }
        }
        if let unit, let shipped = records[index].event.quantityList?.first(where: { $0.epcClass == identifier }),
           UnitOfMeasureName.convert(1, from: shipped.uom, to: unit) == nil {
            throw TraceError("quantity.unit", "the shipment \(shipment) carried \(identifier) in \(shipped.uom ?? "units"), which does not convert to \(unit)")
        }
        return (shipment, receipts.reduce(carried(records[index].event)) { $0 - carried($1.event) })
    }
}
