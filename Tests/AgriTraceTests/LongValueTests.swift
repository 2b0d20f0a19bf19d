import Foundation
import Testing
@testable import AgriTrace
import TestSupport
import TraceCrypto

/// A record may carry a value of megabytes in any field. The event hash must give the
/// reference's result for it at about the cost of as many bytes of ordinary events: Foundation's
/// regular expressions and searches, which copy the text to UTF-16 on every call, made such a
/// Digital Link cost a microsecond per byte (`agritrace-bench --long-value BYTES` measures it).
@Suite("Long values in the event hash")
struct LongValueTests {
    static let filler = String(repeating: "abcdefgh/", count: 3_000)

    @Test("byte search finds the first occurrence from where it is asked to start", arguments: [
        ("/01/", "https://x/a/01/b/01/", 0, 11), ("/01/", "https://x/a/01/b/01/", 12, 16), ("/01/", "/01", 0, nil),
        ("aa", "aaa", 1, 1), ("é/", "xé/é/", 0, 1), ("/", "", 0, nil), ("x", "abc", 5, nil),
    ] as [(String, String, Int, Int?)])
    func byteOffset(needle: String, text: String, start: Int, expected: Int?) {
        #expect(ByteSearch.offset(of: needle, in: text, from: start) == expected)
    }

    @Test("byte search agrees with a plain scan for needles of one to five bytes, in texts short and long, from any start")
    func byteOffsetAgreesWithAPlainScan() {
        var generator = SystemRandomNumberGenerator()
        func text(_ count: Int) -> [UInt8] { (0..<count).map { _ in Array("/21ab".utf8)[Int.random(in: 0..<5, using: &generator)] } }
        for _ in 0..<2_000 {
            let hay = text([0, 1, 3, 40, 127, 128, 129, 300].randomElement(using: &generator) ?? 0), needle = text(Int.random(in: 1...5, using: &generator))
            let start = Int.random(in: 0...hay.count + 1, using: &generator)
            let plain = hay.count < needle.count ? nil : (start...max(start, hay.count - needle.count)).first { at in
                at + needle.count <= hay.count && Array(hay[at..<at + needle.count]) == needle
            }
            let found = hay.withUnsafeBufferPointer { h in needle.withUnsafeBufferPointer { ByteSearch.offset(of: $0, in: h, from: start) } }
            #expect(found == plain, "\(String(decoding: needle, as: UTF8.self)) in \(String(decoding: hay, as: UTF8.self)) from \(start)")
        }
    }

    @Test("byte replacement replaces every occurrence, left to right, without overlap", arguments: [
        ("/gtin/", "/01/", "https://x/gtin/1/gtin/2", "https://x/01/1/01/2"), ("aa", "b", "aaaaa", "bba"), ("x", "yy", "abc", "abc"),
        ("/lot/", "/10/", "/lot/lot/", "/10/lot/"), ("é", "e", "éé\u{301}", "ee\u{301}"),
    ])
    func replacement(needle: String, replacement: String, text: String, expected: String) {
        #expect(ByteSearch.replacingAll(needle, with: replacement, in: text) == expected)
    }

    /// The regular expression the byte test replaces, kept here as its specification.
    static func regexHasKeyPath(_ uri: String) -> Bool {
        let keys = "01|gtin|8006|itip|8010|cpid|414|gln|417|party|8017|gsrnp|8018|gsrn|255|gcn|00|sscc|253|gdti|401|ginc|402|gsin|8003|grai|8004|giai"
        let regex = try? NSRegularExpression(pattern: "^https?:(//[^/?#]*)?[^?#]*/(\(keys))/[0-9]{4}[^/]")
        return regex?.firstMatch(in: uri, range: NSRange(uri.startIndex..., in: uri)) != nil
    }

    @Test("the byte test for a key in the path agrees with the regular expression it replaces")
    func keyPathTest() {
        var uris = NormaliserDifferentialTests.corpus()
        let hosts = ["https:", "http:", "https://", "http://h", "https://a.b/c", "ftp://a.b", "https//a", "HTTPS://a", " https://a"]
        let paths = ["/01/1234", "/01/12345", "/01/1234/", "/gtin/12345x", "/01/123a5", "?/01/12345", "#/01/12345", "/x?/01/12345",
                     "/01/12345?q", "/01/1234?", "/01/1234#", "/01/1234\u{301}", "/01/1234é", "/0101/12345", "/01//12345", "/giai/0000-",
                     "/8004/12345", "/party/99999", "/01/١٢٣٤٥", "/sscc/1234\n", "/a/b/c/d/414/00001", "/01/123", ""]
        for host in hosts { for path in paths { uris.append(host + path); uris.append(host + "/x" + path + path) } }
        for uri in uris {
            var bytes = uri
            #expect(bytes.withUTF8(DigitalLinkNormaliser.hasKeyPath) == Self.regexHasKeyPath(uri), "\(uri)")
        }
    }

    @Test("a long prefix before a key still normalises; a long value after one is no canonical form")
    func longDigitalLinks() {
        #expect(DigitalLinkNormaliser.normalise("https://example.com/" + Self.filler + "01/09506000134352") == "https://id.gs1.org/01/09506000134352")
        #expect(DigitalLinkNormaliser.normalise("https://example.com/" + Self.filler + "gtin/9506000134352/lot/A1") == "https://id.gs1.org/01/09506000134352/10/A1")
        #expect(DigitalLinkNormaliser.normalise("https://id.gs1.org/01/09506000134352/10/" + Self.filler) == nil)
        #expect(DigitalLinkNormaliser.normalise("https://id.gs1.org/01/09506000134352?" + Self.filler) == "https://id.gs1.org/01/09506000134352")
    }

    @Test("long and odd URIs of every kind normalise as the reference normalises them")
    func longURIsAgreeWithReference() throws {
        let long = Self.filler
        let uris = ["https://example.com/\(long)01/09506000134352", "https://example.com/\(long)gtin/9506000134352/lot/ABC",
                    "https://example.com/\(long)01/95060001", "https://id.gs1.org/01/09506000134352/10/\(long)",
                    "https://id.gs1.org/01/09506000134352/22/\(long)/21/1", "https://example.com/01/09506000134352?\(long)",
                    "https://id.gs1.org/\(long)", "https://example.com/\(long)01/0950600013435", "urn:epc:id:sgtin:0614141.107346.\(long)",
                    "https://ref.gs1.org/cbv/BizStep-\(long)", "https://example.com/\(long.replacingOccurrences(of: "/", with: "/01/"))01/09506000134352",
                    // Combining marks and a prepended character beside the slashes: the searches go by code point, as Python's.
                    "https://example.com/gtin/\u{301}9506000134352", "https://example.com/\u{600}/01/09506000134352",
                    "https://example.com/gtin\u{301}/01/09506000134352/lot/X", "https://example.com/01/09506000134352/lot/\u{301}X",
                    "https://example.com/x/gtin/09506000134352/ser/é1"]
        for (uri, reference) in zip(uris, try NormaliserDifferentialTests.referenceForms(of: uris)) {
            #expect(DigitalLinkNormaliser.normalise(uri) == reference, "\(uri.prefix(60))…")
        }
    }

    @Test("numbers are read byte by byte as Python reads them", arguments: [
        ("1_", "1_"), ("_1", "_1"), ("1e", "1e"), ("1e+5", "100000"), ("+1.5", "1.5"), ("1.5\u{301}", "1.5\u{301}"), ("1.2.3", "1.2.3"),
        ("1e5e5", "1e5e5"), ("1_0.5_0", "10.5"), ("1._5", "1._5"), ("-", "-"), ("-INF", nil), ("iNfInItY", nil),
    ] as [(String, String?)])
    func numbers(input: String, expected: String?) {
        #expect((try? PreHashValue.uncachedCanonical(input)) == expected)  // nil: an infinity, which the hash cannot express
    }

    @Test("a long number is an exact integer, or an infinity refused")
    func longNumbers() {
        let integer = try? PreHashValue.uncachedCanonical(String(repeating: "1", count: 300))  // 1.11e299, printed exactly
        #expect(integer?.utf8.count == 300 && integer?.hasPrefix(String(repeating: "1", count: 16)) == true)
        #expect((try? PreHashValue.uncachedCanonical(String(repeating: "1", count: 400))) == nil)  // beyond a double: infinite
    }

    @Test("integers taken at a glance get the text the full conversion gives, at every length and sign")
    func integersAtAGlance() throws {
        var generator = SystemRandomNumberGenerator()
        var literals = ["0", "-0", "00", "007", "-007", "1", "-1", "999999999999999", "1000000000000000", "9007199254740993", "-"]
        for _ in 0..<5_000 {
            let digits = (0..<Int.random(in: 1...22, using: &generator)).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            literals.append((Bool.random(using: &generator) ? "-" : "") + digits)
        }
        for literal in literals {
            #expect(try PreHashValue.canonical(literal) == PreHashValue.uncachedCanonical(literal), "\(literal)")
            #expect(PythonValueText.cachedStr(numberLiteral: literal) == PythonValueText.str(numberLiteral: literal), "\(literal)")
        }
    }
}
