import Foundation
import TraceCrypto

/// Canonical value forms for the pre-hash.
enum PreHashValue {
    /// CBV URNs as web vocabulary, numbers without redundant digits, GS1 keys as canonical Digital Links.
    static func canonical(_ text: String) throws -> String {
        if text.withUTF8Bytes(isCanonicalAtAGlance) { return text }
        // Values repeat across events (places, parties, vocabulary): remember their forms.
        if let known = canonicalForms.value(for: text, { try? uncachedCanonical($0) }) { return known }
        return try uncachedCanonical(text)  // only a value that cannot be hashed gets here, to throw
    }

    private static let canonicalForms = NormaliserCache()

    /// Whether ``uncachedCanonical(_:)`` would give these bytes back unchanged, decided in one
    /// look without the cache: a record digest or a word, a Digital Link in a canonical form
    /// AgriTrace writes, a CBV or GS1 vocabulary IRI, an integer of up to 15 digits. These are
    /// most of an event's values; they would only crowd the cache and pay for its hashing and lock.
    static func isCanonicalAtAGlance(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        if first == UInt8(ascii: "h") {
            if ByteSearch.hasPrefix(bytes, "https://id.gs1.org/") { return DigitalLinkNormaliser.isCanonicalCommonForm(bytes) }
            // A vocabulary word: no number, no CBV URN (no colon), no GS1 key path (no slash).
            for vocabulary: StaticString in ["https://ref.gs1.org/cbv/", "https://gs1.org/voc/"] where ByteSearch.hasPrefix(bytes, vocabulary) {
                let word = bytes.dropFirst(vocabulary.utf8CodeUnitCount)
                return !word.isEmpty && !word.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ":") }
            }
        }
        // An integer that a double holds exactly: float() and back give the same text.
        if PythonValueText.isPlainInteger(bytes, maximumDigits: 15) { return true }
        // No number: Python's float() takes no text starting with a letter but i or n (inf, nan).
        let letter = first | 0x20  // an ASCII letter in lower case; nothing else lands in a...z
        let isWord = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(letter) && letter != UInt8(ascii: "i") && letter != UInt8(ascii: "n")
        guard isWord || isNeverAFloat(bytes) else { return false }
        // No Digital Link or EPC URI without a dot; no old CBV URN to replace.
        return !bytes.contains(UInt8(ascii: ".")) && !containsIgnoringCase(bytes, "urn:epcglobal:cbv:")
    }

    /// Whether Python's `float()` refuses the text for a byte it never takes where it stands: a
    /// colon anywhere, or a sign neither first nor just after an exponent's `e` (a zone offset
    /// `+07:00`, a date `2026-02-28`). Decides only texts that hold such a byte; others say false.
    private static func isNeverAFloat(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: ":"): return true
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                if index > 0, bytes[index - 1] | 0x20 != UInt8(ascii: "e") { return true }
            default: continue
            }
        }
        return false
    }

    static func uncachedCanonical(_ text: String) throws -> String {
        var value = text
        if text.utf8.count > 18, containsIgnoringCase(text, "urn:epcglobal:cbv:") {
            value = webVocabulary(text)
        }
        switch PythonValueText.parseFloat(value) {
        case .finite(let number):
            value = number == number.rounded(.towardZero) ? PythonValueText.integerText(number) : PythonValueText.repr(number)
        case .infinite:
            throw TraceError("epcis.hashUnsupported", "the value \(text.prefix(40)) is an infinite number, which the CBV event hash cannot express")
        case .nan, .notANumber:
            break
        }
        return DigitalLinkNormaliser.normalise(value) ?? value
    }

    /// Python's `str.strip()`: the text without surrounding whitespace (fast when there is none).
    static func stripped(_ text: String) -> String {
        guard let firstByte = text.utf8.first, let lastByte = text.utf8.last else { return text }
        // Printable ASCII at both ends (the usual case) is no whitespace; decide the rest by Unicode.
        if (0x21...0x7E).contains(firstByte), (0x21...0x7E).contains(lastByte) { return text }
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether `text` starts with the ASCII `prefix`, byte for byte (code point order, as Python
    /// compares; `String.hasPrefix` compares characters).
    static func startsWith(_ text: String, _ prefix: StaticString) -> Bool {
        return text.withUTF8Bytes { ByteSearch.hasPrefix($0, prefix) }
    }

    /// Whether `text` ends with the ASCII `suffix`, byte for byte (as Python compares;
    /// `String.hasSuffix` compares characters, and a prepended mark joins the suffix's first).
    static func endsWith(_ text: String, _ suffix: StaticString) -> Bool {
        return text.withUTF8Bytes { ByteSearch.hasPrefix($0, suffix, at: $0.count - suffix.utf8CodeUnitCount) }
    }

    /// Whether `text` contains the ASCII `needle`, exactly; works on UTF-8 bytes.
    static func contains(_ text: String, _ needle: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        return text.withUTF8Bytes { bytes in
            guard bytes.count >= pattern.count else { return false }
            outer: for start in 0...(bytes.count - pattern.count) {
                for offset in 0..<pattern.count where bytes[start + offset] != pattern[offset] { continue outer }
                return true
            }
            return false
        }
    }

    /// Whether `text` contains the ASCII `needle`, ignoring ASCII case; works on UTF-8 bytes.
    static func containsIgnoringCase(_ text: String, _ needle: StaticString) -> Bool {
        return text.withUTF8Bytes { containsIgnoringCase($0, needle) }
    }

    /// Whether `bytes` contain the ASCII `needle`, ASCII letters compared without case.
    static func containsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard bytes.count >= pattern.count, let base = bytes.baseAddress else { return pattern.isEmpty }
        func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
        func matches(at start: Int) -> Bool {
            for offset in 0..<pattern.count where lower(bytes[start + offset]) != lower(pattern[offset]) { return false }
            return true
        }
        // A needle holding a byte that has no case (the `:` of `urn:epcglobal:cbv:`, asked of most
        // values) is looked for only where that byte stands, found by memchr.
        if let anchor = pattern.firstIndex(where: { !(97...122).contains($0 | 0x20) }) {  // not an ASCII letter
            var at = anchor
            let last = bytes.count - pattern.count + anchor  // the last place the anchor can stand
            while at <= last, let hit = memchr(base + at, Int32(pattern[anchor]), last - at + 1) {
                let offset = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if matches(at: offset - anchor) { return true }
                at = offset + 1
            }
            return false
        }
        return (0...(bytes.count - pattern.count)).contains(where: matches)
    }

    /// Old CBV URNs replaced by their web vocabulary equivalents, anywhere in the text.
    private static func webVocabulary(_ text: String) -> String {
        var value = text
        for (urn, web) in [("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"), ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
                           ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"), ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
                           ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-")] {
            value = ByteSearch.replacingAll(urn, with: web, in: value)
        }
        return value
    }
}
