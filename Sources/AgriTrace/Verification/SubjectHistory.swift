import Foundation

/// Records in an array with every `agt:inputs` link resolved, once, to the position of the record
/// it names: walks over the links then step from position to position instead of hashing
/// 71-character digests at every step.
struct LinkedRecords<Carrier: EventCarrier & Sendable> {
    let records: [Carrier]
    /// `targets[i][k]`: the position of the record that link `k` of `records[i]` names; nil when
    /// no record here has that digest. Where two records share a digest, links lead to the first.
    let targets: [[Int?]]

    /// `records`, with `position` giving the position of the record each digest names.
    init(_ records: [Carrier], position: @Sendable (String) -> Int?) {
        self.records = records
        targets = records.concurrentMap { record in record.inputs.map { position($0.record) } }
    }

    /// `records`, with `positions` giving the position of the record each digest names.
    init(_ records: [Carrier], positions: [String: Int]) {
        self.init(records) { positions[$0] }
    }

    /// Whether every link names an earlier record (or one not here): then array order is a valid
    /// replay order and the links hold no cycle.
    var linksPointBackwards: Bool {
        targets.indices.allSatisfy { position in targets[position].allSatisfy { ($0 ?? -1) < position } }
    }
}

/// Which records make up a subject's history: the records naming the subject, the records that
/// move a logistic unit holding it (packed pallets and containers), and everything upstream.
/// The bundle builder and the policy checks share this one definition.
enum SubjectHistory {
    /// The positions of the head records for `subject`: those naming it, then those moving a
    /// container holding it (a link, for a unit the subject is packed into, to a head record).
    ///
    /// A worklist, not passes over the records until nothing changes: each record turned head
    /// wakes only the records that link to it and, when it packs into a new unit, the links for
    /// that unit. Passes would take one per record for a chain listed newest first, as a hostile
    /// bundle may list it (100,000 records: 10^10 steps).
    static func heads<Carrier>(of subject: String, in linked: LinkedRecords<Carrier>,
                               concerns: @Sendable (Carrier, String) -> Bool) -> [Int] {
        let records = linked.records
        // Each link, from both ends: by the record it names, and, when it is for a logistic unit
        // some record packs into (the only lots looked up this way), by that unit.
        // The links to each record lie together in one list (`linksTo[starts[p]..<starts[p + 1]]`
        // for record p), counted first and then placed: a list per record cost an allocation each.
        // Lots and units by code point (``ExactText``), as everywhere identifiers are compared.
        let units = Set(records.lazy.compactMap { $0.packedInto.map(ExactText.init(_:)) })
        var starts = [Int](repeating: 0, count: records.count + 1)
        for targets in linked.targets { for case let target? in targets { starts[target + 1] += 1 } }
        for position in records.indices { starts[position + 1] += starts[position] }
        var linksTo = [(from: Int, lot: String)](repeating: (0, ""), count: starts[records.count])
        var next = starts  // where the next link to each record goes
        var linksFor: [ExactText: [(from: Int, to: Int)]] = [:]
        for (position, record) in records.enumerated() {
            for case let (link, target?) in zip(record.inputs, linked.targets[position]) {
                linksTo[next[target]] = (position, link.lot)
                next[target] += 1
                if !units.isEmpty, units.contains(ExactText(link.lot)) { linksFor[ExactText(link.lot), default: []].append((position, target)) }
            }
        }
        var isHead = records.concurrentMap { concerns($0, subject) }
        var holders: Set<ExactText> = [ExactText(subject)]
        var pending = records.indices.filter { isHead[$0] }
        func makeHead(_ position: Int) {
            guard !isHead[position] else { return }
            isHead[position] = true
            pending.append(position)
        }
        while let position = pending.popLast() {
            if let unit = records[position].packedInto.map(ExactText.init(_:)), holders.insert(unit).inserted {
                for link in linksFor[unit] ?? [] where isHead[link.to] { makeHead(link.from) }
            }
            for link in linksTo[starts[position]..<starts[position + 1]] where holders.contains(ExactText(link.lot)) { makeHead(link.from) }
        }
        return records.indices.filter { isHead[$0] }
    }

    /// Which records make up `subject`'s history (by position), and the lots whose goods flow
    /// into it. The history is everything upstream of its heads, and of every verdict on those
    /// lots (a recall, a failed inspection) with what it links to: a lot blended into the
    /// subject and recalled afterwards is recalled in the subject too. The lots are the subject
    /// and, recursively, what a transformation in the history made them from and what a packing
    /// put into them, and the units they were packed into: not a lot that merely travelled in
    /// the same shipment or on the same pallet.
    static func history<Carrier>(of subject: String, in linked: LinkedRecords<Carrier>,
                                 concerns: @Sendable (Carrier, String) -> Bool) -> (included: [Bool], lots: Set<String>)
    where Carrier: EventCarrier {
        let (included, lots) = historyAndExactLots(of: subject, in: linked, concerns: concerns)
        return (included, Set(lots.lazy.map(\.text)))
    }

    /// ``history(of:in:concerns:)`` with the lots by code point (``ExactText``), as it finds them:
    /// for a caller that asks of them record by record.
    static func historyAndExactLots<Carrier>(of subject: String, in linked: LinkedRecords<Carrier>,
                                             concerns: @Sendable (Carrier, String) -> Bool) -> (included: [Bool], lots: Set<ExactText>)
    where Carrier: EventCarrier {
        let records = linked.records
        let heads = heads(of: subject, in: linked, concerns: concerns)
        var included = closure(of: heads, in: linked)
        // Each lot to the records that made it, each record's sources read once: a hostile
        // transformation of 20,000 inputs into 20,000 outputs is 40,000 steps, not 400 million.
        // Lots by code point (``ExactText``), as everywhere identifiers are compared.
        var flows: [Int: (into: [String], from: [String])] = [:], makers: [ExactText: [Int]] = [:]
        for position in records.indices where included[position] {
            guard let flow = records[position].flow else { continue }
            flows[position] = flow
            for made in flow.into { makers[ExactText(made), default: []].append(position) }
        }
        var lots: Set<ExactText> = [ExactText(subject)], pending = [ExactText(subject)], expanded = Set<Int>()
        func namesALot(_ identifiers: [String]) -> Bool { identifiers.contains { lots.contains(ExactText($0)) } }
        while let lot = pending.popLast() {
            for position in makers[lot] ?? [] where expanded.insert(position).inserted {
                for source in flows[position]?.from ?? [] where lots.insert(ExactText(source)).inserted { pending.append(ExactText(source)) }
            }
        }
        // The units they were packed into travel with them (a pallet recalled recalls its
        // contents), without bringing in what else the unit held.
        for (position, flow) in flows where records[position].packedInto != nil && namesALot(flow.from) {
            lots.formUnion(flow.into.lazy.map(ExactText.init(_:)))
        }
        let verdicts = records.indices.filter { !included[$0] && records[$0].isVerdict && namesALot(records[$0].namedLots) }
        if !verdicts.isEmpty { included = closure(of: heads + verdicts, in: linked) }
        return (included, lots)
    }

    /// Whether each record is one of `heads` or upstream of one, by position.
    static func closure<Carrier>(of heads: [Int], in linked: LinkedRecords<Carrier>) -> [Bool] {
        var included = [Bool](repeating: false, count: linked.records.count)
        var stack = heads
        while let position = stack.popLast() {
            guard !included[position] else { continue }
            included[position] = true
            for case let target? in linked.targets[position] where !included[target] { stack.append(target) }
        }
        return included
    }
}

/// Anything that holds an event: the event itself, or a decoded bundle record (so the history
/// can be walked without copying a bundle's events into a new table). Only the two fields the
/// walk reads are asked for: reading a whole event out of a record would copy it.
protocol EventCarrier {
    /// The event's `agt:inputs`.
    var inputs: [InputLink] { get }
    /// The logistic unit an aggregation event packs into (its parentID); nil for other events.
    var packedInto: String? { get }
    /// What the event makes of what: a transformation's outputs of its inputs, a packing's unit
    /// of its contents; nil for other events.
    var flow: (into: [String], from: [String])? { get }
    /// Whether the event judges the goods it names unfit: `non_conformant`, `recalled`.
    var isVerdict: Bool { get }
    /// The lots, items and units the event names (``EPCISEvent/concernedIdentifiers``).
    var namedLots: [String] { get }
}

extension EPCISEvent: EventCarrier {
    var packedInto: String? { type == .aggregationEvent ? parentID : nil }

    var flow: (into: [String], from: [String])? {
        switch type {
        case .transformationEvent:
            (madeGoods, usedGoods)
        case .aggregationEvent where action == .add:
            (parentID.map { [$0] } ?? [], (childQuantityList ?? []).map(\.epcClass) + (childEPCs ?? []))
        default:
            nil
        }
    }

    var namedLots: [String] { concernedIdentifierList }
}

extension VerifiedRecordInput: EventCarrier {
    var inputs: [InputLink] { event.inputs }
    var packedInto: String? { event.packedInto }
    var flow: (into: [String], from: [String])? { event.flow }
    var isVerdict: Bool { event.isVerdict }
    var namedLots: [String] { identifiers }
}
