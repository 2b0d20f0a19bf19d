import Foundation

/// Remembered results of a pure text function (normalised Digital Links, canonical values, number
/// forms), by input: identifiers and values repeat across a bundle's events. Shared by all
/// threads, bounded, and long texts are not kept.
final class NormaliserCache: Sendable {
    private let results = ShardedStringTable<String?>()

    /// The remembered result for `key`, computing it the first time.
    func value(for key: String, _ compute: (String) -> String?) -> String? {
        guard key.utf8.count <= 256 else { return compute(key) }  // long texts are rare: not worth their memory
        if let hit = results.withShard(for: key, { $0[ExactText(key)] }) { return hit }
        let value = compute(key)
        results.withShard(for: key) { shard in
            if shard.count > 100_000 / ShardedStringTable<String?>.shardCount { shard.removeAll(keepingCapacity: true) }  // bounded under hostile input
            shard[ExactText(key)] = value
        }
        return value
    }
}

/// A table keyed by strings (as ``ExactText``: by code point) that many threads share, its
/// entries spread over independently locked shards chosen by a key's length and last byte: with
/// one lock, the verifier's threads spent much of their time waiting for each other on the caches
/// and the interner.
final class ShardedStringTable<Value>: @unchecked Sendable {
    static var shardCount: Int { 16 }

    private final class Shard: @unchecked Sendable {
        let lock = NSLock()
        var entries: [ExactText: Value] = [:]
    }

    private let shards = (0..<ShardedStringTable.shardCount).map { _ in Shard() }

    /// The shard of a key of `count` UTF-8 bytes ending in `last`: by length and last byte, which
    /// spread a bundle's lots, digests and places without hashing them a second time.
    static func shardIndex(count: Int, last: UInt8?) -> Int { (count &* 7 &+ Int(last ?? 0)) & (shardCount - 1) }

    /// Runs `body` on the entries of `key`'s shard, holding its lock.
    func withShard<Result>(for key: String, _ body: (inout [ExactText: Value]) -> Result) -> Result {
        let shard = shards[Self.shardIndex(count: key.utf8.count, last: key.utf8.last)]
        shard.lock.lock()
        defer { shard.lock.unlock() }
        return body(&shard.entries)
    }
}
