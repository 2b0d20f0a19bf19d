import Foundation

/// Jobs that run on the cores a piece of work of the caller's own leaves idle (building a
/// verification's context, say, which is mostly one thread's work): see ``run(alongside:)``.
/// Outputs come in the jobs' order, whichever core ran them.
final class SideWork<Output: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [(@Sendable () -> Output)?]  // guarded by `lock`; a job's slot is emptied once taken
    private var outputs: [Output?]  // guarded by `lock`
    private var next = 0  // guarded by `lock`
    private var bodyClaimed = false  // guarded by `lock`

    init(_ jobs: [@Sendable () -> Output]) {
        self.jobs = jobs
        outputs = [Output?](repeating: nil, count: jobs.count)
    }

    /// Runs `body` on one core while the others take the jobs; that core then takes the jobs
    /// still waiting. Returns once every job has run. The threads are the ones `concurrentMap`
    /// uses, so memory the jobs free goes back where the rest of the work can reuse it.
    func run<T: Sendable>(alongside body: @Sendable () -> T) -> (T, [Output]) {
        // With no jobs, `body` keeps every core for the concurrent maps it may run itself (one
        // nested in a concurrent loop gets a share of the cores, not all of them).
        guard !jobs.isEmpty else { return (body(), []) }
        nonisolated(unsafe) var result: T?
        DispatchQueue.concurrentPerform(iterations: ProcessInfo.processInfo.activeProcessorCount) { _ in
            if claimBody() { result = body() }
            drain()
        }
        return (result ?? body(), lock.withLock { outputs.compactMap { $0 } })  // (one iteration always ran `body`)
    }

    /// Whether the caller is the first to ask: the one core that runs ``run(alongside:)``'s body.
    private func claimBody() -> Bool {
        lock.withLock {
            defer { bodyClaimed = true }
            return !bodyClaimed
        }
    }

    private func drain() {
        while let (index, job) = take() {
            let output = job()
            lock.withLock { outputs[index] = output }
        }
    }

    /// The next job nobody has taken, its slot emptied so what it holds goes once it has run.
    private func take() -> (Int, @Sendable () -> Output)? {
        lock.withLock {
            guard next < jobs.count, let job = jobs[next] else { return nil }
            jobs[next] = nil
            next += 1
            return (next - 1, job)
        }
    }
}
