import Foundation

/// Quantities of each lot held by each party, replayed event by event: harvests and
/// transformation outputs create stock, shipments move it, packing, transformation inputs and
/// write-offs (`destroying`) consume it. The verifier's mass-balance check and the registry's refusals both use it.
///
/// A shipment credits its destination with what it carried until the destination records
/// receiving it; from then on the destination holds what its receipts of that shipment say (a
/// loss on the way is not stock: 1,185 kg received of 1,200 kg shipped leaves 1,185 kg to ship).
public struct LotLedger: Sendable {
    /// What the ledger knows of one lot. A lot it has never heard of is a `Lot()`.
    private struct Lot {
        /// What each holder has of it, in base units (holders by code point, ``ExactText``).
        var balances: [ExactText: Decimal] = [:]
        /// Whether any holder was ever credited with it (see ``knows(_:)``).
        var isKnown = false
        /// The dimension its quantities are in, set by its creation.
        var dimension: String?
        /// The unit it was first stated in (its harvest's, or the first shipment's of a partner's lot).
        var statedUnit: String?
        /// The record that created it (a harvest or a transformation's output).
        var creator: String?
    }
    /// Every lot's state, at the position ``positions`` gives: a quantity's lot identifier (a
    /// Digital Link of 50-odd bytes) is hashed once per step, not once for each thing known of it.
    private var lots: [Lot] = []
    private var positions: [ExactText: Int] = [:]
    /// What each logistic unit holds of each lot, in base units, packed and not yet unpacked.
    private var packed: [ExactText: [ExactText: Decimal]] = [:]
    /// Each lot a shipment carried, by shipment record and lot position (one flat table: a bundle
    /// holds thousands of shipments): its destination, what it carried, and what the destination
    /// has received of it (nil until its first receipt, when it is credited with all it carried).
    private var shipped: [ShippedLot: (destination: String, carried: Decimal, received: Decimal?)] = [:]
    private struct ShippedLot: Hashable {
        let shipment: ExactText, lot: Int

        init(shipment: String, lot: Int) { (self.shipment, self.lot) = (ExactText(shipment), lot) }

        /// ``ExactText``'s hash of the shipment's digest, the lot's position mixed into the seed.
        func _rawHashValue(seed: Int) -> Int { ExactText.rawHash(of: shipment.text, seed: seed ^ lot &* 0x9E37_79B9) }
    }
    /// What did not balance, with the record it concerns.
    public private(set) var findings: [Finding] = []
    private var record = ""
    private let tolerance: Policy.YieldTolerance

    public init(yieldTolerance: Policy.YieldTolerance = .general) {
        tolerance = yieldTolerance
    }

    /// Applies one event signed by `signer` (a GLN or name) in record `digest`. An event with a
    /// negative quantity changes nothing and is a finding: taking a negative amount would add
    /// stock, so a shipment of -50 kg could make room for 50 kg that never existed.
    public mutating func apply(_ event: EPCISEvent, signer: String, digest: String) {
        record = digest
        if let q = event.negativeQuantity {
            findings.append(Finding(.massBalanceNegative, record: record,
                "states \(UnitOfMeasureName.text(q.quantity ?? 0, q.uom)) of \(q.epcClass): a quantity cannot be negative"))
            return
        }
        switch (event.type, event.bizStepWord) {
        case (.objectEvent, _) where event.isCommissioning:
            event.quantityList.forEachInPlace { q in give(q, to: signer, creating: true) }
        case (.objectEvent, "shipping"):
            let from = event.sourceGLN ?? signer
            // An imported event is attested by its signer, not performed (no party check holds it
            // to its source): it draws on no other party's stock, or anyone could empty a lot's.
            let draws = !event.isImported || from == signer
            event.quantityList.forEachInPlace { q in
                if draws { take(q, from: from, verb: "ships") }
                if let to = event.destinationGLN {
                    let lot = give(q, to: to)
                    let unit = UnitOfMeasure.of(q.uom)
                    if let quantity = q.quantity, (lots[lot].dimension.map { $0 == unit.dimension } ?? true) {
                        shipped[ShippedLot(shipment: digest, lot: lot), default: (to, 0, nil)].carried.add(unit.base(quantity))
                    }
                }
            }
        case (.objectEvent, "receiving"):
            receive(event, signer: signer)
        case (.objectEvent, "destroying"):
            event.quantityList.forEachInPlace { q in take(q, from: signer, verb: "writes off") }
        case (.aggregationEvent, _) where event.action == .add:
            event.childQuantityList.forEachInPlace { q in
                take(q, from: signer, verb: "packs")
                if let unit = event.parentID, let quantity = q.quantity { packed[ExactText(unit), default: [:]][ExactText(q.epcClass), default: 0].add(UnitOfMeasure.of(q.uom).base(quantity)) }
            }
        case (.aggregationEvent, _) where event.action == .delete:
            event.childQuantityList.forEachInPlace { q in unpack(q, from: event.parentID, to: signer) }
        case (.transformationEvent, _):
            event.inputQuantityList.forEachInPlace { q in take(q, from: signer, verb: "consumes") }
            event.outputQuantityList.forEachInPlace { q in give(q, to: signer, creating: true) }
            checkYield(event)
        default:  // read where the lists hold them: joining the two lists copied every element
            event.quantityList.forEachInPlace { q in checkUnit(q, of: position(of: q.epcClass)) }
            event.childQuantityList.forEachInPlace { q in checkUnit(q, of: position(of: q.epcClass)) }
        }
    }

    /// How much of `lot` `holder` has, in `unit` (default: the lot's base unit, kg or L).
    public func balance(of lot: String, holder: String, unit: String? = nil) -> Decimal {
        let base = positions[ExactText(lot)].flatMap { lots[$0].balances[ExactText(holder)] } ?? 0
        return unit.map { UnitOfMeasure.of($0).amount(fromBase: base) } ?? base
    }

    /// Every lot `holder` has some of, in the unit the lot was first stated in, in byte order.
    public func holdings(of holder: String) -> [(lot: String, quantity: Decimal, unit: String?)] {
        positions.compactMap { lot, position -> (lot: String, quantity: Decimal, unit: String?)? in
            guard let base = lots[position].balances[ExactText(holder)], base > 0 else { return nil }
            let unit = lots[position].statedUnit
            return (lot.text, UnitOfMeasure.of(unit).amount(fromBase: base), unit)
        }.sorted { CodePointOrder.precedes($0.lot, $1.lot) }
    }

    /// The unit `lot` was first stated in (its harvest's, or the first shipment's of a partner's lot).
    public func statedUnit(of lot: String) -> String? { positions[ExactText(lot)].flatMap { lots[$0].statedUnit } }

    /// Whether the ledger has seen `lot` created.
    public func knows(_ lot: String) -> Bool { positions[ExactText(lot)].map { lots[$0].isKnown } ?? false }

    /// The dimension (`mass`, `volume`, …) a lot is measured in, once known.
    public func dimension(of lot: String) -> String? { positions[ExactText(lot)].flatMap { lots[$0].dimension } }

    /// Where `lot`'s state is in ``lots``; a lot not seen before gets a place.
    private mutating func position(of lot: String) -> Int {
        if let position = positions[ExactText(lot)] { return position }
        positions[ExactText(lot)] = lots.count
        lots.append(Lot())
        return lots.count - 1
    }

    /// Credits `holder` with `q`; the position of its lot.
    @discardableResult
    private mutating func give(_ q: QuantityElement, to holder: String, creating: Bool = false) -> Int {
        let lot = position(of: q.epcClass)
        if creating {
            // A lot is harvested or made once: a second creation would pass other goods off under its name.
            if let first = lots[lot].creator, first != record {
                findings.append(Finding(.massBalanceRecreated, record: record,
                    "creates \(q.epcClass) again, which record \(first) already created: a lot is harvested or made once"))
            } else {
                lots[lot].creator = record
            }
        }
        guard let quantity = q.quantity, checkUnit(q, of: lot, creating: creating) else { return lot }
        if lots[lot].statedUnit == nil { lots[lot].statedUnit = q.uom }
        lots[lot].isKnown = true
        lots[lot].balances[ExactText(holder), default: 0].add(UnitOfMeasure.of(q.uom).base(quantity))
        return lot
    }

    /// A holder as messages name it: `GLN 8936000100018` for a GLN, a name as it is.
    static func party(_ holder: String) -> String {
        holder.utf8.count == 13 && holder.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ? "GLN \(holder)" : holder
    }

    private mutating func take(_ q: QuantityElement, from holder: String, verb: String) {
        guard let quantity = q.quantity else { return }
        let lot = position(of: q.epcClass)
        guard checkUnit(q, of: lot), lots[lot].isKnown else { return }
        let unit = UnitOfMeasure.of(q.uom)
        let available = lots[lot].balances[ExactText(holder)] ?? 0
        let wanted = unit.base(quantity)
        if DecimalLayout.isLess(available, than: wanted) {
            findings.append(Finding(.massBalanceExceeded, record: record,
                "\(verb) \(UnitOfMeasureName.text(quantity, q.uom)) of \(q.epcClass), but \(Self.party(holder)) holds only \(UnitOfMeasureName.text(unit.amount(fromBase: available), q.uom)) of it at that point"))
            lots[lot].balances[ExactText(holder)] = 0
        } else {
            lots[lot].balances[ExactText(holder)] = DecimalLayout.difference(available, wanted)
        }
    }

    /// A receipt by a shipment's destination of lots it carried: the destination holds what it
    /// received of each, no longer what was shipped. A receipt by another party, or of a lot the
    /// shipment did not carry, changes nothing (the registry refuses both).
    private mutating func receive(_ event: EPCISEvent, signer: String) {
        // As on any step, a quantity in a unit its lot does not convert to is a finding, and counts for nothing.
        // The quantities are read where the event holds them (a list of those that fit copied each).
        let quantities = event.quantityList ?? []
        var fits: [Bool] = []
        fits.reserveCapacity(quantities.count)
        quantities.forEachInPlace { q in fits.append(checkUnit(q, of: position(of: q.epcClass))) }
        event.inputs.forEachInPlace { link in
            guard let lot = positions[ExactText(link.lot)] else { return }  // no shipment carried a lot never seen
            let key = ShippedLot(shipment: link.record, lot: lot)
            guard let shipment = shipped[key], shipment.destination == signer else { return }
            let carried = shipment.carried
            // A receipt naming the lot without a quantity says nothing of how much arrived: the shipment stands.
            var counted: Decimal?
            quantities.forEachIndexedInPlace { index, q in
                guard fits[index], let quantity = q.quantity, q.epcClass == link.lot else { return }
                counted = DecimalLayout.sum(counted ?? 0, UnitOfMeasure.of(q.uom).base(quantity))
            }
            guard let received = counted else { return }
            let before = shipment.received ?? carried  // credited in full until the first receipt
            var after = DecimalLayout.sum(shipment.received ?? 0, received)
            let stated = lots[lot].statedUnit
            let unit = UnitOfMeasure.of(stated)
            if DecimalLayout.isLess(carried, than: after) {
                findings.append(Finding(.massBalanceExceeded, record: record,
                    "receives \(UnitOfMeasureName.text(unit.amount(fromBase: after), stated)) of \(link.lot) in all from shipment \(link.record), "
                    + "which carried only \(UnitOfMeasureName.text(unit.amount(fromBase: carried), stated))"))
                after = carried
            }
            shipped[key]?.received = after
            let held = DecimalLayout.difference(DecimalLayout.sum(lots[lot].balances[ExactText(signer)] ?? 0, after), before)
            let isShort = DecimalLayout.isLess(held, than: 0)
            if isShort {
                findings.append(Finding(.massBalanceExceeded, record: record,
                    "receives \(UnitOfMeasureName.text(unit.amount(fromBase: after), stated)) of \(link.lot) of the "
                    + "\(UnitOfMeasureName.text(unit.amount(fromBase: carried), stated)) shipment \(link.record) carried, but \(Self.party(signer)) "
                    + "had already shipped, packed or consumed more of it than that"))
            }
            lots[lot].isKnown = true
            lots[lot].balances[ExactText(signer)] = isShort ? 0 : held
        }
    }

    /// Unpacking gives the party what the unit held of a lot, and no more: unpacking what was
    /// never packed would make stock out of nothing.
    private mutating func unpack(_ q: QuantityElement, from unit: String?, to holder: String) {
        guard let quantity = q.quantity else { return }
        let lot = position(of: q.epcClass)
        guard checkUnit(q, of: lot) else { return }
        let wanted = UnitOfMeasure.of(q.uom).base(quantity)
        let inside = unit.flatMap { packed[ExactText($0)]?[ExactText(q.epcClass)] } ?? 0
        guard !DecimalLayout.isLess(inside, than: wanted) else {
            findings.append(Finding(.massBalanceExceeded, record: record,
                "unpacks \(UnitOfMeasureName.text(quantity, q.uom)) of \(q.epcClass) from \(unit ?? "no unit"), which holds only \(UnitOfMeasureName.text(UnitOfMeasure.of(q.uom).amount(fromBase: inside), q.uom)) of it"))
            return
        }
        if let unit { packed[ExactText(unit)]?[ExactText(q.epcClass)] = DecimalLayout.difference(inside, wanted) }
        lots[lot].isKnown = true
        lots[lot].balances[ExactText(holder), default: 0].add(wanted)
    }

    /// Whether the quantity's unit fits the dimension of its lot, at `lot` in ``lots``; creating the
    /// lot sets it.
    @discardableResult
    private mutating func checkUnit(_ q: QuantityElement, of lot: Int, creating: Bool = false) -> Bool {
        guard q.quantity != nil else { return true }
        let dimension = UnitOfMeasure.of(q.uom).dimension
        guard let known = lots[lot].dimension else {
            if creating { lots[lot].dimension = dimension }
            return true
        }
        guard known == dimension else {
            findings.append(Finding(.massBalanceUnit, record: record,
                "states \(q.epcClass) in \(q.uom ?? "units") (\(dimension)), but the lot is measured in \(known); these units do not convert"))
            return false
        }
        return true
    }

    /// A transformation's inputs and outputs in their base units (kg, L…), by dimension.
    public static func yieldTotals(of event: EPCISEvent) -> (inputs: [String: Decimal], outputs: [String: Decimal]) {
        func totals(_ list: [QuantityElement]?) -> [String: Decimal] {
            var sums: [String: Decimal] = [:]
            for q in list ?? [] { if let quantity = q.quantity { sums[UnitOfMeasure.of(q.uom).dimension, default: 0].add(UnitOfMeasure.of(q.uom).base(quantity)) } }
            return sums
        }
        return (totals(event.inputQuantityList), totals(event.outputQuantityList))
    }

    private mutating func checkYield(_ event: EPCISEvent) {
        if let problem = Self.yieldProblem(of: event, tolerance: tolerance) {
            findings.append(Finding(problem.code, problem.severity, record: record, problem.message))
        }
    }

    /// What is wrong with a transformation's yield (output ÷ input in base units) under
    /// `tolerance`: outside it, an error (`massBalance.yield`); inputs and outputs in units that
    /// do not convert (kilograms of oranges into litres of juice), a note that the yield goes
    /// unchecked (`massBalance.unit`, a warning); nil when it is within or there is nothing to
    /// compare. The verifier's finding and the registry's refusal.
    public static func yieldProblem(of event: EPCISEvent, tolerance: Policy.YieldTolerance)
        -> (code: TraceError.Code, severity: Finding.Severity, message: String)? {
        let (inputs, outputs) = yieldTotals(of: event)
        guard !inputs.isEmpty, !outputs.isEmpty else { return nil }
        guard inputs.count == 1, Set(inputs.keys) == Set(outputs.keys), let dimension = inputs.keys.first,
              let input = inputs[dimension], let output = outputs[dimension], input > 0 else {
            return (.massBalanceUnit, .warning, "transforms \(inputs.keys.sorted().joined(separator: "+")) into "
                    + "\(outputs.keys.sorted().joined(separator: "+")); the yield is not checked across units that do not convert")
        }
        // Within min…max, compared as products: a Decimal division costs as much as the rest of
        // the check, and the ratio is needed only for the message.
        guard output > tolerance.max * input || output < tolerance.min * input else { return nil }
        let ratio = output / input
        let unit = UnitOfMeasure.baseUnitName(dimension)
        return (.massBalanceYield, .error, "turns \(input) \(unit) into \(output) \(unit), a yield of "
                + "\(NSDecimalNumber(decimal: ratio).doubleValue.formatted(.number.precision(.fractionLength(3)))); allowed \(tolerance.min)…\(tolerance.max)")
    }
}
