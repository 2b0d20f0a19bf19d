internal import COpenSSL

/// OpenSSL's shared state for the life of a program.
public enum OpenSSLLifetime {
    /// Keeps OpenSSL's shared state (its locks, providers and tables) until the process ends,
    /// instead of letting `exit` free it while other threads may still be using it.
    ///
    /// A verifier goes on working on other threads after it returns (it frees a bundle's
    /// records there, and builds a signer's table on a thread of its own), and a program
    /// prints its report and exits. OpenSSL frees its shared state from an `atexit` handler, so
    /// such a thread could take a lock already freed, and the program crashed after its work
    /// was done, with a signal for an exit code. With this, the process ends and takes those
    /// threads with it.
    ///
    /// Call it first in `main`, before anything uses OpenSSL: only OpenSSL's first
    /// initialisation decides. Returns whether OpenSSL took it.
    @discardableResult
    public static func keepUntilExit() -> Bool {
        OPENSSL_init_crypto(UInt64(OPENSSL_INIT_NO_ATEXIT), nil) == 1
    }
}
