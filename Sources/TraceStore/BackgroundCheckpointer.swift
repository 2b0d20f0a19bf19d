import Foundation
import GRDB

/// Copies the registry's write-ahead log into the database file on a background thread after
/// each write, on a connection of its own, so that the writer does not wait for it: a commit
/// then costs one log write and one sync, and the copying and its sync overlap whatever comes
/// next (signing the next events, the next command).
///
/// SQLite makes this safe by design: a passive checkpoint never blocks the writer or readers,
/// an interrupted one (the process killed) is finished by the next, and the log is authoritative
/// until copied. Should this thread fall behind, the writer still checkpoints by itself once
/// the log holds ``writerThreshold`` pages.
final class BackgroundCheckpointer: @unchecked Sendable {
    /// Pages the log may hold before the writer copies it itself (128 MiB of a new registry's
    /// 8 KiB pages, 64 MiB of an older one's 4 KiB).
    static let writerThreshold = 16_384

    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "agritrace.registry.checkpoint", qos: .utility)
    private let lock = NSLock()
    /// A checkpoint is queued and has not started: another request need not queue one more.
    private var queued = false

    init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Asks for the log to be copied soon; requests made while one is waiting to start are one.
    func request() {
        lock.lock()
        defer { lock.unlock() }
        guard !queued else { return }
        queued = true
        queue.async { [self] in
            lock.withLock { queued = false }
            // A failure (the database busy past the timeout) leaves the log for the next one.
            _ = try? connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
        }
    }

    /// Waits for a requested checkpoint to finish (before closing, or in tests).
    func wait() {
        queue.sync {}
    }
}
