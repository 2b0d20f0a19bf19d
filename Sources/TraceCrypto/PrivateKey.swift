internal import COpenSSL
import Foundation

/// The signature algorithms AgriTrace signs with.
public enum KeyAlgorithm: String, Sendable, Codable, CaseIterable {
    /// ECDSA on NIST P-256 with SHA-256; signatures are DER-encoded.
    case p256 = "P-256"
    /// Ed25519 (RFC 8032); signatures are 64 raw bytes.
    case ed25519 = "Ed25519"

    /// Identifies the algorithm of an OpenSSL key, or throws for anything else.
    static func of(_ pkey: OpaquePointer) throws -> KeyAlgorithm {
        switch EVP_PKEY_get_base_id(pkey) {
        case EVP_PKEY_ED25519:
            return .ed25519
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(pkey, &name, name.count, &length) == 1 else {
                throw OpenSSL.error(.keyUnsupported, "EC key without a named curve")
            }
            let curve = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard curve == "prime256v1" || curve == "P-256" else {
                throw CryptoError(.keyUnsupported, "EC key on curve \(curve); AgriTrace signs with P-256 only")
            }
            return .p256
        default:
            throw CryptoError(.keyUnsupported, "key type \(EVP_PKEY_get_base_id(pkey)) is neither P-256 nor Ed25519")
        }
    }
}

/// A private signing key (P-256 or Ed25519) held by OpenSSL.
///
/// Immutable and safe to use from many threads at once. Its bytes leave the process only through
/// ``pemRepresentation(passphrase:)`` and ``derRepresentation(passphrase:)``; descriptions and
/// errors never include them.
public final class PrivateKey: @unchecked Sendable, CustomStringConvertible {
    let pkey: OpaquePointer
    /// The key's algorithm.
    public let algorithm: KeyAlgorithm
    private let contexts: KeyContextPool

    init(taking pkey: OpaquePointer) throws {
        do {
            self.algorithm = try KeyAlgorithm.of(pkey)
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
        self.pkey = pkey
        self.contexts = KeyContextPool(pkey: pkey, purpose: .sign)
    }

    deinit { EVP_PKEY_free(pkey) }  // the pool's contexts hold references of their own

    public var description: String { "PrivateKey(\(algorithm.rawValue), redacted)" }

    /// Generates a fresh key.
    public static func generate(_ algorithm: KeyAlgorithm = .p256) throws -> PrivateKey {
        let name = algorithm == .p256 ? "EC" : "ED25519"
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, name, nil) else {
            throw OpenSSL.error(.internalFailure, "no key generator for \(algorithm.rawValue)")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1 else { throw OpenSSL.error(.internalFailure, "key generation init failed") }
        if algorithm == .p256, EVP_PKEY_CTX_set_group_name(ctx, "P-256") != 1 {
            throw OpenSSL.error(.internalFailure, "could not select curve P-256")
        }
        var pkey: OpaquePointer?
        guard EVP_PKEY_generate(ctx, &pkey) == 1, let pkey else {
            throw OpenSSL.error(.internalFailure, "key generation failed")
        }
        return try PrivateKey(taking: pkey)
    }

    /// Reads a private key from PEM or DER: PKCS#8 (encrypted when `passphrase` is given), or the
    /// traditional SEC1 EC form.
    public convenience init(pemOrDER data: Data, passphrase: String? = nil) throws {
        let encrypted = Self.isEncrypted(data)
        let pkey: OpaquePointer? = try withPassphrase(passphrase) { pass in
            if OpenSSL.isPEM(data) {
                return try OpenSSL.withReadBIO(data) { PEM_read_bio_PrivateKey($0, nil, agt_passphrase_cb(), pass) }
            }
            if let key = try OpenSSL.withReadBIO(data, { d2i_PrivateKey_bio($0, nil) }) { return key }
            _ = OpenSSL.drainErrors()
            return try OpenSSL.withReadBIO(data) { d2i_PKCS8PrivateKey_bio($0, nil, agt_passphrase_cb(), pass) }
        }
        guard let pkey else {
            if encrypted {
                throw OpenSSL.error(.keyPassphrase, passphrase == nil
                    ? "the private key is encrypted and no passphrase was given"
                    : "the passphrase does not decrypt the private key")
            }
            throw OpenSSL.error(.keyMalformed, "not a PEM or DER private key")
        }
        try self.init(taking: pkey)
    }

    /// Whether the file at `url` holds an encrypted private key (PEM or DER PKCS#8), so that
    /// reading it needs a passphrase; false for anything else, a missing file included.
    public static func isEncrypted(fileAt url: URL) -> Bool {
        guard let data = try? RegularFile.input(url, "key", .keyMalformed, limit: 1 << 20) else { return false }
        return isEncrypted(data)
    }

    private static func isEncrypted(_ data: Data) -> Bool {
        OpenSSL.isPEM(data) ? data.range(of: Data("ENCRYPTED".utf8)) != nil : isEncryptedDER(data)
    }

    /// Whether `der` is a PKCS#8 EncryptedPrivateKeyInfo.
    private static func isEncryptedDER(_ der: Data) -> Bool {
        der.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
            var cursor: UnsafePointer<UInt8>? = base
            guard let sig = d2i_X509_SIG(nil, &cursor, raw.count) else { ERR_clear_error(); return false }
            X509_SIG_free(sig)
            return true
        }
    }

    /// Reads a private key file (PEM or DER).
    public convenience init(fileAt url: URL, passphrase: String? = nil) throws {
        let data = try RegularFile.input(url, "key", .keyMalformed, limit: 1 << 20)
        do { try self.init(pemOrDER: data, passphrase: passphrase) } catch var error as CryptoError {
            error.message += " in \(url.path)"  // as RegularFile.parse does; an initialiser cannot hand it the parsing
            throw error
        }
    }

    /// PKCS#8 PEM text, encrypted with AES-256-CBC (PBKDF2) when `passphrase` is given.
    public func pemRepresentation(passphrase: String? = nil) throws -> Data {
        try OpenSSL.writeBIO({ bio in
            withPassphraseBytes(passphrase) { cipher, pass, length in
                PEM_write_bio_PKCS8PrivateKey(bio, pkey, cipher, pass, length, nil, nil) == 1
            }
        }, failure: OpenSSL.error(.internalFailure, "could not encode the private key"))
    }

    /// PKCS#8 DER bytes, encrypted when `passphrase` is given.
    public func derRepresentation(passphrase: String? = nil) throws -> Data {
        try OpenSSL.writeBIO({ bio in
            withPassphraseBytes(passphrase) { cipher, pass, length in
                i2d_PKCS8PrivateKey_bio(bio, pkey, cipher, pass, length, nil, nil) == 1
            }
        }, failure: OpenSSL.error(.internalFailure, "could not encode the private key"))
    }

    /// The matching public key.
    public var publicKey: PublicKey {
        // Re-encoding the SubjectPublicKeyInfo of a valid key cannot fail short of memory exhaustion.
        get throws {
            let der = try OpenSSL.der { i2d_PUBKEY(pkey, $0) }
            return try PublicKey(der: der)
        }
    }

    /// Signs `message`: ECDSA over SHA-256 (DER signature) for P-256, pure Ed25519 for Ed25519.
    public func sign(_ message: some ContiguousBytes) throws -> [UInt8] {
        algorithm == .p256 ? try signECDSA(digest: Digest.sha256(message)) : try signEd25519(message)
    }

    /// ECDSA over a SHA-256 digest, as OpenSSL's own benchmark signs: `EVP_DigestSignInit` would
    /// look the digest and signature implementations up again on every call, a quarter of the
    /// cost of a P-256 signature; a context from the key's pool is ready to sign.
    private func signECDSA(digest: [UInt8]) throws -> [UInt8] {
        let signature = contexts.withContext { ctx in try? signed { EVP_PKEY_sign(ctx, $0, &$1, digest, digest.count) } }
        guard let signature else { throw OpenSSL.error(.internalFailure, "signing failed") }
        return signature
    }

    /// Pure Ed25519 (no separate digest).
    private func signEd25519(_ message: some ContiguousBytes) throws -> [UInt8] {
        guard let ctx = EVP_MD_CTX_new() else { throw OpenSSL.error(.internalFailure, "out of memory") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, nil, nil, pkey) == 1 else {
            throw OpenSSL.error(.internalFailure, "signing init failed")
        }
        return try message.withUnsafeBytes { raw in
            let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return try signed { EVP_DigestSign(ctx, $0, &$1, base, raw.count) }
        }
    }

    /// A signature from an OpenSSL call that writes into a buffer of the key's greatest signature
    /// size and gives the length it used (a DER signature is often a byte or two shorter).
    private func signed(_ call: (UnsafeMutablePointer<UInt8>, inout Int) -> Int32) throws -> [UInt8] {
        var length = Int(EVP_PKEY_get_size(pkey))
        var signature = [UInt8](repeating: 0, count: length)
        guard length > 0, call(&signature, &length) == 1 else { throw OpenSSL.error(.internalFailure, "signing failed") }
        signature.removeLast(signature.count - length)
        return signature
    }
}

/// Calls `body` with a NUL-terminated copy of `passphrase` (or nil).
private func withPassphrase<T>(_ passphrase: String?, _ body: (UnsafeMutableRawPointer?) throws -> T) rethrows -> T {
    guard let passphrase else { return try body(nil) }
    var bytes = Array(passphrase.utf8CString)
    defer { for i in bytes.indices { bytes[i] = 0 } }
    return try bytes.withUnsafeMutableBytes { try body($0.baseAddress) }
}

/// Calls `body` with the cipher and passphrase bytes for PKCS#8 encryption (nil cipher: plain).
private func withPassphraseBytes(
    _ passphrase: String?, _ body: (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int32) -> Bool
) -> Bool {
    guard let passphrase else { return body(nil, nil, 0) }
    var bytes = Array(passphrase.utf8CString)
    defer { for i in bytes.indices { bytes[i] = 0 } }
    let length = Int32(bytes.count - 1)
    return bytes.withUnsafeMutableBufferPointer { body(EVP_aes_256_cbc(), $0.baseAddress, length) }
}
