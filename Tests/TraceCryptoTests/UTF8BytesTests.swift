import Foundation
import Testing
import TraceCrypto

@Suite("A string's UTF-8 read in place")
struct UTF8BytesTests {
    /// Empty, small (stored inline), large (stored in a buffer), non-ASCII, a literal, a
    /// substring made a string, and a string built from UTF-16 (Foundation's bridging path).
    static let texts: [String] = [
        "", "a", "sha256:", "https://id.gs1.org/01/08934567000017/10/HONEY-2026-001",
        "Mật ong hoa bạc hà Hà Giang 🍯", String(repeating: "é", count: 40),
        String("xxhttps://ref.gs1.org/cbv/BizStep-shippingxx".dropFirst(2).dropLast(2)),
        String(utf16CodeUnits: Array("Đồng Văn, Hà Giang".utf16), count: "Đồng Văn, Hà Giang".utf16.count),
    ]

    @Test("withUTF8Bytes gives each string's own UTF-8 bytes", arguments: texts)
    func bytesInPlace(text: String) {
        #expect(text.withUTF8Bytes { Array($0) } == Array(text.utf8))
        #expect(text.withUTF8Bytes { $0.count } == text.utf8.count)
    }

    @Test("append(utf8Of:) appends the same bytes as += utf8, after what is there")
    func appending() {
        var appended: [UInt8] = [0x3D], added: [UInt8] = [0x3D]
        for text in Self.texts {
            appended.append(utf8Of: text)
            added += text.utf8
        }
        #expect(appended == added)
        #expect(appended.first == 0x3D && appended.count == 1 + Self.texts.map(\.utf8.count).reduce(0, +))
    }
}
