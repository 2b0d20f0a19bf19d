/// An error from the crypto layer: a stable ``Code`` that callers can match on, a sentence a
/// person understands, and OpenSSL's own reason where OpenSSL produced the failure.
///
/// The message never contains key material or passphrases.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code such as `key.malformed`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Key bytes or PEM text that are not a key of a supported kind.
        public static let keyMalformed = Code(rawValue: "key.malformed")
        /// An encrypted key whose passphrase is missing or wrong.
        public static let keyPassphrase = Code(rawValue: "key.passphrase")
        /// A key of an algorithm AgriTrace does not sign with.
        public static let keyUnsupported = Code(rawValue: "key.unsupported")
        /// Certificate bytes or PEM text that do not parse.
        public static let certificateMalformed = Code(rawValue: "certificate.malformed")
        /// A file holding more distinct certificates than any trust list or chain does.
        public static let certificateTooMany = Code(rawValue: "certificate.tooMany")
        /// CRL bytes or PEM text that do not parse.
        public static let crlMalformed = Code(rawValue: "crl.malformed")
        /// CSR bytes that do not parse, or a CSR whose self-signature is wrong.
        public static let csrMalformed = Code(rawValue: "csr.malformed")
        /// A certificate does not belong to the given private key.
        public static let keyMismatch = Code(rawValue: "key.mismatch")
        /// A value given to the certificate authority that it cannot encode.
        public static let invalidArgument = Code(rawValue: "crypto.invalidArgument")
        /// OpenSSL failed where it should not (out of memory, internal error).
        public static let internalFailure = Code(rawValue: "crypto.internal")
    }

    public var code: Code
    public var message: String
    /// OpenSSL's reason string for the failure, when OpenSSL reported one.
    public var opensslReason: String?

    public init(_ code: Code, _ message: String, opensslReason: String? = nil) {
        self.code = code
        self.message = message
        self.opensslReason = opensslReason
    }

    public var description: String {
        if let reason = opensslReason { return "\(code): \(message) (OpenSSL: \(reason))" }
        return "\(code): \(message)"
    }
}
