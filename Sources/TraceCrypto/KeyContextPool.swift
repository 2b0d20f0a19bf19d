internal import COpenSSL
import Foundation

/// P-256 signing or verifying contexts of one key, made on first need and then lent to one
/// thread at a time. Making and initialising a context costs about a tenth of a signature;
/// OpenSSL's own benchmark keeps one per thread, and so do we, in effect.
///
/// A context goes back to the pool only after a use that succeeded (a signature made, a signature
/// found valid); after any other (an error, a malformed or wrong signature) it is freed, so no
/// state of a failed operation is ever reused.
final class KeyContextPool: @unchecked Sendable {
    enum Purpose { case sign, verify }

    /// Borrowed from the key object that owns this pool; each context holds its own reference.
    private let pkey: OpaquePointer
    private let purpose: Purpose
    private let lock = NSLock()
    private var idle: [OpaquePointer] = []
    /// More threads than this rarely use one key at once; contexts beyond it are freed after use.
    private static let maximumIdle = 16

    init(pkey: OpaquePointer, purpose: Purpose) {
        self.pkey = pkey
        self.purpose = purpose
    }

    deinit { idle.forEach(EVP_PKEY_CTX_free) }

    /// Runs `body` with a context ready for ECDSA with SHA-256. The context goes back to the
    /// pool only when `body` gives a value; nil when it gives none, or no context could be made.
    func withContext<T>(_ body: (OpaquePointer) -> T?) -> T? {
        guard let ctx = lock.withLock({ idle.popLast() }) ?? makeContext() else { return nil }
        let result = body(ctx)
        let kept = result != nil && lock.withLock { () -> Bool in
            guard idle.count < Self.maximumIdle else { return false }
            idle.append(ctx)
            return true
        }
        if !kept { EVP_PKEY_CTX_free(ctx) }
        return result
    }

    private func makeContext() -> OpaquePointer? {
        guard let ctx = EVP_PKEY_CTX_new(pkey, nil) else { return nil }
        let initialised = purpose == .sign ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx)
        guard initialised == 1, EVP_PKEY_CTX_set_signature_md(ctx, DigestAlgorithm.sha256.md) == 1 else {
            EVP_PKEY_CTX_free(ctx)
            return nil
        }
        return ctx
    }
}
