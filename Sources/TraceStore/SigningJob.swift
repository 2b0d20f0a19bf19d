import AgriTrace
import Foundation

/// Events being signed, with their registry rows worked out, while the caller stores the
/// previous batch; when the caller asks for the result it helps sign what is left.
///
/// The events are taken in runs of ``Signer/runLength`` by one thread per core: all but one of
/// them the job's own, from the start, and the last the caller's, once it has stored the previous
/// batch. So signing and SQLite's one writer never have more threads than there are cores: on
/// two, one signs while the other writes, then both sign.
final class SigningJob: Sendable {
    typealias Signed = (envelopes: [Envelope], rows: [RecordRow])
    private let signer: Signer
    private let events: [EPCISEvent]
    private let runs: [Range<Int>]
    private let state: State
    private let finished = DispatchGroup()

    /// The next run to take and each run's outcome, shared by the threads.
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var outcomes: [Result<Signed, Error>?]
        init(runs: Int) { outcomes = Array(repeating: nil, count: runs) }
    }

    /// Starts signing `events[part]` (the whole array is shared, not copied).
    init(signer: Signer, events: [EPCISEvent], part: Range<Int>) {
        self.signer = signer
        self.events = events
        runs = part.runs(of: Signer.runLength)
        state = State(runs: runs.count)
        for _ in 1..<max(2, ProcessInfo.processInfo.activeProcessorCount) {
            finished.enter()
            DispatchQueue.global(qos: .userInitiated).async { [self] in
                work()
                finished.leave()
            }
        }
    }

    /// Signs runs until none is left to take.
    private func work() {
        while let index = take() {
            // The events as signed are only needed for their rows: they go here, on this thread.
            let outcome = Result { () throws -> Signed in
                let records = try signer.signInOrder(events[runs[index]])
                return (records.map(\.envelope), records.map(RecordRow.init))
            }
            state.lock.withLock { state.outcomes[index] = outcome }
        }
    }

    private func take() -> Int? {
        state.lock.withLock {
            guard state.next < runs.count else { return nil }
            defer { state.next += 1 }
            return state.next
        }
    }

    /// Helps sign what is left, waits for the job's own threads, and returns the envelopes and
    /// rows in the order of the events.
    func result() throws -> Signed {
        work()
        finished.wait()
        var signed: Signed = ([], [])
        let count = runs.reduce(0) { $0 + $1.count }
        signed.envelopes.reserveCapacity(count)
        signed.rows.reserveCapacity(count)
        for outcome in state.lock.withLock({ state.outcomes }) {
            guard let run = try outcome?.get() else { throw TraceError("registry.signing", "a run of events was not signed") }
            signed.envelopes += run.envelopes
            signed.rows += run.rows
        }
        return signed
    }
}
