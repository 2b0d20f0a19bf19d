import Foundation
import Testing
@testable import TraceCrypto
import TestSupport

/// The table verifier must give OpenSSL's answer on every signature: a valid one, every bit of it
/// altered, r or s out of range, the other s of the pair (ECDSA accepts both), DER written another
/// way, another digest, another key.
@Suite("ECDSA with a table of the key's multiples", .serialized)
struct FixedBaseVerifierTests {
    /// The order n of P-256's group.
    static let order = bytes(hex: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")

    @Test("a valid signature is valid, and so is its other s; another digest or key is not")
    func validSignatures() throws {
        let key = try PrivateKey.generate(), other = try PrivateKey.generate(), publicKey = try key.publicKey
        let verifier = try #require(FixedBaseVerifier(pkey: publicKey.pkey))
        for index in 0..<20 {
            let message = Array("record \(index)".utf8), digest = Digest.sha256(message)
            let signature = try key.sign(message)
            #expect(verifier.isValid(signature, digest))
            let raw = try ECDSASignature.raw(fromDER: signature)
            let otherS = try ECDSASignature.der(fromRaw: Array(raw[..<32]) + Self.subtract(Array(raw[32...]), from: Self.order))
            #expect(verifier.isValid(otherS, digest) == publicKey.isValidSignature(otherS, for: message))
            #expect(verifier.isValid(otherS, digest))
            #expect(!verifier.isValid(signature, Digest.sha256(message + [0])))
            #expect(!verifier.isValid(try other.sign(message), digest))
        }
    }

    @Test("every bit of a signature flipped, and every byte cut off, gets OpenSSL's answer")
    func alteredSignatures() throws {
        let key = try PrivateKey.generate(), publicKey = try key.publicKey
        let verifier = try #require(FixedBaseVerifier(pkey: publicKey.pkey))
        let message = Array("honey lot 2026-03".utf8), digest = Digest.sha256(message)
        let signature = try key.sign(message)
        var altered: [[UInt8]] = []
        for bit in 0..<(signature.count * 8) {
            var copy = signature
            copy[bit / 8] ^= UInt8(1) << (bit % 8)
            altered.append(copy)
        }
        altered += (0..<signature.count).map { Array(signature[..<$0]) } + [signature + [0], [], [0x30, 0x00]]
        var accepted = 0
        for candidate in altered {
            let openssl = publicKey.isValidSignature(candidate, for: message)
            #expect(verifier.isValid(candidate, digest) == openssl, "\(candidate.hexString)")
            if openssl { accepted += 1 }
        }
        #expect(accepted == 0)
    }

    @Test("r or s of zero, of n or above, or in DER of another form are refused, as OpenSSL refuses them")
    func malformedSignatures() throws {
        let key = try PrivateKey.generate(), publicKey = try key.publicKey
        let verifier = try #require(FixedBaseVerifier(pkey: publicKey.pkey))
        let message = Array("beef lot 7".utf8), digest = Digest.sha256(message)
        let raw = try ECDSASignature.raw(fromDER: try key.sign(message))
        let (r, s) = (Array(raw[..<32]), Array(raw[32...]))
        let aboveOrder = Self.order.dropLast() + [Self.order.last! + 1]
        let candidates: [[UInt8]] = [
            Self.der(r, [0]), Self.der([0], s), Self.der(r, Self.order), Self.der(Self.order, s),
            Self.der(r, Array(aboveOrder)), Self.der(Array(aboveOrder), s), Self.der(r, [1] + s),
            Self.der(r, s, padding: 1),  // a needless leading zero
            Self.der(r, s, longLength: true),  // a length in the long form
            Self.der(r, s),  // the signature itself, in DER
        ]
        for (index, candidate) in candidates.enumerated() {
            let openssl = publicKey.isValidSignature(candidate, for: message)
            #expect(verifier.isValid(candidate, digest) == openssl, "case \(index)")
            #expect(openssl == (index == candidates.count - 1), "case \(index)")
        }
    }

    @Test("a batch gives each signature its own answer: valid, altered, malformed, other keys")
    func batches() throws {
        let keys = try (0..<3).map { _ in try PrivateKey.generate() }
        let publicKeys = try keys.map { try $0.publicKey }
        let verifiers = try publicKeys.map { try #require(FixedBaseVerifier(pkey: $0.pkey)) }
        var checks: [FixedBaseVerifier.Check] = [], expected: [Bool] = []
        for index in 0..<30 {
            let signer = index % 3, message = Array("lot \(index)".utf8)
            var signature = try keys[signer].sign(message)
            switch index % 5 {
            case 1: signature[signature.count - 3] ^= 0x10  // s altered
            case 2: signature[6] ^= 0x01  // r altered
            case 3: signature = Self.der([0], [1])  // out of range: takes no part in the inversion
            default: break
            }
            let checkedBy = index % 7 == 6 ? (signer + 1) % 3 : signer  // now and then, another key
            checks.append(FixedBaseVerifier.Check(verifier: verifiers[checkedBy], signed: SignedDigest(signature: Data(signature), digest: Digest.sha256(message))))
            expected.append(publicKeys[checkedBy].isValidSignature(signature, for: message))
        }
        #expect(FixedBaseVerifier.validity(of: checks) == expected)
        #expect(expected.filter { $0 }.count >= 8)
        #expect(FixedBaseVerifier.validity(of: []) == [])
        #expect(FixedBaseVerifier.validity(of: Array(checks.enumerated().filter { $0.offset % 5 == 3 }.map(\.element))) == [false, false, false, false, false, false])
    }

    @Test("a key takes a table after many verifications, and its answers stay OpenSSL's")
    func adoption() throws {
        let key = try PrivateKey.generate(), publicKey = try key.publicKey
        let message = Array("orange crate".utf8), signature = try key.sign(message)
        var altered = signature
        altered[altered.count - 1] ^= 0x01
        for round in 0..<(FixedBaseVerifier.Adoption.threshold + 40) {
            let valid = round % 2 == 0
            #expect(publicKey.isValidSignature(valid ? signature : altered, for: message) == valid, "round \(round)")
        }
        PublicKey.waitForTables()
        #expect(publicKey.table.verifier != nil)
        for valid in [true, false, false, true] {
            #expect(publicKey.isValidSignature(valid ? signature : altered, for: message) == valid)
        }
        #expect(try PrivateKey.generate().publicKey.table.verifier == nil)
    }

    @Test("a list of pending signatures, some with a table, some without, some Ed25519, keeps each answer in its place")
    func mixedPendingSignatures() throws {
        let keys = [try PrivateKey.generate(), try PrivateKey.generate(), try PrivateKey.generate(.ed25519)]
        let publicKeys = try keys.map { try $0.publicKey }
        let message = Array("herb batch".utf8)
        let signatures = try keys.map { try $0.sign(message) }
        _ = (0..<FixedBaseVerifier.Adoption.threshold).map { _ in publicKeys[0].pendingSignature(Data(signatures[0]), for: message) }
        PublicKey.waitForTables()
        #expect(publicKeys[0].table.verifier != nil && publicKeys[1].table.verifier == nil)
        func pending(_ key: Int, altered: Bool) -> PendingSignature {
            var signature = signatures[key]
            if altered { signature[signature.count - 2] ^= 0x04 }
            return publicKeys[key].pendingSignature(Data(signature), for: message)
        }
        let cases = [(0, false), (1, true), (2, false), (0, true), (1, false), (2, true), (0, false), (0, true)]
        let answers = PendingSignature.validity(of: cases.map { pending($0.0, altered: $0.1) })
        #expect(answers == cases.map { !$0.1 })
        #expect(answers == cases.map { pending($0.0, altered: $0.1).isValid })
    }

    @Test("one key's table checks runs of signatures on all cores at once, each answer right")
    func concurrentChecks() throws {
        let key = try PrivateKey.generate(), publicKey = try key.publicKey
        let messages = (0..<FixedBaseVerifier.Adoption.threshold).map { Array("crate \($0)".utf8) }
        let signatures = try messages.map { try key.sign($0) }
        var pending: [PendingSignature] = [], expected: [Bool] = []
        for (index, (message, signature)) in zip(messages, signatures).enumerated() {
            var sent = signature
            if index % 3 == 1 { sent[sent.count - 1 - index % 20] ^= 0x02 }
            pending.append(publicKey.pendingSignature(Data(sent), for: message))
            expected.append(index % 3 != 1)
        }
        PublicKey.waitForTables()
        #expect(publicKey.table.verifier != nil)
        let runs = stride(from: 0, to: pending.count, by: 16).map { Array(pending[$0..<min($0 + 16, pending.count)]) }
        #expect(runs.concurrentMapForTest { PendingSignature.validity(of: $0) }.flatMap { $0 } == expected)
    }

    @Test("no more tables than the bound are alive at once, and a freed one makes room")
    func tableBound() throws {
        let publicKey = try PrivateKey.generate().publicKey
        var tables: [FixedBaseVerifier] = []
        for _ in 0...FixedBaseVerifier.Adoption.maximumTables {
            guard let table = FixedBaseVerifier(pkey: publicKey.pkey) else { break }
            tables.append(table)
        }
        #expect(tables.count < FixedBaseVerifier.Adoption.maximumTables + 1)
        #expect(FixedBaseVerifier(pkey: publicKey.pkey) == nil)
        tables.removeAll()
        #expect(FixedBaseVerifier(pkey: publicKey.pkey) != nil)
    }

    // MARK: helpers

    /// `from` − `value`, both 32-byte big-endian numbers, `value` ≤ `from`.
    static func subtract(_ value: [UInt8], from: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: 32), borrow = 0
        for index in (0..<32).reversed() {
            var difference = Int(from[index]) - Int(value[index]) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 256 }
            result[index] = UInt8(difference)
        }
        return result
    }

    /// A DER ECDSA-Sig-Value of two unsigned big-endian numbers, with `padding` needless leading
    /// zeros on r, and the sequence's length in the long form when asked.
    static func der(_ r: [UInt8], _ s: [UInt8], padding: Int = 0, longLength: Bool = false) -> [UInt8] {
        func integer(_ value: [UInt8], padding: Int) -> [UInt8] {
            var body = Array(value.drop(while: { $0 == 0 }))
            if body.isEmpty || body[0] & 0x80 != 0 { body.insert(0, at: 0) }
            body = [UInt8](repeating: 0, count: padding) + body
            return [0x02, UInt8(body.count)] + body
        }
        let content = integer(r, padding: padding) + integer(s, padding: 0)
        return [0x30] + (longLength ? [0x81, UInt8(content.count)] : [UInt8(content.count)]) + content
    }
}

extension FixedBaseVerifier {
    /// One signature checked alone (a batch of one); a signature longer than DER allows is not
    /// held, and OpenSSL says it is invalid.
    func isValid(_ signature: [UInt8], _ digest: [UInt8]) -> Bool {
        guard signature.count <= SignedDigest.maximumLength else { return false }
        return Self.validity(of: [Check(verifier: self, signed: SignedDigest(signature: Data(signature), digest: digest))])[0]
    }
}
