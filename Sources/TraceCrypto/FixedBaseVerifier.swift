internal import COpenSSL
import Foundation

/// ECDSA P-256 verification for a key that verifies many signatures: the point u₁·G + u₂·Q from
/// two tables of precomputed multiples, one of the curve's generator G (OpenSSL's built-in) and
/// one of the public key Q, built here. OpenSSL's own verification has a table for G only and
/// works u₂·Q out from Q every time, about two thirds of its cost.
///
/// Measured on the development machine (OpenSSL 3.0, x86-64, two cores): building the table takes
/// about 27 ms and 151 KB, the time of some 350 ordinary verifications; then a verification takes
/// about a third of OpenSSL's (`make bench`: 73,206 signatures/s against OpenSSL's 25,834/s, the
/// table built beforehand). ``PublicKey`` builds one only for a key with many signatures to
/// verify (``Adoption``).
///
/// The checks are OpenSSL's own, in its order (`ossl_ecdsa_verify`, `ossl_ecdsa_simple_verify_sig`):
/// the signature is DER and nothing else, r and s lie in [1, n−1], and the x coordinate of
/// u₁·G + u₂·Q, reduced mod n, equals r, where w = s⁻¹ mod n, u₁ = e·w and u₂ = r·w mod n.
/// Only the arithmetic differs: the tables; one inversion for a whole batch of s
/// (``validity(of:)``); and x compared in the point's Jacobian coordinates, without the inversion
/// that would make them affine. The tests hold it to OpenSSL's answer on valid, altered and
/// malformed signatures.
final class FixedBaseVerifier: @unchecked Sendable {
    /// P-256 with OpenSSL's table of multiples of its generator.
    private let curve: OpaquePointer
    /// P-256 with the public key as its generator, and a table of its multiples.
    private let keyCurve: OpaquePointer
    /// The field's prime p, and the group's order n.
    private let prime: OpaquePointer, order: OpaquePointer

    /// The table for `pkey`, a P-256 key; nil when OpenSSL cannot make it, or when
    /// ``Adoption/maximumTables`` are alive already.
    init?(pkey: OpaquePointer) {
        guard Tables.reserve() else { return nil }
        guard let (curve, keyCurve, prime) = Self.curves(for: pkey) else {
            Tables.release()
            return nil
        }
        (self.curve, self.keyCurve, self.prime) = (curve, keyCurve, prime)
        order = EC_GROUP_get0_order(curve)
    }

    deinit {
        BN_free(prime)
        EC_GROUP_free(keyCurve)
        EC_GROUP_free(curve)
        Tables.release()
    }

    /// P-256, P-256 with `pkey`'s point as its generator and the table of its multiples, and p.
    private static func curves(for pkey: OpaquePointer) -> (OpaquePointer, OpaquePointer, OpaquePointer)? {
        defer { ERR_clear_error() }
        var encoded = [UInt8](repeating: 0, count: 65), length = 0
        guard EVP_PKEY_get_octet_string_param(pkey, "encoded-pub-key", &encoded, encoded.count, &length) == 1,
              let ctx = BN_CTX_new() else { return nil }
        defer { BN_CTX_free(ctx) }
        guard let curve = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1) else { return nil }
        var made: (keyCurve: OpaquePointer?, prime: OpaquePointer?, point: OpaquePointer?) = (nil, nil, EC_POINT_new(curve))
        defer { EC_POINT_free(made.point) }
        made.prime = BN_new()
        made.keyCurve = EC_GROUP_dup(curve)
        guard let point = made.point, let prime = made.prime, let keyCurve = made.keyCurve,
              EC_GROUP_get_curve(curve, prime, nil, nil, ctx) == 1,
              EC_POINT_oct2point(curve, point, encoded, length, ctx) == 1,
              EC_POINT_is_at_infinity(curve, point) == 0, EC_POINT_is_on_curve(curve, point, ctx) == 1,
              EC_GROUP_set_generator(keyCurve, point, EC_GROUP_get0_order(curve), EC_GROUP_get0_cofactor(curve)) == 1,
              agt_ec_group_precompute_mult(keyCurve, ctx) == 1 else {
            EC_GROUP_free(made.keyCurve)
            BN_free(made.prime)
            EC_GROUP_free(curve)
            return nil
        }
        return (curve, keyCurve, prime)
    }

    /// One signature for ``validity(of:)``: the key's table, and what ``PendingSignature`` holds.
    struct Check {
        let verifier: FixedBaseVerifier
        let signed: SignedDigest
    }

    /// Whether each of `checks` is valid, in order. The s⁻¹ of all of them come from one modular
    /// inversion, which costs more than one of the table multiplications: with the products
    /// pᵢ = s₀·…·sᵢ, sᵢ⁻¹ = pᵢ₋₁·pᵢ⁻¹ and pᵢ₋₁⁻¹ = sᵢ·pᵢ⁻¹, walking back from pₖ₋₁⁻¹
    /// (Montgomery's trick). A signature that fails its own checks takes no part in it.
    static func validity(of checks: [Check]) -> [Bool] {
        defer { ERR_clear_error() }
        let failed = [Bool](repeating: false, count: checks.count)
        // Two points for all the checks: every verifier's curve is P-256 of the same method.
        guard let first = checks.first, let ctx = BN_CTX_new() else { return failed }
        defer { BN_CTX_free(ctx) }
        let points = (EC_POINT_new(first.verifier.curve), EC_POINT_new(first.verifier.curve))
        defer { EC_POINT_free(points.0); EC_POINT_free(points.1) }
        guard let sum = points.0, let part = points.1 else { return failed }
        let signatures = checks.map { check in check.signed.withSignature { strictDER($0, order: check.verifier.order) } }
        defer { signatures.forEach { ECDSA_SIG_free($0) } }
        BN_CTX_start(ctx)
        defer { BN_CTX_end(ctx) }
        let inverses = inversesOfS(signatures, modulo: first.verifier.order, ctx)
        return checks.indices.map { index in
            guard let signature = signatures[index], let w = inverses[index] else { return false }
            return checks[index].verifier.isValid(r: ECDSA_SIG_get0_r(signature), w: w, digest: checks[index].signed,
                                                  sum: sum, part: part, ctx)
        }
    }

    /// s⁻¹ mod `order` of each of `signatures` (nil for none, or when OpenSSL fails), as BIGNUMs of `ctx`.
    private static func inversesOfS(_ signatures: [OpaquePointer?], modulo order: OpaquePointer, _ ctx: OpaquePointer) -> [OpaquePointer?] {
        let none = [OpaquePointer?](repeating: nil, count: signatures.count)
        let present = signatures.indices.compactMap { index in signatures[index].map { (index, ECDSA_SIG_get0_s($0)) } }
        var products: [OpaquePointer] = []
        for (_, s) in present {
            guard let product = BN_CTX_get(ctx), let s,
                  products.last.map({ BN_mod_mul(product, $0, s, order, ctx) == 1 }) ?? (BN_copy(product, s) != nil) else { return none }
            products.append(product)
        }
        guard let last = products.last, let inverse = BN_CTX_get(ctx), BN_mod_inverse(inverse, last, order, ctx) != nil else { return none }
        var found = none
        for (position, (index, s)) in present.enumerated().reversed() {
            guard let w = BN_CTX_get(ctx) else { return none }
            if position == 0 {
                guard BN_copy(w, inverse) != nil else { return none }
            } else {
                guard BN_mod_mul(w, inverse, products[position - 1], order, ctx) == 1,
                      BN_mod_mul(inverse, inverse, s, order, ctx) == 1 else { return none }
            }
            found[index] = w
        }
        return found
    }

    /// Whether u₁·G + u₂·Q has an x coordinate of r mod n, for u₁ = e·w and u₂ = r·w mod n;
    /// `sum` and `part` are points to work in.
    private func isValid(r: OpaquePointer?, w: OpaquePointer, digest signed: SignedDigest,
                         sum: OpaquePointer, part: OpaquePointer, _ ctx: OpaquePointer) -> Bool {
        BN_CTX_start(ctx)
        defer { BN_CTX_end(ctx) }
        guard let r, let e = BN_CTX_get(ctx), let u1 = BN_CTX_get(ctx), let u2 = BN_CTX_get(ctx),
              let x = BN_CTX_get(ctx), let z = BN_CTX_get(ctx), let candidate = BN_CTX_get(ctx) else { return false }
        // A 256-bit digest for a 256-bit order: e is the digest whole, no bits to drop.
        guard signed.withDigest({ BN_bin2bn($0.baseAddress, Int32($0.count), e) }) != nil,
              BN_mod_mul(u1, e, w, order, ctx) == 1, BN_mod_mul(u2, r, w, order, ctx) == 1,
              EC_POINT_mul(curve, sum, u1, nil, nil, ctx) == 1,
              EC_POINT_mul(keyCurve, part, u2, nil, nil, ctx) == 1,
              EC_POINT_add(curve, sum, sum, part, ctx) == 1,
              EC_POINT_is_at_infinity(curve, sum) == 0,
              agt_ec_point_get_jprojective(curve, sum, x, nil, z, ctx) == 1,
              BN_nnmod(x, x, prime, ctx) == 1, BN_mod_sqr(z, z, prime, ctx) == 1 else { return false }
        // `x` and `z` hold the point's Jacobian X and Z²: its affine x is X/Z² mod p, and x mod n = r
        // when x is r, or r + n where that is below p.
        func isX(_ value: OpaquePointer) -> Bool {
            BN_mod_mul(candidate, value, z, prime, ctx) == 1 && BN_cmp(candidate, x) == 0
        }
        if isX(r) { return true }
        return BN_add(candidate, r, order) == 1 && BN_cmp(candidate, prime) < 0 && isX(candidate)
    }

    /// The signature's r and s, when `bytes` are their DER encoding and nothing else (read, written
    /// again, and the same bytes), and both lie in [1, `order` − 1].
    private static func strictDER(_ bytes: UnsafeBufferPointer<UInt8>, order: OpaquePointer) -> OpaquePointer? {
        var cursor = bytes.baseAddress
        guard let parsed = d2i_ECDSA_SIG(nil, &cursor, bytes.count) else { return nil }
        var encoded = InlineArray<80, UInt8>(repeating: 0), span = encoded.mutableSpan
        let length = span.withUnsafeMutableBufferPointer { buffer -> Int in
            guard i2d_ECDSA_SIG(parsed, nil) <= Int32(buffer.count) else { return -1 }
            var out = buffer.baseAddress
            return Int(i2d_ECDSA_SIG(parsed, &out))
        }
        func inRange(_ value: OpaquePointer?) -> Bool {
            guard let value else { return false }
            return BN_is_zero(value) == 0 && BN_is_negative(value) == 0 && BN_ucmp(value, order) < 0
        }
        guard length == bytes.count, span.withUnsafeBufferPointer({ $0.prefix(bytes.count).elementsEqual(bytes) }),
              inRange(ECDSA_SIG_get0_r(parsed)), inRange(ECDSA_SIG_get0_s(parsed)) else {
            ECDSA_SIG_free(parsed)
            return nil
        }
        return parsed
    }
}

extension FixedBaseVerifier {
    /// A key's table, asked for as the key's ``threshold``th signature is made ready to verify
    /// (``PublicKey/pendingSignature(_:for:)``): few bundles have a signer of that many records,
    /// and only those repay the table's cost. A verifier reads a bundle's records well ahead of
    /// their signatures' math, so the table is there before most of that signer's signatures are
    /// checked; had the first check built it instead, the other cores would have checked hundreds
    /// the ordinary way meanwhile. A table that cannot be made (or one beyond ``maximumTables``
    /// alive at once) is not tried again.
    ///
    /// Tables are built one at a time on a thread of their own (``builder``), not by the thread
    /// that reached the threshold: a table takes 27 ms, and a verifier's cores meet at the end of
    /// each batch of records, so the others sat idle while one built the tables of the signers
    /// whose threshold fell in its runs (perf showed one core of two idle for about a tenth of
    /// the bench bundle's verification). Signatures checked before the table is there are
    /// checked the ordinary way.
    final class Adoption: @unchecked Sendable {
        /// Three times the signatures the table's cost would buy: room to gain it back.
        static let threshold = 1024
        /// A bound on the tables' memory (151 KB each) when a hostile bundle has many signers.
        static let maximumTables = 32
        /// Where tables are built, in the order asked for.
        static let builder = DispatchQueue(label: "agritrace.fixed-base-tables")

        private let lock = NSLock()
        private var signatures = 0
        private var table: FixedBaseVerifier?

        /// Counts one more signature to verify with `key`; the one that reaches the threshold
        /// has the table built (the key is kept alive until it is).
        func countSignature(of key: PublicKey) {
            let due = lock.withLock { () -> Bool in
                signatures += 1
                return signatures == Self.threshold
            }
            guard due else { return }
            // A process that is exiting waits for the build under way, but starts no other.
            OpenSSLLifetime.inBackground(on: Self.builder) { [self] in
                guard !OpenSSLLifetime.isExiting, let built = FixedBaseVerifier(pkey: key.pkey) else { return }
                lock.withLock { table = built }
            }
        }

        /// The key's table, once it has one.
        var verifier: FixedBaseVerifier? { lock.withLock { table } }
    }

    /// How many tables are alive, against ``Adoption/maximumTables``.
    private enum Tables {
        nonisolated(unsafe) private static var alive = 0
        private static let lock = NSLock()

        static func reserve() -> Bool {
            lock.withLock {
                guard alive < Adoption.maximumTables else { return false }
                alive += 1
                return true
            }
        }

        static func release() { lock.withLock { alive -= 1 } }
    }
}
