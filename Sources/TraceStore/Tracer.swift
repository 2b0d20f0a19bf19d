import AgriTrace
import Foundation

/// Trace a lot back to its farms, plots, inputs and certificates, or forward to every pack,
/// shipment and buyer that holds any part of it (a recall list).
public struct Tracer {
    public let registry: Registry

    public init(registry: Registry) { self.registry = registry }

    /// One step of a trace.
    public struct Step: Codable, Sendable {
        public var digest: String
        public var time: String
        public var step: String
        public var identifiers: [String]
        public var signerKeyid: String
        /// The signer's organisation, as its certificate in the registry names it (nil when the
        /// registry does not hold it).
        public var signer: String? = nil
        /// What a person reads after the step: the amount, the unit packed into and the party the
        /// goods went to or came from (`1200 kg to Plateau Harvest Export Co., Ltd.`), the farm
        /// plots of a harvest, an inspection's result and certificate.
        public var detail: String?
        /// How many links separate this step from the traced lot.
        public var depth: Int
        /// The steps one link further in the traced direction (its inputs tracing back, the
        /// records that follow it tracing forward), by digest: the edges of the trace's tree.
        public var next: [String]
        /// How much the step created, moved or named (`1200 kg`, `1 logistic unit (SSCC …)`).
        public var quantity: String? = nil
        /// The party the goods came from and the one they went to (shipments, receipts), by GLN.
        public var sourceGLN: String? = nil
        public var destinationGLN: String? = nil
        /// The lots the step makes, moves, packs or inspects, and those a transformation used
        /// up, as EPCIS quantity elements; the units it names one by one. As the buyer's report has them.
        public var lots: [QuantityElement]? = nil
        public var inputLots: [QuantityElement]? = nil
        public var units: [String]? = nil
    }

    /// Everything upstream of the records naming `identifier`, nearest first.
    public func back(_ identifier: String) throws -> [Step] {
        let start = try registry.digests(concerning: identifier)
        guard !start.isEmpty else { throw TraceError("lot.unknown", "\(identifier) is not in the registry") }
        return try steps(from: start, closure: registry.upstream(of: start), forward: false, subject: identifier)
    }

    /// Everything downstream of the records naming `identifier`: packs, shipments, receipts.
    public func forward(_ identifier: String) throws -> [Step] {
        let start = try registry.digests(concerning: identifier)
        guard !start.isEmpty else { throw TraceError("lot.unknown", "\(identifier) is not in the registry") }
        return try steps(from: start, closure: registry.downstream(of: start), forward: true, subject: identifier)
    }

    private func steps(from start: [String], closure: Set<String>, forward: Bool, subject: String) throws -> [Step] {
        var records = try registry.records(closure)
        if !forward {
            // Back to the farms of these goods only: what shared a pallet or a shipment with them is
            // upstream of the shared packing, but it is not where they came from.
            let lots = LotOrigin.lots(flowingInto: subject, events: records.map { ($0.digest, $0.event) })
            let starting = Set(start)
            records = records.filter { starting.contains($0.digest) || !$0.event.concernedIdentifiers.isDisjoint(with: lots) }
        }
        let names = try registry.partyNames()  // one decode of the registry's certificates for both
        let byDigest = Dictionary(records.map { ($0.digest, $0) }, uniquingKeysWith: { a, _ in a })
        // Depth by breadth-first walk along links in the traced direction.
        var depth: [String: Int] = Dictionary(start.map { ($0, 0) }, uniquingKeysWith: { a, _ in a })
        var successors: [String: [String]] = [:]
        for record in records {
            // A record links to one predecessor once per lot it takes from it (a receipt of two
            // lots shipped together): one edge, or the tree shows the predecessor again and again.
            var linked = Set<String>()
            for input in record.event.inputs where byDigest[input.record] != nil && linked.insert(input.record).inserted {
                if forward { successors[input.record, default: []].append(record.digest) } else { successors[record.digest, default: []].append(input.record) }
            }
        }
        var queue = start, head = 0  // read by index: removing the first of 100,000 each time is quadratic
        while head < queue.count {
            let digest = queue[head]
            head += 1
            for next in successors[digest] ?? [] where depth[next] == nil {
                depth[next] = (depth[digest] ?? 0) + 1
                queue.append(next)
            }
        }
        let lots = LotNames(records.flatMap { record in
            let (consumed, made) = record.event.lotAmounts
            return (consumed + made).map(\.epcClass)
        })
        return records.map { record in
            let event = record.event, (consumed, made) = event.lotAmounts
            return Step(digest: record.digest, time: event.eventTime.description, step: event.bizStepWord ?? event.type.rawValue,
                        identifiers: event.identifiers, signerKeyid: record.signerKeyid, signer: names.bySigner[record.signerKeyid],
                        detail: Self.detail(event, subject: subject, names: names.byGLN, lots: lots),
                        depth: depth[record.digest] ?? 0, next: successors[record.digest] ?? [],
                        quantity: MovementText.amount(of: event), sourceGLN: event.sourceGLN, destinationGLN: event.destinationGLN,
                        lots: made.isEmpty ? nil : made, inputLots: consumed.isEmpty ? nil : consumed,
                        units: event.namedUnits.isEmpty ? nil : event.namedUnits)
        }.sorted { ($0.depth, $0.time) < ($1.depth, $1.time) }
    }

    /// A trace as lines of a tree: each step under the one it is linked from, grown from the
    /// subject's records that no other one leads to; a step reached again (a blend's shared
    /// input) is shown once, then named.
    public static func tree(_ steps: [Step], forward: Bool) -> [String] {
        let byDigest = Dictionary(steps.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
        var lines: [String] = [], shown = Set<String>()
        // Depth first with a stack of its own, not recursion: a lot may have a history thousands of records long.
        var pending: [(step: Step, level: Int)] = []
        func show(from root: Step) {
            pending.append((root, 0))
            while let (step, level) = pending.popLast() {
                // Indented up to 32 levels, numbered beyond: a history thousands deep stays readable and small.
                let indent = String(repeating: "  ", count: min(level, 32)) + (level > 32 ? "[\(level)] " : "")
                let line = "\(indent)\(forward ? "→" : "←") \(step.time.prefix(10)) \(step.step)"
                guard shown.insert(step.digest).inserted else {
                    lines.append(line + " (shown above: \(step.digest.prefix(19))…)")
                    continue
                }
                lines.append(line + " by \(step.signer ?? "unknown signer")" + (step.detail.map { " — \($0)" } ?? ""))
                let next = step.next.compactMap { byDigest[$0] }.sorted { $0.time < $1.time }
                pending += next.reversed().map { ($0, level + 1) }  // the earliest printed first
            }
        }
        let starts = steps.filter { $0.depth == 0 }
        let reached = Set(starts.flatMap(\.next))
        for step in starts where !reached.contains(step.digest) { show(from: step) }
        for step in starts where !shown.contains(step.digest) { show(from: step) }  // anything left (none, links being acyclic)
        return lines
    }

    /// Whom a recall must reach: each party the shipments of a forward trace went to, by GLN,
    /// with what each shipment carried, in the order first shipped to; `except` (the party
    /// itself) left out.
    public static func recipients(_ steps: [Step], except own: String? = nil) -> [(gln: String, sent: [String])] {
        let names = LotNames(steps.flatMap { ($0.lots ?? []).map(\.epcClass) })
        var order: [String] = [], sent: [String: [String]] = [:]
        for step in steps.sorted(by: { $0.time < $1.time }) where step.step == "shipping" {
            guard let gln = step.destinationGLN, gln != own else { continue }
            if sent[gln] == nil { order.append(gln) }
            let goods = MovementText.goods(consumed: [], lots: step.lots ?? [], units: step.units ?? [], subject: nil, name: names)
            sent[gln, default: []].append(goods ?? "goods")
        }
        return order.map { ($0, sent[$0] ?? []) }
    }

    /// The text after a step (``Step/detail``) of a trace of `subject`; `names` gives parties'
    /// names by GLN, `lots` the lots' names.
    static func detail(_ event: EPCISEvent, subject: String?, names: [String: String] = [:], lots: LotNames) -> String? {
        StepFacts.detail(movement: [MovementText.goods(of: event, subject: subject, name: lots),
                                    MovementText.container(of: event),
                                    MovementText.counterparty(of: event) { names[$0] }],
                         facts: StepFacts.phrases(of: event))
    }
}
