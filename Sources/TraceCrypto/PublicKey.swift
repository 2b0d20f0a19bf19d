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
        return PendingSignature(key: self, signature: signature, digest: Digest.sha256(message))
    }

    private func isValidNow(_ signature: Data, _ message: some ContiguousBytes) -> Bool {
        signature.withUnsafeBytes { sig in
            algorithm == .p256 ? isValidECDSA(sig, digest: Digest.sha256(message))
                               : isValidEd25519(sig.baseAddress?.assumingMemoryBound(to: UInt8.self), sig.count, message)
        }
    }

    /// ECDSA over a SHA-256 digest, through a context from the key's pool (see ``PrivateKey/sign(_:)``).
    fileprivate func isValidECDSA(_ signature: UnsafeRawBufferPointer, digest: some ContiguousBytes) -> Bool {
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

/// A signature whose message has been hashed and whose check is still to run (see
/// ``PublicKey/pendingSignature(_:for:)``): the signature and the digest held in place, a hundred
/// bytes and no allocation, where the message may be megabytes.
public struct PendingSignature: Sendable {
    /// The longest DER encoding of a P-256 ECDSA signature: two 33-byte integers and the headers.
    static let maximumECDSALength = 72

    private enum State: Sendable {
        case ecdsa(key: PublicKey, signature: InlineArray<72, UInt8>, length: UInt8, digest: InlineArray<32, UInt8>)
        case checked(Bool)
    }
    private let state: State

    fileprivate init(key: PublicKey, signature: Data, digest: [UInt8]) {
        var (held, heldDigest) = (InlineArray<72, UInt8>(repeating: 0), InlineArray<32, UInt8>(repeating: 0))
        var heldSpan = held.mutableSpan, digestSpan = heldDigest.mutableSpan
        heldSpan.withUnsafeMutableBytes { held in signature.withUnsafeBytes { held.copyMemory(from: $0) } }
        digestSpan.withUnsafeMutableBytes { held in digest.withUnsafeBytes { held.copyMemory(from: $0) } }
        state = .ecdsa(key: key, signature: held, length: UInt8(signature.count), digest: heldDigest)
    }

    fileprivate init(checked valid: Bool) { state = .checked(valid) }

    /// Whether the signature is valid: the elliptic-curve math, run on each call.
    public var isValid: Bool {
        switch state {
        case .ecdsa(let key, let signature, let length, let digest):
            signature.span.withUnsafeBufferPointer { signature in
                digest.span.withUnsafeBufferPointer { digest in
                    key.isValidECDSA(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: signature.prefix(Int(length)))), digest: UnsafeRawBufferPointer(digest))
                }
            }
        case .checked(let valid): valid
        }
    }
}
