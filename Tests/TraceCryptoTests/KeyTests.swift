import Foundation
import Testing
@testable import TraceCrypto
import TestSupport

@Suite("Keys and signatures")
struct KeyTests {
    // RFC 8032, section 7.1, TEST 1 (empty message).
    static let ed25519Secret = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
    static let ed25519Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    static let ed25519Signature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"

    @Test("Ed25519 signs the RFC 8032 test vector byte for byte")
    func ed25519KnownAnswer() throws {
        let pkcs8 = bytes(hex: "302e020100300506032b657004220420" + Self.ed25519Secret)
        let key = try PrivateKey(pemOrDER: Data(pkcs8))
        #expect(key.algorithm == .ed25519)
        let signature = try key.sign([UInt8]())
        #expect(signature.hexString == Self.ed25519Signature)
        let spki = try PublicKey(der: Data(bytes(hex: "302a300506032b6570032100" + Self.ed25519Public)))
        #expect(spki == (try key.publicKey))
        #expect(spki.isValidSignature(signature, for: [UInt8]()))
        #expect(!spki.isValidSignature(signature, for: [UInt8(0)]))
    }

    @Test("P-256 verifies the RFC 6979 A.2.5 signatures and rejects them on other messages")
    func p256KnownAnswer() throws {
        let x = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
        let y = "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"
        let key = try PublicKey(der: Data(bytes(hex: "3059301306072a8648ce3d020106082a8648ce3d030107034200" + "04" + x + y)))
        #expect(key.algorithm == .p256)
        let sample = try ECDSASignature.der(fromRaw: bytes(hex:
            "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716" +
            "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"))
        let test = try ECDSASignature.der(fromRaw: bytes(hex:
            "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367" +
            "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083"))
        #expect(key.isValidSignature(sample, for: Array("sample".utf8)))
        #expect(key.isValidSignature(test, for: Array("test".utf8)))
        #expect(!key.isValidSignature(sample, for: Array("test".utf8)))
        #expect(try ECDSASignature.raw(fromDER: sample).hexString.hasPrefix("efd48b2a"))
    }

    @Test("a signature verifies with its key and fails after any flipped bit", arguments: KeyAlgorithm.allCases)
    func signVerify(algorithm: KeyAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let message = Array("Mật ong hoa bạc hà, lô MV-2026-031".utf8)
        let signature = try key.sign(message)
        let publicKey = try key.publicKey
        #expect(publicKey.isValidSignature(signature, for: message))
        for bit in stride(from: 0, to: signature.count * 8, by: 7) {
            var bad = signature
            bad[bit / 8] ^= UInt8(1 << (bit % 8))
            #expect(!publicKey.isValidSignature(bad, for: message))
        }
        #expect(!publicKey.isValidSignature([UInt8](), for: message))
        #expect(!(try PrivateKey.generate(algorithm).publicKey).isValidSignature(signature, for: message))
    }

    @Test("a pending signature, its message hashed and the message gone, judges as the one-step check does; too long a P-256 signature or any Ed25519 one is judged at once", arguments: KeyAlgorithm.allCases)
    func pendingSignature(algorithm: KeyAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let publicKey = try key.publicKey
        // Many messages, so P-256's DER signatures come in each length (70 to 72 bytes), the longest held in place whole.
        let messages = (0..<40).map { Array("lô MV-2026-\($0)".utf8) }
        let signatures = try messages.map { Data(try key.sign($0)) }
        let pending = zip(signatures, messages).map { publicKey.pendingSignature($0, for: $1) }
        #expect(pending.allSatisfy { $0.isValid })
        if algorithm == .p256 { #expect(Set(signatures.map(\.count)).isSuperset(of: [71, 72])) }
        var flipped = signatures[0]
        flipped[flipped.count - 1] ^= 1
        #expect(!publicKey.pendingSignature(flipped, for: Array("lô MV-2026-0".utf8)).isValid)
        #expect(!publicKey.pendingSignature(signatures[0], for: Array("lô MV-2026-1".utf8)).isValid)
        #expect(!publicKey.pendingSignature(Data(), for: Array("lô MV-2026-0".utf8)).isValid)
        // 73 bytes or more is no DER P-256 signature: judged at once, by OpenSSL, never valid.
        #expect(!publicKey.pendingSignature(signatures[0] + Data([0]), for: Array("lô MV-2026-0".utf8)).isValid)
        #expect(!publicKey.pendingSignature(Data(repeating: 0x30, count: 4096), for: Array("lô MV-2026-0".utf8)).isValid)
    }

    @Test("one key signs and verifies on many threads at once, and bad signatures between good ones change nothing")
    func sharedKeyOnManyThreads() throws {
        let key = try PrivateKey.generate(.p256)
        let publicKey = try key.publicKey
        let messages = (0..<64).map { Array("lô \($0)".utf8) }
        let signatures = try messages.concurrentMapForTest { try key.sign($0) }
        // Each good signature is checked after a malformed and a wrong one on the same key, on
        // many threads: a context spoiled by a failure must never make a good signature fail.
        let outcomes = Array(zip(messages, signatures)).concurrentMapForTest { message, signature in
            [publicKey.isValidSignature([0x30, 0x03, 0x02, 0x01], for: message),
             publicKey.isValidSignature(signatures[0] == signature ? signatures[1] : signatures[0], for: message),
             publicKey.isValidSignature(signature, for: message)]
        }
        #expect(outcomes.allSatisfy { $0 == [false, false, true] })
        #expect(Set(signatures).count == messages.count)
    }

    @Test("private keys round-trip through PEM and DER, plain and encrypted", arguments: KeyAlgorithm.allCases)
    func privateKeyRoundTrip(algorithm: KeyAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let publicKey = try key.publicKey
        let encodings: [(Data, String?)] = [
            (try key.pemRepresentation(), nil),
            (try key.derRepresentation(), nil),
            (try key.pemRepresentation(passphrase: "hoa bạc hà"), "hoa bạc hà"),
            (try key.derRepresentation(passphrase: "s3cret"), "s3cret"),
        ]
        for (data, passphrase) in encodings {
            let back = try PrivateKey(pemOrDER: data, passphrase: passphrase)
            #expect(try back.publicKey == publicKey)
        }
        #expect(String(decoding: try key.pemRepresentation(passphrase: "x"), as: UTF8.self).contains("ENCRYPTED PRIVATE KEY"))
        #expect(String(decoding: try key.pemRepresentation(), as: UTF8.self).contains("BEGIN PRIVATE KEY"))
        #expect(try PublicKey(pemOrDER: Data(publicKey.pemRepresentation.utf8)) == publicKey)
        #expect(try PublicKey(pemOrDER: publicKey.derRepresentation) == publicKey)
    }

    @Test("an encrypted key with a wrong or missing passphrase is refused as key.passphrase")
    func wrongPassphrase() throws {
        let key = try PrivateKey.generate()
        let pem = try key.pemRepresentation(passphrase: "right")
        let der = try key.derRepresentation(passphrase: "right")
        for (data, passphrase) in [(pem, "wrong"), (pem, nil), (der, "wrong"), (der, nil)] as [(Data, String?)] {
            #expect { try PrivateKey(pemOrDER: data, passphrase: passphrase) } throws: {
                ($0 as? CryptoError)?.code == .keyPassphrase
            }
        }
    }

    @Test("garbage, truncated and wrong-type key input is a clear error")
    func malformedKeys() throws {
        let key = try PrivateKey.generate()
        let pem = try key.pemRepresentation()
        let der = try key.derRepresentation()
        let cert = try TestPKI().leaf
        let bad: [Data] = [
            Data(), Data("hello".utf8), Data(repeating: 0xff, count: 300),
            pem.prefix(pem.count / 2), der.prefix(der.count - 3), Data(cert.pemRepresentation.utf8),
            Data("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n".utf8),
        ]
        for data in bad {
            #expect { try PrivateKey(pemOrDER: data) } throws: { ($0 as? CryptoError)?.code == .keyMalformed }
            #expect { try PublicKey(pemOrDER: data) } throws: { ($0 as? CryptoError)?.code == .keyMalformed }
        }
        #expect(!"\(key)".contains("PRIVATE"))
    }

    @Test("keys on other curves are refused as key.unsupported")
    func otherCurve() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("p384.pem")
        try run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", file.path])
        #expect { try PrivateKey(fileAt: file) } throws: { ($0 as? CryptoError)?.code == .keyUnsupported }
    }

    @Test("raw and DER ECDSA encodings convert both ways")
    func ecdsaEncodings() throws {
        let key = try PrivateKey.generate(.p256)
        let der = try key.sign([1, 2, 3])
        let raw = try ECDSASignature.raw(fromDER: der)
        #expect(raw.count == 64)
        #expect(try ECDSASignature.der(fromRaw: raw) == der)
        #expect(throws: CryptoError.self) { try ECDSASignature.der(fromRaw: [1, 2]) }
        #expect(throws: CryptoError.self) { try ECDSASignature.raw(fromDER: [0x30, 0x01]) }
    }
}

extension Array where Element: Sendable {
    /// `map` on four threads of its own, each taking every fourth element (the test target does
    /// not see AgriTrace's own concurrentMap, and `concurrentPerform` called from the testing
    /// library's pool may run every iteration on the calling thread).
    func concurrentMapForTest<T: Sendable>(_ transform: @escaping @Sendable (Element) throws -> T) rethrows -> [T] {
        let results = ResultSlots<T>(count: count), done = DispatchGroup(), elements = self
        for first in 0..<Swift.min(4, count) {
            done.enter()
            Thread {
                for index in stride(from: first, to: elements.count, by: 4) { results.set(index, Result { try transform(elements[index]) }) }
                done.leave()
            }.start()
        }
        done.wait()
        return try results.values.map { try $0!.get() }
    }
}

private final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<T, Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<T, Error>) { lock.withLock { values[index] = value } }
}
