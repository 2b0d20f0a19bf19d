import AgriTrace
import Dispatch
import Foundation
import TraceCrypto

/// AgriTrace's own P-256 verification rate, the signature math alone: the limit of a verifier
/// whose other work cost nothing. A key with many signatures verifies them with a table of its
/// multiples (see `FixedBaseVerifier`), faster than OpenSSL's stock verification, so this, not
/// ``OpenSSLRate/verify(count:)``, tells how much the reading, hashing and checks cost beside it.
enum SignatureMathRate {
    /// Verifications per second on all cores: `count` signatures of distinct messages by one key,
    /// checked in runs of 16 as the verifier checks a run of records, with the key's table (built
    /// before the clock starts, as a verifier builds it while it reads the records).
    static func verify(count: Int) throws -> (perSecond: Double, seconds: Double) {
        let key = try PrivateKey.generate(.p256), publicKey = try key.publicKey
        let messages = (0..<count).map { Array("message \($0)".utf8) }
        let pending = try messages.map { publicKey.pendingSignature(Data(try key.sign($0)), for: $0) }
        PublicKey.waitForTables()
        let runs = stride(from: 0, to: count, by: 16).map { Array(pending[$0..<min($0 + 16, count)]) }
        let start = Date()
        let valid = runs.concurrentMap { PendingSignature.validity(of: $0).filter { $0 }.count }.reduce(0, +)
        let seconds = Date().timeIntervalSince(start)
        guard valid == count else { throw TraceError("bench.raw", "a signature failed to verify") }
        return (Double(count) / seconds, seconds)
    }
}
