import AgriTrace
import Foundation

/// Events signed on all cores while the caller stores them, in order, as they come.
///
/// The events are taken in runs of ``Signer/runLength``: from the start by one thread per core
/// but one, and by the caller (``store(_:)``) whenever the next run in order is not signed yet.
/// So signing and SQLite's one writer never have more threads than there are cores, and no core
/// waits for another until the last run: on two, one thread signs throughout while the caller
/// stores each run as soon as it is ready and signs in between.
final class SigningJob: Sendable {
    typealias Signed = (envelopes: [Envelope], rows: [RecordRow])
    let signer: Signer
    /// How many events the job signs.
    var count: Int { events.count }
    private let events: [EPCISEvent]
    private let runs: [Range<Int>]
    private let state: State
    private let finished = DispatchGroup()

    /// The next run to take and each run's outcome until it is stored, shared by the threads.
    private final class State: @unchecked Sendable {
        let condition = NSCondition()
        var next = 0
        /// Set when the caller stops early (a failure): no thread takes another run.
        var stopped = false
        var outcomes: [Result<Signed, Error>?]
        init(runs: Int) { outcomes = Array(repeating: nil, count: runs) }
    }

    /// Starts signing `events` (the array is shared, not copied).
    init(signer: Signer, events: [EPCISEvent]) {
        self.signer = signer
        self.events = events
        runs = events.indices.runs(of: Signer.runLength)
        state = State(runs: runs.count)
        for _ in 1..<max(2, ProcessInfo.processInfo.activeProcessorCount) {
            finished.enter()
            DispatchQueue.global(qos: .userInitiated).async { [self] in
                while let index = take() { sign(index) }
                finished.leave()
            }
        }
    }

    /// Starts signing a batch of ``Registry/register(_:committed:)``.
    convenience init(_ batch: RegistrationBatch) {
        self.init(signer: batch.signer, events: batch.events)
    }

    /// Hands every run, signed, to `store`, in the order of the events; signs on this thread
    /// whenever the next run is not ready. The first failure, of signing or of `store`, is
    /// thrown once the job's threads have stopped.
    func store(_ store: (Signed) throws -> Void) throws {
        defer { stop() }
        for position in runs.indices {
            while true {
                if let outcome = takeOutcome(position) {
                    try store(try outcome.get())
                    break
                }
                if let index = take() { sign(index) } else { waitForOutcome(position) }
            }
        }
    }

    /// Stops the job (its runs will not be stored, or all have been): no thread takes another
    /// run; returns once the runs taken are signed.
    func stop() {
        state.condition.withLock { state.stopped = true }
        finished.wait()
    }

    private func sign(_ index: Int) {
        // The events as signed are only needed for their rows: they go here, on this thread.
        let outcome = Result { () throws -> Signed in
            let records = try signer.signInOrder(events[runs[index]])
            return (records.map(\.envelope), records.map(RecordRow.init))
        }
        state.condition.withLock {
            state.outcomes[index] = outcome
            state.condition.broadcast()
        }
    }

    private func take() -> Int? {
        state.condition.withLock {
            guard !state.stopped, state.next < runs.count else { return nil }
            defer { state.next += 1 }
            return state.next
        }
    }

    /// The outcome of run `position` if it is signed, handed over (the job keeps no copy).
    private func takeOutcome(_ position: Int) -> Result<Signed, Error>? {
        state.condition.withLock {
            defer { state.outcomes[position] = nil }
            return state.outcomes[position]
        }
    }

    /// Waits until run `position`, taken by another thread, is signed.
    private func waitForOutcome(_ position: Int) {
        state.condition.withLock {
            while state.outcomes[position] == nil { state.condition.wait() }
        }
    }
}
