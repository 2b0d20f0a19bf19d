import Foundation

/// How a step's goods read to a person: how much, the unit they were packed into, and whom they
/// went to or came from. One wording for the buyer's journey (``VerificationReport``) and the
/// registry's trace, so a recall list and a buyer's report say a shipment the same way.
public enum MovementText {
    /// `1200 kg` (the first amount the event states, with its unit), else its identifiers
    /// counted (`1 logistic unit (SSCC …)`, `3 items`); nil when it names neither.
    public static func amount(of event: EPCISEvent) -> String? {
        event.headlineQuantity.map { UnitOfMeasureName.text($0.quantity ?? 0, $0.uom) }
            ?? count(event.namedUnits)
    }

    /// The goods a step moves, as a line names them: `300 kg of lot JG-2026-A14 and 260 kg of
    /// lot JG-2026-B09 into 140 kg of lot JG-2026-D03` for a transformation, `3000 kg of lot
    /// HY-2026-112` or `lot HY-2026-112` (an inspection) for anything else, at most ``lotsShown``
    /// lots a side, the rest counted; then the `units` it names, counted (`and 1 logistic unit
    /// (SSCC …)`). A step on `subject` alone, the lot a report is about, reads `1200 kg` (its
    /// heading names the lot); nil when there is nothing to say.
    public static func goods(consumed: [QuantityElement], lots: [QuantityElement], units: [String], subject: String?, name: LotNames) -> String? {
        let named: String?
        if !consumed.isEmpty {
            named = list(consumed, name) + " into " + (lots.isEmpty ? "no lot" : list(lots, name))
        } else if lots.count == 1, let only = lots.first, only.epcClass == subject {
            named = only.quantity.map { UnitOfMeasureName.text($0, only.uom) }
        } else {
            named = lots.isEmpty ? nil : list(lots, name)
        }
        switch (named, count(units)) {
        case let (named?, counted?): return named + " and " + counted
        case let (named, counted): return named ?? counted
        }
    }

    /// ``goods(consumed:lots:units:subject:name:)`` of an event.
    public static func goods(of event: EPCISEvent, subject: String?, name: LotNames) -> String? {
        let (consumed, lots) = event.lotAmounts
        return goods(consumed: consumed, lots: lots, units: event.namedUnits, subject: subject, name: name)
    }

    /// How many lots a side of a line names before it counts the rest.
    static let lotsShown = 4

    /// `300 kg of lot A, lot B and 260 kg of lot C`; over ``lotsShown``, the first ones and `and 7 more lots`.
    private static func list(_ elements: [QuantityElement], _ name: LotNames) -> String {
        let shown = elements.count > lotsShown ? lotsShown - 1 : elements.count
        var parts = elements.prefix(shown).map { element in
            let lot = "lot " + name(element.epcClass)
            return element.quantity.map { UnitOfMeasureName.text($0, element.uom) + " of " + lot } ?? lot
        }
        if elements.count > shown { parts.append("\(elements.count - shown) more lots") }
        guard let last = parts.popLast() else { return "" }
        return parts.isEmpty ? last : parts.joined(separator: ", ") + " and " + last
    }

    /// The unit an aggregation packs into (`into SSCC …`, action `ADD`), unpacks (`out of …`,
    /// `DELETE`) or finds its contents in (`in …`); nil without a parent.
    public static func container(parent: String?, action: String?) -> String? {
        guard let parent else { return nil }
        let preposition = switch action { case "ADD": "into"; case "DELETE": "out of"; default: "in" }
        return "\(preposition) \(shortUnit(parent))"
    }

    /// ``container(parent:action:)`` of an aggregation event.
    public static func container(of event: EPCISEvent) -> String? {
        container(parent: event.type == .aggregationEvent ? event.parentID : nil, action: event.action?.rawValue)
    }

    /// Whom the goods went to or came from: `from …` on a receipt (`step` `receiving`), `to …`
    /// on anything else with a destination, `from …` on anything else with a source. Each party
    /// by its `name` where one is known, else `GLN …`.
    public static func counterparty(step: String?, source: (name: String?, gln: String?), destination: (name: String?, gln: String?)) -> String? {
        let from = source.gln.map { "from " + (source.name ?? "GLN \($0)") }
        let to = destination.gln.map { "to " + (destination.name ?? "GLN \($0)") }
        return step == "receiving" ? from ?? to : to ?? from
    }

    /// ``counterparty(step:source:destination:)`` of an event, its parties named by `name(gln)`.
    public static func counterparty(of event: EPCISEvent, name: (String) -> String?) -> String? {
        let (source, destination) = (event.sourceGLN, event.destinationGLN)
        return counterparty(step: event.bizStepWord, source: (source.flatMap(name), source), destination: (destination.flatMap(name), destination))
    }

    /// How many objects an event names by identifier: `1 logistic unit (SSCC 389…)` or
    /// `3 logistic units` when each is an SSCC's canonical Digital Link, else `1 item` or
    /// `3 items`; nil for none.
    static func count(_ epcs: [String]) -> String? {
        guard let first = epcs.first else { return nil }
        guard epcs.allSatisfy(DigitalLink.isLogisticUnit) else { return epcs.count == 1 ? "1 item" : "\(epcs.count) items" }
        return epcs.count == 1 ? "1 logistic unit (\(shortUnit(first)))" : "\(epcs.count) logistic units"
    }

    /// `SSCC 0893…` for an SSCC's canonical Digital Link; any other identifier as it is.
    public static func shortUnit(_ uri: String) -> String {
        DigitalLink.isLogisticUnit(uri) ? "SSCC \(uri.dropFirst(DigitalLink.logisticUnitPrefix.count))" : uri
    }
}
