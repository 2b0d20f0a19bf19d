internal import COpenSSL
import AgriTrace
import Dispatch
import Foundation
import TraceCrypto

/// OpenSSL's own P-256 rates on this machine: the physical limit that the library's signing and
/// verifying are quoted against. Measured as `openssl speed ecdsap256` measures them:
/// `EVP_PKEY_sign` and `EVP_PKEY_verify` on 32-byte digests, one context per thread made before
/// the clock starts, and nothing of AgriTrace's own code inside the loop.
enum OpenSSLRate {
    /// Signatures per second on one core, with `key`.
    static func sign(with key: PrivateKey, count: Int = 5000) throws -> Double {
        let pkey = try openSSLKey(key)
        defer { EVP_PKEY_free(pkey) }
        let digests = (0..<count).map { Digest.sha256(Array("raw sign \($0)".utf8)) }
        let ctx = try context(pkey, verifying: false)
        defer { EVP_PKEY_CTX_free(ctx) }
        var signature = [UInt8](repeating: 0, count: 80)
        let start = Date()
        for digest in digests {
            var length = signature.count
            guard EVP_PKEY_sign(ctx, &signature, &length, digest, digest.count) == 1 else { throw failure("EVP_PKEY_sign") }
        }
        return Double(count) / Date().timeIntervalSince(start)
    }

    /// Verifications per second on all cores: `count` signatures of distinct digests by one key.
    static func verify(count: Int) throws -> (perSecond: Double, seconds: Double) {
        let key = try PrivateKey.generate(.p256)
        nonisolated(unsafe) let pkey = try openSSLKey(key)
        defer { EVP_PKEY_free(pkey) }
        let digests = (0..<count).map { Digest.sha256(Array("message \($0)".utf8)) }
        let signer = try context(pkey, verifying: false)
        defer { EVP_PKEY_CTX_free(signer) }
        let signatures = try digests.map { digest in
            var signature = [UInt8](repeating: 0, count: 80), length = 80
            guard EVP_PKEY_sign(signer, &signature, &length, digest, digest.count) == 1 else { throw failure("EVP_PKEY_sign") }
            return Array(signature.prefix(length))
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let valid = Counter()
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: cores) { core in
            guard let ctx = try? context(pkey, verifying: true) else { return }
            defer { EVP_PKEY_CTX_free(ctx) }
            var ok = 0
            for index in stride(from: core, to: count, by: cores) {
                let signature = signatures[index], digest = digests[index]
                if EVP_PKEY_verify(ctx, signature, signature.count, digest, digest.count) == 1 { ok += 1 }
            }
            valid.add(ok)
        }
        let seconds = Date().timeIntervalSince(start)
        guard valid.value == count else { throw failure("a raw signature failed to verify") }
        return (Double(count) / seconds, seconds)
    }

    /// `key` as a key object of OpenSSL's own, read from its DER form.
    private static func openSSLKey(_ key: PrivateKey) throws -> OpaquePointer {
        let der = [UInt8](try key.derRepresentation())
        return try der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            guard let pkey = d2i_AutoPrivateKey(nil, &cursor, buffer.count) else { throw failure("d2i_AutoPrivateKey") }
            return pkey
        }
    }

    private static func context(_ pkey: OpaquePointer, verifying: Bool) throws -> OpaquePointer {
        guard let ctx = EVP_PKEY_CTX_new(pkey, nil) else { throw failure("EVP_PKEY_CTX_new") }
        guard (verifying ? EVP_PKEY_verify_init(ctx) : EVP_PKEY_sign_init(ctx)) == 1 else {
            EVP_PKEY_CTX_free(ctx)
            throw failure("EVP_PKEY_sign_init / verify_init")
        }
        return ctx
    }

    private static func failure(_ what: String) -> TraceError { TraceError("bench.raw", "OpenSSL: \(what) failed") }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var total = 0
        func add(_ count: Int) { lock.withLock { total += count } }
        var value: Int { lock.withLock { total } }
    }
}
