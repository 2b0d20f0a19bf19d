import Foundation
import Testing
@testable import AgriTrace
import TestSupport
import TraceCrypto

/// The history walk over links resolved to positions (``LinkedRecords``, ``SubjectHistory``),
/// which the verifier's context and the bundle builder share.
@Suite("Subject history")
struct SubjectHistoryTests {
    static let lot = "https://id.gs1.org/01/08936000120016/10/H1"
    static let otherLot = "https://id.gs1.org/01/08936000120016/10/H2"
    static func digest(_ n: Int) -> String { "sha256:" + String(repeating: String(n, radix: 16), count: 64) }

    /// 0 harvest of the lot, 1 its inspection, 2 packing it into a pallet, 3 shipping the pallet,
    /// 4 an unrelated harvest, 5 an inspection linking to a record that is not there, 6 a second
    /// copy of record 1 (same digest).
    static func records() throws -> (events: [EPCISEvent], digests: [String], pallet: String) {
        let coop = try GLN(SampleActor.honeyCoop.gln), exporter = try GLN(SampleActor.exporter.gln)
        let time = try EPCISTime(parsing: "2026-04-12T07:00:00.000+07:00")
        let pallet = DigitalLink.logisticUnit(try SSCC("089360001000000018")).uri
        let harvest = EventFactory.harvest(lot: lot, quantity: 100, uom: "KGM", at: time, location: coop, harvestDate: "2026-04-12", plots: [])
        let inspection = EventFactory.inspection(lot: lot, previous: digest(0), at: time, location: coop, conformant: true)
        let events = [
            harvest,
            inspection,
            EventFactory.pack(into: try SSCC("089360001000000018"), contents: [(lot, 100, "KGM", digest(1))], at: time, location: coop),
            EventFactory.ship(units: [pallet], previous: [InputLink(record: digest(2), lot: pallet)], at: time, from: coop, to: exporter),
            EventFactory.harvest(lot: otherLot, quantity: 5, uom: "KGM", at: time, location: coop, harvestDate: "2026-04-12", plots: []),
            EventFactory.inspection(lot: lot, previous: digest(9), at: time, location: coop, conformant: true),
            inspection,
        ]
        return (events, [0, 1, 2, 3, 4, 5, 1].map(digest), pallet)
    }

    static func firstPositions(_ digests: [String]) -> [String: Int] {
        Dictionary(zip(digests, digests.indices), uniquingKeysWith: { first, _ in first })
    }

    @Test("links resolve to the position of the first record with that digest, or to nil when it is not there")
    func linksResolveToPositions() throws {
        let (events, digests, _) = try Self.records()
        let linked = LinkedRecords(events, positions: Self.firstPositions(digests))
        #expect(linked.targets == [[], [0], [1], [2], [], [nil], [0]])
        #expect(linked.linksPointBackwards)
    }

    @Test("a link to a later record means the order is not a replay order")
    func forwardLinkIsNotBackwards() throws {
        let (events, digests, _) = try Self.records()
        // The inspection (linking to the harvest) first, then the harvest.
        let linked = LinkedRecords([events[1], events[0]], positions: [digests[1]: 0, digests[0]: 1])
        #expect(linked.targets == [[1], []])
        #expect(!linked.linksPointBackwards)
    }

    @Test("the history of a lot takes the records naming it, the moves of the pallet it was packed into, and nothing unrelated")
    func historyFollowsPacksAndLinks() throws {
        let (events, digests, pallet) = try Self.records()
        let linked = LinkedRecords(events, positions: Self.firstPositions(digests))
        let heads = SubjectHistory.heads(of: Self.lot, in: linked) { $0.concerns($1) }
        #expect(heads == [0, 1, 2, 3, 5, 6])
        #expect(SubjectHistory.closure(of: heads, in: linked) == [true, true, true, true, false, true, true])
        // From the pallet: its packing and shipping records, and upstream of them the lot's harvest and inspection.
        let fromPallet = SubjectHistory.heads(of: pallet, in: linked) { $0.concerns($1) }
        #expect(fromPallet == [2, 3])
        #expect(SubjectHistory.closure(of: fromPallet, in: linked) == [true, true, true, true, false, false, false])
        #expect(SubjectHistory.heads(of: "https://id.gs1.org/01/08936000120016/10/NONE", in: linked) { $0.concerns($1) }.isEmpty)
    }

    /// The definition of the heads, as passes over the records until none changes: the
    /// specification ``SubjectHistory/heads(of:in:concerns:)`` must agree with.
    static func headsByPasses(of subject: String, in linked: LinkedRecords<EPCISEvent>) -> [Int] {
        let records = linked.records
        var holders: Set<String> = [subject], isHead = records.map { $0.concerns(subject) }, changed = true
        while changed {
            changed = false
            for position in records.indices where isHead[position] {
                if let unit = records[position].packedInto, holders.insert(unit).inserted { changed = true }
            }
            for position in records.indices where !isHead[position] {
                if zip(records[position].inputs, linked.targets[position]).contains(where: { holders.contains($0.lot) && $1.map { isHead[$0] } == true }) {
                    isHead[position] = true
                    changed = true
                }
            }
        }
        return records.indices.filter { isHead[$0] }
    }

    @Test("on hundreds of random packs, moves and repacks in any order, the heads are those of the definition")
    func headsMatchTheDefinition() throws {
        let time = try EPCISTime(parsing: "2026-04-12T07:00:00.000+07:00")
        let lots = (0..<3).map { "https://id.gs1.org/01/08936000120016/10/R\($0)" }
        let units = (0..<4).map { "https://id.gs1.org/00/08936000100000001\($0)" }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let count = Int.random(in: 1...30, using: &random)
            var events: [EPCISEvent] = []
            for _ in 0..<count {
                var event = EPCISEvent(type: .objectEvent, eventTime: time, action: .observe)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: event.quantityList = [QuantityElement(epcClass: lots.randomElement(using: &random) ?? "")]
                case 1:  // packs a lot or a unit into a unit
                    event.type = .aggregationEvent
                    event.parentID = units.randomElement(using: &random)
                    event.childEPCs = [(lots + units).randomElement(using: &random) ?? ""]
                default: event.epcList = [units.randomElement(using: &random) ?? ""]  // moves a unit
                }
                // Links to any record (forwards, backwards, itself, or one not here), for a lot or a unit.
                for _ in 0..<Int.random(in: 0...2, using: &random) {
                    event.inputs.append(InputLink(record: Self.digest(Int.random(in: 0...count, using: &random) % 16),
                                                  lot: (lots + units).randomElement(using: &random) ?? ""))
                }
                events.append(event)
            }
            let positions = Self.firstPositions((0..<count).map { Self.digest($0 % 16) })
            let linked = LinkedRecords(events, positions: positions)
            for subject in lots + units {
                #expect(SubjectHistory.heads(of: subject, in: linked) { $0.concerns($1) } == Self.headsByPasses(of: subject, in: linked))
            }
        }
    }

    @Test("a chain of 50,000 moves of a pallet listed newest first (a hostile order) still resolves: every move is a head")
    func reversedChainResolves() throws {
        let time = try EPCISTime(parsing: "2026-04-12T07:00:00.000+07:00")
        let pallet = DigitalLink.logisticUnit(try SSCC("089360001000000018")).uri
        var pack = EPCISEvent(type: .aggregationEvent, eventTime: time, action: .add)
        pack.parentID = pallet
        pack.childQuantityList = [QuantityElement(epcClass: Self.lot, quantity: 1, uom: "KGM")]
        var events = [pack]
        for index in 1...50_000 {
            var move = EPCISEvent(type: .objectEvent, eventTime: time, action: .observe, inputs: [InputLink(record: "r\(index - 1)", lot: pallet)])
            move.epcList = [pallet]
            events.append(move)
        }
        let count = events.count
        let linked = LinkedRecords(Array(events.reversed()), positions: Dictionary(uniqueKeysWithValues: (0..<count).map { ("r\($0)", count - 1 - $0) }))
        // By passes over the records this took one pass per record: 2.5 × 10^9 steps.
        #expect(SubjectHistory.heads(of: Self.lot, in: linked) { $0.concerns($1) }.count == count)
    }

    @Test("a bundle built from a pool holds the subject's history once each, predecessors first, without unrelated records")
    func bundleFromPool() throws {
        let (events, _, _) = try Self.records()
        let signer = try Fixtures.pki.signer(.honeyCoop)
        // Signed for real, so links must name the records' true digests: chain 0 → 1 → 2 → 3.
        var signed: [Envelope] = []
        for (index, var event) in events.prefix(5).enumerated() {
            if index > 0, index < 4 { event.inputs = [InputLink(record: signed[index - 1].digest, lot: event.inputs[0].lot)] }
            signed.append(try signer.sign(event))
        }
        let pool = [signed[3], signed[4], signed[1], signed[0], signed[2], signed[1]]
        let bundle = try ProvenanceBundle.build(subject: Self.lot, from: pool, certificates: [signer.certificate])
        #expect(bundle.records.map(\.digest) == signed.prefix(4).map(\.digest))
        #expect(throws: TraceError.self) { try ProvenanceBundle.build(subject: "urn:nothing", from: pool, certificates: []) }
    }
}
