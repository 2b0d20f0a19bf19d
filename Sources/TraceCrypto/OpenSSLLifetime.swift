internal import COpenSSL
import Foundation

/// OpenSSL's shared state for the life of a program, and the work that goes on using it after
/// the call that started the work has returned.
///
/// A verifier goes on working on other threads after it returns: it frees a bundle's records
/// there, and builds a signer's table on a thread of its own. A program prints its report and
/// exits, and OpenSSL frees its shared state (its locks, providers and tables) from an `atexit`
/// handler; a thread still inside OpenSSL then takes a lock already freed, and the program
/// crashes after its work is done, with a signal for an exit code. Two guards keep that from
/// happening:
/// - ``inBackground(on:group:_:)`` runs such work so that an exiting process first waits for
///   it (a table whose building has not begun is skipped). It covers every program that uses
///   the library, tests included, whether or not it calls the other.
/// - ``keepUntilExit()`` makes OpenSSL keep its state to the end, for threads nobody waits for.
///   AgriTrace's programs call it first.
public enum OpenSSLLifetime {
    /// Keeps OpenSSL's shared state until the process ends, instead of letting `exit` free it
    /// while other threads may still be using it: the process ends and takes those threads with
    /// it, and need not wait for background work.
    ///
    /// Call it first in `main`, before anything uses OpenSSL: only OpenSSL's first
    /// initialisation decides. Returns whether OpenSSL took it.
    @discardableResult
    public static func keepUntilExit() -> Bool {
        let kept = OPENSSL_init_crypto(UInt64(OPENSSL_INIT_NO_ATEXIT), nil) == 1
        // Too late if background work has initialised OpenSSL already: the exit then still waits.
        lock.withLock { stateKept = kept && !guardRegistered }
        return kept
    }

    /// Runs `work` on `queue` as work that may use OpenSSL after its caller has returned: a
    /// process that exits while it runs waits for it (up to ``exitWait``) before OpenSSL frees
    /// its shared state. What `work` holds is released before the wait ends (freeing is often the
    /// work itself), and so before `group`, if given, is left.
    public static func inBackground(on queue: DispatchQueue, group: DispatchGroup? = nil, _ work: @escaping @Sendable () -> Void) {
        _ = exitGuard
        running.enter()
        group?.enter()
        let job = Job(work)
        queue.async {
            job.run()
            group?.leave()
            running.leave()
        }
    }

    /// A closure that is released once it has run, not when the block holding it is.
    private final class Job: @unchecked Sendable {  // touched by the one thread that runs it
        private var work: (@Sendable () -> Void)?

        init(_ work: @escaping @Sendable () -> Void) {
            self.work = work
        }

        func run() {
            let work = self.work.take()
            work?()
        }
    }

    /// Whether the process has begun to exit: background work that is only worth doing for a
    /// process that goes on (building a table) may skip itself.
    static var isExiting: Bool { lock.withLock { exiting } }

    /// The longest an exiting process waits for its background work: far above any the library
    /// starts (freeing a bundle's records, one table), and still a bound, so that an exit never hangs.
    static let exitWait: DispatchTimeInterval = .seconds(10)

    private static let running = DispatchGroup()
    private static let lock = NSLock()
    nonisolated(unsafe) private static var exiting = false, stateKept = false, guardRegistered = false  // guarded by `lock`

    /// Registers the wait at exit, once. OpenSSL is initialised first, so its own `atexit`
    /// handler (if it has one) is registered before this one, and handlers run in the reverse
    /// order: the wait comes before OpenSSL frees anything.
    private static let exitGuard: Void = {
        OPENSSL_init_crypto(UInt64(OPENSSL_INIT_LOAD_CRYPTO_STRINGS), nil)  // (with no option at all it returns at once)
        lock.withLock { guardRegistered = true }
        atexit {
            let stateKept = OpenSSLLifetime.lock.withLock {
                OpenSSLLifetime.exiting = true
                return OpenSSLLifetime.stateKept
            }
            if !stateKept { _ = OpenSSLLifetime.running.wait(timeout: .now() + OpenSSLLifetime.exitWait) }
        }
    }()
}
