import Foundation
import Testing
@testable import AgriTrace

/// The compact envelope reader decodes base64 itself: it must give Foundation's bytes wherever
/// it decodes, and leave every other text to the general reader.
@Suite("Canonical base64")
struct CanonicalBase64Tests {
    func decode(_ text: some Collection<UInt8>) -> Data? {
        Array(text).withUnsafeBytes { CanonicalBase64.decode($0) }
    }

    @Test("decodes what Foundation encodes, at every length mod 3 and for every byte value")
    func roundTrip() {
        for length in 0..<70 {
            let bytes = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 167 &+ length &* 29) })
            #expect(decode(bytes.base64EncodedData()) == bytes, "length \(length)")
        }
        let every = Data((0...255).map { UInt8($0) })
        #expect(decode(every.base64EncodedData()) == every)
    }

    @Test("gives Foundation's bytes or nil for every one-byte change of a text, never other bytes")
    func neverDisagreesWithFoundation() {
        for text in ["QUJD", "QUI=", "QQ==", "QUJDRA=="] { expectAgreement(onEveryChangeOf: Array(text.utf8)) }
    }

    /// Every text one byte away from `text` decodes to Foundation's bytes, or not at all.
    func expectAgreement(onEveryChangeOf text: [UInt8]) {
        for position in text.indices {
            for value in 0...255 {
                var changed = text
                changed[position] = UInt8(value)
                guard let ours = decode(changed) else { continue }
                #expect(ours == Data(base64Encoded: Data(changed)), "\(String(decoding: changed, as: UTF8.self))")
            }
        }
    }

    /// Texts of one to four whole blocks of 32 characters (the vector path's step, CByteKernels)
    /// and groups after them: 128 characters are four blocks and nothing else, 132 end padded.
    @Test("a change anywhere in a longer text gives Foundation's bytes or nil", arguments: [29, 30, 31, 96, 97])
    func longerTextsNeverDisagreeWithFoundation(length: Int) {
        let bytes = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 89 &+ 7) })
        for text in [Array(bytes.base64EncodedData())] {
            #expect(decode(text) == Data(base64Encoded: Data(text)))
            expectAgreement(onEveryChangeOf: text)
            // Every character of the alphabet is taken at every place outside the last group.
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
            for position in text.indices.dropLast(4) {
                #expect(alphabet.allSatisfy { character in
                    var changed = text
                    changed[position] = character
                    return decode(changed) != nil
                }, "position \(position)")
            }
        }
    }

    @Test("refuses other forms: unpadded, padding inside, bits after the last byte, other alphabets", arguments: [
        "QUJ", "QQ", "QQ=A", "Q===", "QQ==QUJD", "QR==", "QUN=", "-_-_", "QU JD", "QUJD\n", "QUJD====",
    ])
    func refusesOtherForms(text: String) {
        #expect(decode(Array(text.utf8)) == nil)
    }
}
