internal import COpenSSL
import Foundation

/// Conversions between the two encodings of a P-256 ECDSA signature: DER (what OpenSSL and
/// X.509 use) and raw `r‖s` of 64 bytes (what compact labels use).
public enum ECDSASignature {
    /// The 64-byte `r‖s` form of a DER signature.
    public static func raw(fromDER der: [UInt8]) throws -> [UInt8] {
        let sig: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let sig else { throw OpenSSL.error(.invalidArgument, "not a DER ECDSA signature") }
        defer { ECDSA_SIG_free(sig) }
        var out = [UInt8](repeating: 0, count: 64)
        guard let r = ECDSA_SIG_get0_r(sig), let s = ECDSA_SIG_get0_s(sig),
              BN_bn2binpad(r, &out, 32) == 32,
              out.withUnsafeMutableBufferPointer({ BN_bn2binpad(s, $0.baseAddress! + 32, 32) }) == 32
        else { throw OpenSSL.error(.invalidArgument, "ECDSA signature values too large for P-256") }
        return out
    }

    /// The DER form of a 64-byte `r‖s` signature.
    public static func der(fromRaw raw: [UInt8]) throws -> [UInt8] {
        guard raw.count == 64 else { throw CryptoError(.invalidArgument, "a raw P-256 signature has 64 bytes, not \(raw.count)") }
        guard let sig = ECDSA_SIG_new() else { throw OpenSSL.error(.internalFailure, "out of memory") }
        defer { ECDSA_SIG_free(sig) }
        let r = BN_bin2bn(raw, 32, nil)
        let s = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + 32, 32, nil) }
        guard let r, let s, ECDSA_SIG_set0(sig, r, s) == 1 else {
            BN_free(r); BN_free(s)
            throw OpenSSL.error(.internalFailure, "could not build an ECDSA signature")
        }
        return [UInt8](try OpenSSL.der { i2d_ECDSA_SIG(sig, $0) })
    }
}
