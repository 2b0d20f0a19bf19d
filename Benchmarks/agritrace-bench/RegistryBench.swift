import AgriTrace
import Foundation
import TraceCrypto
import TraceStore

/// Registering events through the library — built, hashed and signed on all cores, stored with
/// their links, 4000 events per transaction, signing overlapping storing and commits, the next
/// call's events built while the library registers the last (their cost counted) — against OpenSSL's own
/// single-core P-256 sign rate (``OpenSSLRate``), then trace back and forward and `check` on the
/// resulting registry.
enum RegistryBench {
    struct Figures {
        var eventsPerSecond: Double
        var rawSignPerSecond: Double
        /// The process's CPU time (all threads) per event registered, µs: what the ratio's goal
        /// bounds once the cores are busy; beside the raw single-core sign time, 1e6 / rawSignPerSecond.
        var cpuMicrosecondsPerEvent: Double
        /// CPU time over wall time while registering: how well signing and storing keep the cores busy.
        var coresBusy: Double
        var traceBackMilliseconds: Double
        var traceForwardMilliseconds: Double
        /// Records per second that `agritrace check` re-verifies on the resulting registry.
        var checkRecordsPerSecond: Double
        /// `agritrace stock` on the resulting registry (every record replayed), ms.
        var stockMilliseconds: Double
    }

    /// Registers `count` events (at least one) in a fresh registry under `directory` `attempts`
    /// times, alternating with OpenSSL's own sign rate, and keeps the best of each: the machine
    /// is shared and noisy, and this treats both sides of the ratio alike (the verifier's ratio
    /// is measured the same way). Then, unless `queries` is false, times the queries on the last
    /// registry.
    static func run(pki: SamplePKI, events count: Int, in directory: URL, attempts: Int = 2, queries: Bool = true) throws -> Figures {
        guard count > 0, attempts > 0 else { throw TraceError("bench.arguments", "the registry benchmark needs at least one event and one attempt") }
        let coop = try pki.signer(.honeyCoop)
        var rawSign = try OpenSSLRate.sign(with: coop.key)
        var best: Figures?, last: Registration?
        for attempt in 0..<attempts {
            // Only the last registry is queried: an earlier one is closed, then removed.
            if let earlier = last.take()?.workspace.directory { try FileManager.default.removeItem(at: earlier) }
            let registration = try register(pki: pki, events: count, in: directory.appendingPathComponent("registry-\(attempt)"))
            rawSign = max(rawSign, try OpenSSLRate.sign(with: coop.key))
            if registration.eventsPerSecond > best?.eventsPerSecond ?? 0 {
                best = Figures(eventsPerSecond: registration.eventsPerSecond, rawSignPerSecond: 0, cpuMicrosecondsPerEvent: registration.cpuMicrosecondsPerEvent,
                               coresBusy: registration.coresBusy, traceBackMilliseconds: 0, traceForwardMilliseconds: 0, checkRecordsPerSecond: 0, stockMilliseconds: 0)
            }
            last = registration
        }
        guard var figures = best, let last else { throw TraceError("bench.arguments", "no registration ran") }
        figures.rawSignPerSecond = rawSign
        if queries { try time(queriesOn: last, into: &figures) }
        return figures
    }

    /// One timed registration and the registry it made.
    struct Registration {
        let workspace: Workspace
        let shapes: Shapes
        let lots: Int, registered: Int
        let eventsPerSecond: Double, cpuMicrosecondsPerEvent: Double, coresBusy: Double
    }

    /// Registers `count` events in a new workspace at `directory`, timed.
    static func register(pki: SamplePKI, events count: Int, in directory: URL) throws -> Registration {
        let workspace = try Workspace.create(at: directory,
                                             config: .init(organization: "Bench Cooperative", gln: try GLN(SampleActor.honeyCoop.gln)),
                                             trustAnchors: [pki.root.certificate])
        let coop = try pki.signer(.honeyCoop), lab = try pki.signer(.laboratory)
        let lots = max(1, count / 3)
        let shapes = try Shapes()
        let started = Date(), cpuStarted = processCPUSeconds()
        var previous: [String] = Array(repeating: "", count: lots)
        // 4000 events per call, one transaction each: signed on all cores while the previous few
        // hundred are stored. A lot's inspection links to its harvest, its shipment to its inspection.
        var calls: [(stage: Int, lots: Range<Int>)] = []
        var planned = 0
        for stage in 0..<3 {
            for run in (0..<lots).runs(of: 4000) where planned < count {
                let lots = run.lowerBound..<min(run.upperBound, run.lowerBound + count - planned)
                calls.append((stage, lots))
                planned += lots.count
            }
        }
        // A stream of calls (``Registry/register(_:committed:)``) takes a call's events while the
        // one before it commits, and this starts building the call after: so a call may link only to
        // calls three or more before it. With fewer than three calls a stage, each stage is a stream.
        let callsPerStage = (0..<lots).runs(of: 4000).count
        let streams: [[Int]] = callsPerStage >= 3 ? [Array(calls.indices)]
            : (0..<3).map { stage in calls.indices.filter { calls[$0].stage == stage } }.filter { !$0.isEmpty }
        var registered = 0
        for stream in streams {
            // As an importer reads its next rows while the library registers the last: each call's
            // events are built on a thread of their own while the calls before it are registered.
            var upcoming = UpcomingEvents.build(calls[stream[0]], shapes: shapes, links: previous)
            let batches = sequence(state: 0) { position -> RegistrationBatch? in
                guard position < stream.count else { return nil }
                let events = upcoming.take()
                if position + 1 < stream.count { upcoming = UpcomingEvents.start(calls[stream[position + 1]], shapes: shapes, links: previous) }
                defer { position += 1 }
                return RegistrationBatch(events, by: calls[stream[position]].stage == 1 ? lab : coop)
            }
            var committed = 0
            try workspace.registry.register(batches) { envelopes in
                for (i, envelope) in zip(calls[stream[committed]].lots, envelopes) { previous[i] = envelope.digest }
                registered += envelopes.count
                committed += 1
            }
        }
        try workspace.registry.checkpoint()  // every page copied into the database file, within the time
        let seconds = Date().timeIntervalSince(started), cpuSeconds = processCPUSeconds() - cpuStarted
        return Registration(workspace: workspace, shapes: shapes, lots: lots, registered: registered,
                            eventsPerSecond: Double(registered) / seconds,
                            cpuMicrosecondsPerEvent: cpuSeconds / Double(registered) * 1e6, coresBusy: cpuSeconds / seconds)
    }

    /// Trace back and forward, `check` and `stock` on `registration`'s registry.
    private static func time(queriesOn registration: Registration, into figures: inout Figures) throws {
        let (workspace, shapes, lots, registered) = (registration.workspace, registration.shapes, registration.lots, registration.registered)
        let tracer = Tracer(registry: workspace.registry)
        func median(_ body: () throws -> Void) rethrows -> Double {
            var times: [Double] = []
            for _ in 0..<9 {
                let start = Date()
                try body()
                times.append(Date().timeIntervalSince(start) * 1000)
            }
            return times.sorted()[times.count / 2]
        }
        let target = shapes.lot(lots / 2)
        let back = try median { _ = try tracer.back(target) }
        let forward = try median { _ = try tracer.forward(target) }
        let checkStarted = Date()
        let check = try workspace.check()
        guard check.findings.isEmpty, check.records.count == registered else {
            throw TraceError("bench.check", "the registry's check found \(check.findings.count) findings in \(check.records.count) records")
        }
        figures.checkRecordsPerSecond = Double(registered) / Date().timeIntervalSince(checkStarted)
        let stockStarted = Date()
        _ = try Stock.of(workspace)
        figures.stockMilliseconds = Date().timeIntervalSince(stockStarted) * 1000
        (figures.traceBackMilliseconds, figures.traceForwardMilliseconds) = (back, forward)
    }

    /// The events of the next call, built on a thread of their own while the calls before it
    /// register.
    final class UpcomingEvents: @unchecked Sendable {
        private static let queue = DispatchQueue(label: "agritrace.bench.events")
        private let done = DispatchGroup()
        private var events: [EPCISEvent] = []

        /// Starts building the events of `call` (lots linked to their `links[lot]`).
        static func start(_ call: (stage: Int, lots: Range<Int>), shapes: Shapes, links: [String]) -> UpcomingEvents {
            let upcoming = UpcomingEvents()
            upcoming.done.enter()
            // The builder gets its own copy of the few links it needs: sharing the whole list would
            // make the caller's next change to it copy all of it (33,333 strings for 100,000 events).
            let links = Array(links[call.lots])
            queue.async {
                upcoming.events = events(of: call, shapes: shapes, links: links)
                upcoming.done.leave()
            }
            return upcoming
        }

        /// Builds the events of `call` now, on this thread.
        static func build(_ call: (stage: Int, lots: Range<Int>), shapes: Shapes, links: [String]) -> UpcomingEvents {
            let upcoming = UpcomingEvents()
            upcoming.events = events(of: call, shapes: shapes, links: links[call.lots])
            return upcoming
        }

        /// The events of `call`, each lot linked to the link at its position in `links`.
        private static func events(of call: (stage: Int, lots: Range<Int>), shapes: Shapes, links: some RandomAccessCollection<String>) -> [EPCISEvent] {
            zip(call.lots, links).map { shapes.event(stage: call.stage, index: $0, previous: $1) }
        }

        /// The events, once built; the box keeps none.
        func take() -> [EPCISEvent] {
            done.wait()
            defer { events = [] }
            return events
        }
    }

    /// CPU time of every thread of this process so far, in seconds.
    private static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The events registered: a harvest of lot i (stage 0), the laboratory's inspection of it
    /// (stage 1) and its shipment to the exporter (stage 2), each linked to the one before.
    struct Shapes {
        let coop: GLN, lab: GLN, exporter: GLN
        let base = Date(timeIntervalSince1970: 1_775_000_000)

        init() throws {
            (coop, lab, exporter) = (try GLN(SampleActor.honeyCoop.gln), try GLN(SampleActor.laboratory.gln), try GLN(SampleActor.exporter.gln))
        }

        /// µs per event hash of `event` (a function of its own, for profilers to single out).
        static func timeEventIDs(of event: EPCISEvent, loops: Int) throws -> Double {
            let start = Date()
            for _ in 0..<loops { _ = try EventHash.eventID(for: event) }
            return Date().timeIntervalSince(start) / Double(loops) * 1e6
        }

        func lot(_ i: Int) -> String { "https://id.gs1.org/01/08936000120016/10/R\(i)" }

        func event(stage: Int, index i: Int, previous: String) -> EPCISEvent {
            let time = EPCISTime(date: base.addingTimeInterval(Double(stage * 86_400 + i)))
            switch stage {
            case 0:
                return EventFactory.harvest(lot: lot(i), quantity: 100, uom: "KGM", at: time, location: coop,
                                            harvestDate: "2026-03-31", plots: [], category: "honey")
            case 1:
                return EventFactory.inspection(lot: lot(i), previous: previous, at: time, location: lab, conformant: true,
                                               measurements: [Measurement("moisture", 18, "P1")])
            default:
                return EventFactory.ship(quantities: [QuantityElement(epcClass: lot(i), quantity: 100, uom: "KGM")],
                                         previous: [InputLink(record: previous, lot: lot(i))], at: time, from: coop, to: exporter)
            }
        }
    }
}
