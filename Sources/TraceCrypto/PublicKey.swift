internal import COpenSSL
import Foundation

/// A public key (P-256 or Ed25519) that verifies signatures. Immutable and thread-safe.
public final class PublicKey: @unchecked Sendable, Equatable {
    let pkey: OpaquePointer
    /// The key's algorithm.
    public let algorithm: KeyAlgorithm
    /// The DER SubjectPublicKeyInfo.
    public let derRepresentation: Data
    private let contexts: KeyContextPool
    /// A table of the key's multiples, for a P-256 key that verifies many signatures.
    let table = FixedBaseVerifier.Adoption()

    /// A key object of OpenSSL's own; `der`, when the caller has it (a certificate holds it),
    /// saves encoding it again through OpenSSL's encoders, which cost more than the parse.
    init(borrowing pkey: OpaquePointer, der: Data? = nil) throws {
        guard EVP_PKEY_up_ref(pkey) == 1 else { throw OpenSSL.error(.internalFailure, "EVP_PKEY_up_ref failed") }
        do {
            self.algorithm = try KeyAlgorithm.of(pkey)
            self.derRepresentation = try der ?? OpenSSL.der { i2d_PUBKEY(pkey, $0) }
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
        self.pkey = pkey
        self.contexts = KeyContextPool(pkey: pkey, purpose: .verify)
    }

    /// Reads a DER SubjectPublicKeyInfo.
    public convenience init(der: Data) throws {
        let pkey: OpaquePointer? = der.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            var cursor: UnsafePointer<UInt8>? = base
            let key = d2i_PUBKEY(nil, &cursor, raw.count)
            // Trailing bytes after the structure make the input ambiguous: refuse them.
            if let key, cursor != base + raw.count { EVP_PKEY_free(key); return nil }
            return key
        }
        guard let pkey else { throw OpenSSL.error(.keyMalformed, "not a DER SubjectPublicKeyInfo") }
        defer { EVP_PKEY_free(pkey) }
        try self.init(borrowing: pkey)
    }

    /// Reads a PEM `PUBLIC KEY` or a DER SubjectPublicKeyInfo.
    public convenience init(pemOrDER data: Data) throws {
        guard OpenSSL.isPEM(data) else { try self.init(der: data); return }
        let pkey = try OpenSSL.withReadBIO(data) { PEM_read_bio_PUBKEY($0, nil, nil, nil) }
        guard let pkey else { throw OpenSSL.error(.keyMalformed, "not a PEM public key") }
        defer { EVP_PKEY_free(pkey) }
        try self.init(borrowing: pkey)
    }

    deinit { EVP_PKEY_free(pkey) }

    /// PEM text of the SubjectPublicKeyInfo.
    public var pemRepresentation: String {
        PEM.encode(derRepresentation, label: "PUBLIC KEY")
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.derRepresentation == rhs.derRepresentation
    }

    /// Whether `signature` is a valid signature of `message` by this key. Malformed signatures
    /// are simply invalid; this never throws.
    public func isValidSignature(_ signature: some ContiguousBytes, for message: some ContiguousBytes) -> Bool {
        pendingSignature(signature.withUnsafeBytes { Data($0) }, for: message).isValid
    }

    /// `signature` of `message`, checked in two steps: the message is hashed now, so it need not
    /// be kept, and the elliptic-curve math waits for ``PendingSignature/isValid``. An Ed25519
    /// signature covers the message itself, not a digest of it, and is checked at once; so is a
    /// P-256 signature longer than DER allows (never valid; OpenSSL is left to say so).
    public func pendingSignature(_ signature: Data, for message: some ContiguousBytes) -> PendingSignature {
        guard algorithm == .p256, signature.count <= PendingSignature.maximumECDSALength else {
            return PendingSignature(checked: isValidNow(signature, message))
        }
        table.countSignature(of: self)
        return PendingSignature(key: self, signed: SignedDigest(signature: signature, digest: Digest.sha256(message)))
    }

    /// Waits until every table of a key's multiples asked for so far is built. A signer with
    /// many signatures to verify gets one on a thread of its own (``FixedBaseVerifier``), and
    /// meanwhile its signatures are checked the ordinary way: the answers are the same, but a test
    /// or a measurement of the table itself waits for it.
    public static func waitForTables() {
        FixedBaseVerifier.Adoption.builder.sync {}
    }

    private func isValidNow(_ signature: Data, _ message: some ContiguousBytes) -> Bool {
        signature.withUnsafeBytes { sig in
            algorithm == .p256 ? isValidECDSA(sig, digest: Digest.sha256(message))
                               : isValidEd25519(sig.baseAddress?.assumingMemoryBound(to: UInt8.self), sig.count, message)
        }
    }

    /// ECDSA over a SHA-256 digest, through a context from the key's pool (see ``PrivateKey/sign(_:)``).
    func isValidECDSA(_ signature: UnsafeRawBufferPointer, digest: some ContiguousBytes) -> Bool {
        defer { ERR_clear_error() }
        return digest.withUnsafeBytes { digest in
            // Only a valid signature gives a value, and so returns the context to the pool.
            contexts.withContext { ctx in
                EVP_PKEY_verify(ctx, signature.baseAddress?.assumingMemoryBound(to: UInt8.self), signature.count,
                                digest.baseAddress?.assumingMemoryBound(to: UInt8.self), digest.count) == 1 ? true : nil
            } ?? false
        }
    }

    private func isValidEd25519(_ signature: UnsafePointer<UInt8>?, _ count: Int, _ message: some ContiguousBytes) -> Bool {
        defer { ERR_clear_error() }
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestVerifyInit(ctx, nil, nil, nil, pkey) == 1 else { return false }
        return message.withUnsafeBytes { msg in
            EVP_DigestVerify(ctx, signature, count, msg.baseAddress?.assumingMemoryBound(to: UInt8.self), msg.count) == 1
        }
    }

    /// Whether `key` is the private half of this public key.
    public func matches(_ key: PrivateKey) -> Bool {
        EVP_PKEY_eq(pkey, key.pkey) == 1
    }
}
