import Foundation
import TraceCrypto

extension EPCISEvent {
    /// Every lot, item or logistic unit the event names, in order of appearance.
    public var identifiers: [String] {
        // One list, of its final size at once, repeats taken out in place: every record's
        // verification asks for these (an allocation saved is worth hundreds of instructions).
        func count(_ list: [String]?) -> Int { list?.count ?? 0 }
        func count(_ list: [QuantityElement]?) -> Int { list?.count ?? 0 }
        var ids: [String] = []
        ids.reserveCapacity(count(epcList) + count(quantityList) + 1 + count(childEPCs) + count(childQuantityList)
                            + count(inputEPCList) + count(inputQuantityList) + count(outputEPCList) + count(outputQuantityList))
        func add(_ list: [String]?) { if let list { ids += list } }
        func add(_ list: [QuantityElement]?) { for element in list ?? [] { ids.append(element.epcClass) } }
        add(epcList); add(quantityList)
        if let parentID { ids.append(parentID) }
        add(childEPCs); add(childQuantityList); add(inputEPCList); add(inputQuantityList); add(outputEPCList); add(outputQuantityList)
        Self.removeRepeats(&ids)
        return ids
    }

    /// Takes out of `items` every repeat of an earlier item, keeping the order; in place, and with
    /// a set only for many (an event names a few, mostly).
    private static func removeRepeats(_ items: inout [String]) {
        guard items.count > 8 else {
            var kept = 0  // items[..<kept] are the first of each so far
            for index in items.indices where !items[..<kept].contains(items[index]) {
                items.swapAt(kept, index)
                kept += 1
            }
            items.removeSubrange(kept...)
            return
        }
        var seen = Set<String>()
        items = items.filter { seen.insert($0).inserted }
    }

    /// Whether this event brings new lots into being: harvest, slaughter, collection.
    public var isCommissioning: Bool {
        type == .objectEvent && action == .add && bizStepWord == "commissioning"
    }

    /// The identifiers this event creates rather than uses: commissioned lots, a newly packed
    /// logistic unit, the outputs of a transformation.
    public var createdIdentifiers: Set<String> { Set(createdIdentifierList) }

    /// ``createdIdentifiers`` as the event lists them.
    var createdIdentifierList: [String] {
        if type == .aggregationEvent, action == .add { return parentID.map { [$0] } ?? [] }
        return madeGoods
    }

    /// The lots and items this event brings into being, in the order it lists them: a harvest's,
    /// a transformation's outputs (not a logistic unit, which holds goods made before).
    public var madeGoods: [String] {
        switch type {
        case .objectEvent where isCommissioning: (quantityList?.map(\.epcClass) ?? []) + (epcList ?? [])
        case .transformationEvent: (outputQuantityList?.map(\.epcClass) ?? []) + (outputEPCList ?? [])
        default: []
        }
    }

    /// The lots and items a transformation uses up (its inputs), in the order it lists them; none for other steps.
    public var usedGoods: [String] {
        type == .transformationEvent ? (inputQuantityList?.map(\.epcClass) ?? []) + (inputEPCList ?? []) : []
    }

    /// The identifiers that existed before this event and so need an `agt:inputs` link.
    public var usedIdentifiers: [String] {
        Self.items(identifiers, notIn: createdIdentifierList)
    }

    /// `items` without those in `excluded`, in order: a set only for many (an event names a few,
    /// mostly, and every record's links are checked against them).
    static func items(_ items: [String], notIn excluded: [String]) -> [String] {
        guard !excluded.isEmpty else { return items }
        guard excluded.count > 8 else { return items.filter { !excluded.contains($0) } }
        let set = Set(excluded)
        return items.filter { !set.contains($0) }
    }

    /// Every identifier the event names, plus the lot of every serialised item it names.
    public var concernedIdentifiers: Set<String> { Set(concernedIdentifierList) }

    /// ``concernedIdentifiers`` as a list, each once, in order (the registry stores one row each).
    public var concernedIdentifierList: [String] {
        var concerned = identifiers
        let named = concerned.count
        for index in 0..<named { if let lot = EPCISEvent.lotOfItem(concerned[index]) { concerned.append(lot) } }
        if concerned.count > named { Self.removeRepeats(&concerned) }
        return concerned
    }

    /// The lot part of a serialised item's Digital Link (everything before `/21/`), if it has one.
    static func lotOfItem(_ identifier: String) -> String? {
        guard identifier.utf8.count > 4, let serial = ByteSearch.offset(of: "/21/", in: identifier) else { return nil }
        return String(decoding: identifier.utf8.prefix(serial), as: UTF8.self)
    }

    /// Whether the event names `identifier`, directly or through an item of that lot.
    public func concerns(_ identifier: String) -> Bool {
        concernedIdentifiers.contains(identifier)
    }

    /// The first quantity element, in any of the event's lists, that states a negative amount:
    /// none should (EPCIS's schema only says "a number").
    public var negativeQuantity: QuantityElement? {
        // Below zero by its sign, as `< 0` judges (NaN included), without the comparison's
        // arithmetic, which allocates: every record's quantities are looked at.
        func isNegative(_ quantity: Decimal) -> Bool { quantity.isNaN || (quantity.sign == .minus && !quantity.isZero) }
        func negative(_ list: [QuantityElement]?) -> QuantityElement? { list?.first { $0.quantity.map(isNegative) ?? false } }
        return negative(quantityList) ?? negative(childQuantityList) ?? negative(inputQuantityList) ?? negative(outputQuantityList)
    }

    /// The lots a step uses up (a transformation's inputs) and those it makes, moves, packs or
    /// observes, each with its amount where the event states one.
    public var lotAmounts: (consumed: [QuantityElement], lots: [QuantityElement]) {
        type == .transformationEvent ? (inputQuantityList ?? [], outputQuantityList ?? [])
            : ([], Self.joined(quantityList, childQuantityList))
    }

    /// `first` then `second`, as one list; where one of them is empty, the other one itself,
    /// its storage shared, not copied (most events state one list: a report keeps tens of
    /// thousands of these).
    private static func joined<T>(_ first: [T]?, _ second: [T]?) -> [T] {
        guard let second, !second.isEmpty else { return first ?? [] }
        guard let first, !first.isEmpty else { return second }
        return first + second
    }

    /// Whether this is a packing of goods into logistic unit `unit` (an `ADD` aggregation).
    public func packs(into unit: String) -> Bool {
        type == .aggregationEvent && action == .add && parentID == unit
    }

    /// The logistic units or items a step names one by one (`epcList`, an aggregation's
    /// `childEPCs`); none for a transformation, whose goods are lots.
    public var namedUnits: [String] {
        type == .transformationEvent ? [] : Self.joined(epcList, childEPCs)
    }

    /// The first quantity the event states for a lot, with its unit, for display.
    public var headlineQuantity: QuantityElement? {
        func stated(_ list: [QuantityElement]?) -> QuantityElement? { list?.first { $0.quantity != nil } }
        return stated(quantityList) ?? stated(outputQuantityList) ?? stated(childQuantityList) ?? stated(inputQuantityList)
    }
}
