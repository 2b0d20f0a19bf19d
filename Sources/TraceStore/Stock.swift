import AgriTrace
import Foundation

/// What a party holds now, as its registry's records say: every lot with some left (harvested,
/// made, received or unpacked here, less what was shipped, packed or consumed), and every
/// logistic unit packed or received here and not shipped or unpacked since. The same reckoning
/// the registry refuses a shipment or a packing by (``LotLedger``, ``UnitCustody``), so what this
/// lists is what the party can ship.
public struct Stock: Sendable, Codable {
    /// Some of a lot.
    public struct Lot: Sendable, Codable {
        /// The lot's Digital Link.
        public var lot: String
        /// Its product's English name, where the registry knows it.
        public var product: String?
        public var quantity: Decimal
        /// The Recommendation 20 code of the unit the lot was first stated in (`KGM`).
        public var unit: String?
        /// Why every buyer's verifier refuses the lot, if it does: `lot.recalled`,
        /// `lot.nonConformant` (``DispositionCheck``).
        public var refusedFor: [String]? = nil
    }

    /// A logistic unit and what was packed into it.
    public struct LogisticUnit: Sendable, Codable {
        /// The unit's Digital Link (`https://id.gs1.org/00/<SSCC>`).
        public var unit: String
        public var contents: [QuantityElement]
        /// The record of the step that put it here (its packing or its receipt).
        public var record: String
        /// Why every buyer's verifier refuses the unit's goods, if it does (``Lot/refusedFor``).
        public var refusedFor: [String]? = nil
    }

    /// The party's GLN and its organisation's name, as the workspace is configured.
    public var holder: String
    public var organization: String
    public var lots: [Lot]
    public var units: [LogisticUnit]

    /// The stock of `workspace`'s own party, replayed from every record in its registry, oldest first.
    public static func of(_ workspace: Workspace) throws -> Stock {
        let records = try workspace.registry.allRecords()
        let glns = try workspace.registry.read { try $0.certificateGLNs() }
        let holder = workspace.config.gln
        var ledger = LotLedger()
        var custody: [String: (UnitCustody, digest: String)] = [:]
        var packings: [String: EPCISEvent] = [:]
        // Lots a record finds non-conformant or recalls (rare), and what was made of them: each
        // of these held is judged as buyers will judge it.
        var judged = Set<String>(), outputs: [[String]] = [], madeOf: [String: [Int]] = [:]  // input lot → transformations
        for record in records {
            let event = record.event
            if event.isVerdict { judged.formUnion(event.concernedIdentifiers) }
            if event.type == .transformationEvent {
                for input in event.inputQuantityList ?? [] { madeOf[input.epcClass, default: []].append(outputs.count) }
                outputs.append((event.outputQuantityList ?? []).map(\.epcClass))
            }
            ledger.apply(event, signer: glns[record.signerKeyid] ?? record.signerKeyid, digest: record.digest)
            guard let moved = UnitCustody.after(event) else { continue }
            let units = event.type == .aggregationEvent ? [event.parentID].compactMap { $0 } : (event.epcList ?? []).filter(DigitalLink.isLogisticUnit)
            for unit in units {
                custody[unit] = (moved, record.digest)
                if event.bizStepWord == "packing", event.action == .add { packings[unit] = event }
            }
        }
        var pending = Array(judged), expanded = Set<Int>()
        while let lot = pending.popLast() {
            for transformation in madeOf[lot] ?? [] where expanded.insert(transformation).inserted {
                for made in outputs[transformation] where judged.insert(made).inserted { pending.append(made) }
            }
        }
        /// The codes buyers refuse `subject` for, judged only when it may be refused (`suspect`).
        func refusals(of subject: String, suspect: Bool) throws -> [String]? {
            guard suspect else { return nil }
            let codes = try DispositionCheck.findings(in: try workspace.exportBundle(subject: subject)).filter { $0.severity == .error }.map(\.code.rawValue)
            return codes.isEmpty ? nil : Array(Set(codes)).sorted()
        }
        var names = try ProductNames(workspace: workspace)
        let lots = try ledger.holdings(of: holder).map { held in
            let product = try names.name(of: held.lot)
            return Lot(lot: held.lot, product: product.isEmpty ? nil : product, quantity: held.quantity, unit: held.unit,
                       refusedFor: try refusals(of: held.lot, suspect: judged.contains(held.lot)))
        }
        let units = try custody.compactMap { unit, state -> LogisticUnit? in
            guard state.0 == .held(by: holder) else { return nil }
            let contents = packings[unit]?.childQuantityList ?? []
            return LogisticUnit(unit: unit, contents: contents, record: state.digest,
                                refusedFor: try refusals(of: unit, suspect: judged.contains(unit) || contents.contains { judged.contains($0.epcClass) }))
        }.sorted { $0.unit < $1.unit }
        return Stock(holder: holder, organization: workspace.config.organization, lots: lots, units: units)
    }

    /// One line per lot and per unit, for a terminal: `1200 kg  Mint honey  https://id.gs1.org/…`,
    /// `SSCC 0893…  600 kg of …/10/MV-2026-031`.
    public func text() -> String {
        func refusal(_ codes: [String]?) -> String { codes.map { "  — buyers refuse it (\($0.joined(separator: ", ")))" } ?? "" }
        var lines: [String] = []
        let party = "\(organization) (GLN \(holder))"
        if lots.isEmpty && units.isEmpty { lines.append("\(party) holds nothing, as its registry's records say.") }
        if !lots.isEmpty { lines.append("Lots held by \(party):") }
        for lot in lots {
            lines.append("  \(UnitOfMeasureName.text(lot.quantity, lot.unit))  \(lot.product.map { "\($0)  " } ?? "")\(lot.lot)\(refusal(lot.refusedFor))")
        }
        if !units.isEmpty { lines.append("Logistic units held by \(party):") }
        for unit in units {
            let contents = unit.contents.map { element in
                element.quantity.map { "\(UnitOfMeasureName.text($0, element.uom)) of \(element.epcClass)" } ?? element.epcClass
            }
            lines.append("  \(MovementText.shortUnit(unit.unit))" + (contents.isEmpty ? "" : "  " + contents.joined(separator: ", ")) + refusal(unit.refusedFor))
        }
        return lines.map { TerminalText.safe($0) }.joined(separator: "\n") + "\n"
    }
}
