internal import COpenSSL
import Foundation

/// Small helpers shared by every OpenSSL wrapper in this module.
enum OpenSSL {
    /// Drains OpenSSL's thread-local error queue and returns its first reason, if any.
    static func drainErrors() -> String? {
        var first: String?
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if first == nil {
                var buffer = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(code, &buffer, buffer.count)
                first = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        return first
    }

    /// Makes an error from `code` and `message`, attaching and clearing OpenSSL's error queue.
    static func error(_ code: CryptoError.Code, _ message: String) -> CryptoError {
        CryptoError(code, message, opensslReason: drainErrors())
    }

    /// Runs `body` with a read-only memory BIO over `data`, freeing the BIO afterwards.
    static func withReadBIO<T>(_ data: Data, _ body: (OpaquePointer) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw -> T in
            guard let bio = BIO_new_mem_buf(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(clamping: raw.count)) else {
                throw error(.internalFailure, "could not allocate a memory buffer")
            }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }

    /// Runs `body` with a writable memory BIO and returns what it wrote.
    static func writeBIO(_ body: (OpaquePointer) throws -> Bool, failure: @autoclosure () -> CryptoError) throws -> Data {
        guard let bio = BIO_new(BIO_s_mem()) else { throw error(.internalFailure, "could not allocate a memory buffer") }
        defer { BIO_free(bio) }
        guard try body(bio) else { throw failure() }
        var pointer: UnsafeMutablePointer<CChar>?
        let length = agt_bio_get_mem_data(bio, &pointer)
        guard let pointer, length > 0 else { return Data() }
        return Data(bytes: pointer, count: length)
    }

    /// Encodes an OpenSSL object to DER with its `i2d` function.
    static func der(_ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> Int32) throws -> Data {
        var out: UnsafeMutablePointer<UInt8>?
        let length = encode(&out)
        guard length > 0, let out else { throw error(.internalFailure, "DER encoding failed") }
        defer { agt_openssl_free(out) }
        return Data(bytes: out, count: Int(length))
    }

    /// Whether `data` looks like PEM text rather than DER.
    static func isPEM(_ data: Data) -> Bool {
        data.prefix(4096).range(of: Data("-----BEGIN ".utf8)) != nil
    }

    /// Converts an ASN1_TIME to a Date.
    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var tm = tm()
        guard ASN1_TIME_to_tm(time, &tm) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&tm)))
    }

    /// The dotted text form of an ASN1_OBJECT.
    static func oid(_ object: OpaquePointer?) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        let n = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        guard n > 0 else { return "" }
        return String(decoding: buffer.prefix(Int(min(n, 127))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The bytes of an ASN1_STRING as text.
    static func string(_ asn1: UnsafePointer<ASN1_STRING>?) -> String {
        guard let asn1, let bytes = ASN1_STRING_get0_data(asn1) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(asn1))), as: UTF8.self)
    }
}
