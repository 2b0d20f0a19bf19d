import Foundation

/// A signature whose message has been hashed and whose check is still to run (see
/// ``PublicKey/pendingSignature(_:for:)``): the signature and the digest held in place, a hundred
/// bytes and no allocation, where the message may be megabytes.
public struct PendingSignature: Sendable {
    /// The longest signature held for later (``SignedDigest/maximumLength``).
    static let maximumECDSALength = SignedDigest.maximumLength

    private enum State: Sendable {
        case ecdsa(key: PublicKey, signed: SignedDigest)
        case checked(Bool)
    }
    private let state: State

    init(key: PublicKey, signed: SignedDigest) { state = .ecdsa(key: key, signed: signed) }

    init(checked valid: Bool) { state = .checked(valid) }

    /// Whether the signature is valid: the elliptic-curve math, run on each call.
    public var isValid: Bool { Self.validity(of: [self])[0] }

    /// ``isValid`` of each of `signatures`, in order; cheaper than one by one where their keys
    /// have tables (``FixedBaseVerifier/validity(of:)`` shares one modular inversion among them).
    public static func validity(of signatures: [PendingSignature]) -> [Bool] {
        var results = [Bool](repeating: false, count: signatures.count)
        var batch: [FixedBaseVerifier.Check] = [], positions: [Int] = []
        for (position, signature) in signatures.enumerated() {
            switch signature.state {
            case .checked(let valid):
                results[position] = valid
            case .ecdsa(let key, let signed):
                if let table = key.table.verifier {
                    batch.append(FixedBaseVerifier.Check(verifier: table, signed: signed))
                    positions.append(position)
                } else {
                    results[position] = signed.withSignature { signature in
                        signed.withDigest { key.isValidECDSA(UnsafeRawBufferPointer(signature), digest: UnsafeRawBufferPointer($0)) }
                    }
                }
            }
        }
        for (position, valid) in zip(positions, FixedBaseVerifier.validity(of: batch)) { results[position] = valid }
        return results
    }
}

/// A P-256 signature (DER, at most ``maximumLength`` bytes) and the SHA-256 digest it signs, held
/// in place.
struct SignedDigest: Sendable {
    /// The longest DER encoding of a P-256 ECDSA signature: two 33-byte integers and the headers.
    static let maximumLength = 72

    private let signature: InlineArray<72, UInt8>
    private let length: UInt8
    private let digest: InlineArray<32, UInt8>

    /// `signature` must be at most ``maximumLength`` bytes, `digest` 32.
    init(signature: Data, digest: [UInt8]) {
        precondition(signature.count <= Self.maximumLength && digest.count == 32)
        var (held, heldDigest) = (InlineArray<72, UInt8>(repeating: 0), InlineArray<32, UInt8>(repeating: 0))
        var heldSpan = held.mutableSpan, digestSpan = heldDigest.mutableSpan
        heldSpan.withUnsafeMutableBytes { held in signature.withUnsafeBytes { held.copyMemory(from: $0) } }
        digestSpan.withUnsafeMutableBytes { held in digest.withUnsafeBytes { held.copyMemory(from: $0) } }
        (self.signature, length, self.digest) = (held, UInt8(signature.count), heldDigest)
    }

    func withSignature<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        signature.span.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0.prefix(Int(length)))) }
    }

    func withDigest<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        digest.span.withUnsafeBufferPointer(body)
    }
}
