internal import COpenSSL
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The SHA-2 digests AgriTrace uses, computed by OpenSSL.
public enum DigestAlgorithm: String, Sendable, CaseIterable {
    case sha256 = "SHA256"
    case sha384 = "SHA384"
    case sha512 = "SHA512"

    /// Digest length in bytes.
    public var byteCount: Int {
        switch self {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// The digest's implementation, fetched from OpenSSL's default provider once per process:
    /// `EVP_sha256()` and its kind make OpenSSL 3 look the implementation up again on every use,
    /// a large part of the cost of hashing a record-sized payload. Held for the life of the
    /// process (three objects), never freed; a fetch that fails falls back to the legacy table.
    var md: OpaquePointer {
        switch self {
        case .sha256: Self.fetchedSHA256
        case .sha384: Self.fetchedSHA384
        case .sha512: Self.fetchedSHA512
        }
    }

    nonisolated(unsafe) private static let fetchedSHA256: OpaquePointer = EVP_MD_fetch(nil, "SHA256", nil) ?? EVP_sha256()
    nonisolated(unsafe) private static let fetchedSHA384: OpaquePointer = EVP_MD_fetch(nil, "SHA384", nil) ?? EVP_sha384()
    nonisolated(unsafe) private static let fetchedSHA512: OpaquePointer = EVP_MD_fetch(nil, "SHA512", nil) ?? EVP_sha512()
}

/// One-shot digests.
public enum Digest {
    /// The digest of `data`.
    public static func hash(_ data: some ContiguousBytes, algorithm: DigestAlgorithm = .sha256) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: algorithm.byteCount)
        out.withUnsafeMutableBytes { hash(data, algorithm: algorithm, into: $0.baseAddress) }
        return out
    }

    /// The digest of `data`, written to `out` (``DigestAlgorithm/byteCount`` bytes), in this
    /// thread's context (``ThreadContext``).
    static func hash(_ data: some ContiguousBytes, algorithm: DigestAlgorithm, into out: UnsafeMutableRawPointer?) {
        let context = ThreadContext.current
        var length: UInt32 = 0
        let ok = data.withUnsafeBytes { raw in
            EVP_DigestInit_ex2(context, algorithm.md, nil) == 1 && EVP_DigestUpdate(context, raw.baseAddress, raw.count) == 1
                && EVP_DigestFinal_ex(context, out?.assumingMemoryBound(to: UInt8.self), &length) == 1
        }
        // Emptied again (the next start would free the digest's state first anyway): an idle
        // context holds nothing of OpenSSL's, and freeing it at a thread's end, even while the
        // process exits, touches no state OpenSSL may have freed.
        EVP_MD_CTX_reset(context)
        precondition(ok, "a digest failed for a built-in algorithm")
    }

    /// One digest context per thread, used again for every one-shot digest the thread makes:
    /// `EVP_Digest` made and freed one each time, and a verification makes two digests a record
    /// (three with its signatures). A thread's context is freed when the thread ends.
    private enum ThreadContext {
        private static let key: pthread_key_t = {
            var key = pthread_key_t()
            let made = pthread_key_create(&key) { context in EVP_MD_CTX_free(OpaquePointer(context)) }
            precondition(made == 0, "no thread-specific key for digest contexts")
            return key
        }()

        static var current: OpaquePointer {
            if let context = pthread_getspecific(key) { return OpaquePointer(context) }
            guard let context = EVP_MD_CTX_new() else { fatalError("out of memory allocating a digest context") }
            precondition(pthread_setspecific(key, UnsafeRawPointer(context)) == 0, "out of memory keeping a digest context")
            return context
        }
    }

    /// SHA-256 of `data`, the digest records and certificates are named by.
    public static func sha256(_ data: some ContiguousBytes) -> [UInt8] { hash(data, algorithm: .sha256) }

    /// The streaming digest of a file, read in 1 MiB pieces.
    public static func hash(fileAt url: URL, algorithm: DigestAlgorithm = .sha256) throws -> [UInt8] {
        // Only a regular file: a device or FIFO (/dev/zero, a named pipe) would never end.
        try RegularFile.open(url) { fd, _ in
            var hasher = Hasher(algorithm)
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw RegularFile.Failure.errno() }
                if count == 0 { return hasher.finalize() }
                buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
            }
        }
    }

    /// A streaming digest: feed it pieces with ``update(_:)`` and read it once with ``finalize()``.
    public struct Hasher: ~Copyable {
        private let context: OpaquePointer
        public let algorithm: DigestAlgorithm

        public init(_ algorithm: DigestAlgorithm = .sha256) {
            guard let context = EVP_MD_CTX_new() else { fatalError("out of memory allocating a digest context") }
            precondition(EVP_DigestInit_ex(context, algorithm.md, nil) == 1, "EVP_DigestInit_ex failed for a built-in digest")
            self.context = context
            self.algorithm = algorithm
        }

        /// Adds `data` to the digest.
        public mutating func update(_ data: some ContiguousBytes) {
            data.withUnsafeBytes { raw in
                _ = EVP_DigestUpdate(context, raw.baseAddress, raw.count)
            }
        }

        /// The digest of everything fed so far; the hasher is spent afterwards.
        public consuming func finalize() -> [UInt8] {
            var out = [UInt8](repeating: 0, count: algorithm.byteCount)
            var length: UInt32 = 0
            _ = EVP_DigestFinal_ex(context, &out, &length)
            return out
        }

        deinit { EVP_MD_CTX_free(context) }
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal text of these bytes.
    public var hexString: String { hexString(after: "") }

    /// `prefix`, the lower-case hexadecimal text of these bytes, then `suffix`, made as one
    /// string: a digest's name with its hex (`sha256:…`) in one allocation, where joining them
    /// took three (every record's digest and event hash is one).
    public func hexString(after prefix: String, before suffix: String = "") -> String {
        withContiguousStorageIfAvailable { HexText.of(UnsafeRawBufferPointer($0), after: prefix, before: suffix) }
            ?? Array(self).withUnsafeBytes { HexText.of($0, after: prefix, before: suffix) }
    }
}

/// Lower-case hexadecimal text, for ``Swift/Sequence/hexString(after:before:)`` and ``SHA256Digest``.
enum HexText {
    static func of(_ bytes: UnsafeRawBufferPointer, after prefix: String, before suffix: String) -> String {
        String(unsafeUninitializedCapacity: prefix.utf8.count + 2 * bytes.count + suffix.utf8.count) { text in
            var end = 0
            for byte in prefix.utf8 { text[end] = byte; end += 1 }
            for byte in bytes {
                text[end] = digits[Int(byte >> 4)]
                text[end + 1] = digits[Int(byte & 0x0f)]
                end += 2
            }
            for byte in suffix.utf8 { text[end] = byte; end += 1 }
            return end
        }
    }

    /// Whether `text` is exactly the lower-case hexadecimal digits of `bytes`.
    static func spells(_ bytes: UnsafeRawBufferPointer, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count == 2 * bytes.count else { return false }
        var differ: UInt8 = 0  // one test at the end, not a branch per digit
        for (index, byte) in bytes.enumerated() {
            differ |= (text[2 * index] ^ digits[Int(byte >> 4)]) | (text[2 * index + 1] ^ digits[Int(byte & 0x0f)])
        }
        return differ == 0
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)
}
