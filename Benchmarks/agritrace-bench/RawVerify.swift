import AgriTrace
import Foundation
import TraceCrypto

/// OpenSSL's raw P-256 verification rate on all cores: `count` signatures over distinct 32-byte
/// messages, verified with the same EVP calls the library makes, and nothing else.
enum RawVerify {
    static func measure(signatures count: Int) throws -> (perSecond: Double, seconds: Double) {
        let key = try PrivateKey.generate(.p256)
        let publicKey = try key.publicKey
        let messages = (0..<count).map { i in Digest.sha256(Array("message \(i)".utf8)) }
        let signatures = try messages.concurrentMap { message in Result { try key.sign(message) } }.map { try $0.get() }
        let pairs = Array(zip(signatures, messages)).map { Pair(signature: $0.0, message: $0.1) }
        let started = Date()
        let results = pairs.concurrentMap { publicKey.isValidSignature($0.signature, for: $0.message) }
        let seconds = Date().timeIntervalSince(started)
        guard results.allSatisfy({ $0 }) else { throw TraceError("bench.raw", "a raw signature failed to verify") }
        return (Double(count) / seconds, seconds)
    }

    struct Pair: Sendable {
        let signature: [UInt8]
        let message: [UInt8]
    }
}
