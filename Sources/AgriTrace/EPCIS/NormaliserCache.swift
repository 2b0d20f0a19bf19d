import Foundation

/// Remembered results of a pure text function (normalised Digital Links, canonical values, number
/// forms), by input: identifiers and values repeat across a bundle's events. Shared by all
/// threads, bounded, and long texts are not kept.
final class NormaliserCache: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [String: String?] = [:]

    /// The remembered result for `key`, computing it the first time.
    func value(for key: String, _ compute: (String) -> String?) -> String? {
        guard key.utf8.count <= 256 else { return compute(key) }  // long texts are rare: not worth their memory
        lock.lock()
        if let hit = results[key] { lock.unlock(); return hit }
        lock.unlock()
        let value = compute(key)
        lock.lock()
        if results.count > 100_000 { results.removeAll(keepingCapacity: true) }  // bounded under hostile input
        results[key] = value
        lock.unlock()
        return value
    }
}
