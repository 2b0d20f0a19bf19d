import Foundation
import TraceCrypto

extension EPCISEvent {
    /// Every lot, item or logistic unit the event names, in order of appearance.
    public var identifiers: [String] {
        // One list, of its final size at once, repeats taken out in place: every record's
        // verification asks for these (an allocation saved is worth hundreds of instructions).
        var ids: [String] = []
        ids.reserveCapacity(namedCount)
        forEachNamed { ids.append($0) }
        Self.removeRepeats(&ids)
        return ids
    }

    /// How many identifiers the event's lists and parent hold, repeats counted.
    private var namedCount: Int {
        func count(_ list: [String]?) -> Int { list?.count ?? 0 }
        func count(_ list: [QuantityElement]?) -> Int { list?.count ?? 0 }
        return count(epcList) + count(quantityList) + (parentID == nil ? 0 : 1) + count(childEPCs) + count(childQuantityList)
            + count(inputEPCList) + count(inputQuantityList) + count(outputEPCList) + count(outputQuantityList)
    }

    /// Calls `body` with each identifier the event's lists and parent hold, in order of
    /// appearance, repeats included.
    private func forEachNamed(_ body: (String) -> Void) {
        // A quantity's identifier read through the list's storage: handing out the whole element
        // (as an iterator or a closure taking it would) copies its strings, a reference count each.
        func each(_ list: [String]?) { list.forEachInPlace(body) }
        func each(_ list: [QuantityElement]?) { list?.withUnsafeBufferPointer { for index in $0.indices { body($0[index].epcClass) } } }
        each(epcList); each(quantityList)
        if let parentID { body(parentID) }
        each(childEPCs); each(childQuantityList); each(inputEPCList); each(inputQuantityList); each(outputEPCList); each(outputQuantityList)
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
    var createdIdentifierList: [String] { created.list }

    /// What the event creates: a packing's new logistic unit, else ``madeGoods``' lists; read once
    /// and asked of one identifier after another without making a list of them.
    private struct Created {
        var parent: String?, quantities: [QuantityElement]?, epcs: [String]?

        var list: [String] { parent.map { [$0] } ?? (quantities?.map(\.epcClass) ?? []) + (epcs ?? []) }

        func contains(_ identifier: String) -> Bool {
            parent == identifier || quantities?.contains { $0.epcClass == identifier } == true || epcs?.contains(identifier) == true
        }
    }

    private var created: Created {
        if type == .aggregationEvent, action == .add { return Created(parent: parentID) }
        let (quantities, epcs) = madeLists
        return Created(quantities: quantities, epcs: epcs)
    }

    /// The lots and items this event brings into being, in the order it lists them: a harvest's,
    /// a transformation's outputs (not a logistic unit, which holds goods made before).
    public var madeGoods: [String] {
        let (quantities, epcs) = madeLists
        return Created(quantities: quantities, epcs: epcs).list
    }

    /// The lists ``madeGoods`` comes from: a harvest's quantities and EPCs, a transformation's outputs.
    private var madeLists: (quantities: [QuantityElement]?, epcs: [String]?) {
        switch type {
        case .objectEvent where isCommissioning: (quantityList, epcList)
        case .transformationEvent: (outputQuantityList, outputEPCList)
        default: (nil, nil)
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

    /// ``usedIdentifiers`` that no `agt:inputs` link names, in order (``LinkCheck``). Every record's
    /// links are checked, and nearly every record links all it uses: a few identifiers are compared
    /// in place, no list made unless one is unlinked; many go through sets (n log n, not n²).
    var unlinkedIdentifiers: [String] {
        let links = inputs
        guard namedCount <= 8, links.count <= 8 else { return Self.items(usedIdentifiers, notIn: links.map(\.lot)) }
        let created = created
        var unlinked: [String] = []
        forEachNamed { identifier in
            let isLinked = links.withUnsafeBufferPointer { $0.contains { $0.lot == identifier } }
            if !isLinked, !created.contains(identifier), !unlinked.contains(identifier) { unlinked.append(identifier) }
        }
        return unlinked
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
        identifier.withUTF8Bytes { bytes in
            // A GTIN on GS1's resolver (`https://id.gs1.org/01/` and 14 digits, no slash among them)
            // holds no `/21/` before its 36th byte: the search starts there, past four slashes.
            let start = ByteSearch.hasPrefix(bytes, "https://id.gs1.org/01/") && bytes.count > 36
                && bytes[22..<36].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ? 36 : 0
            guard bytes.count > 4, let serial = ByteSearch.offset(of: "/21/", in: bytes, from: start) else { return nil }
            return String(decoding: bytes[..<serial], as: UTF8.self)
        }
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
