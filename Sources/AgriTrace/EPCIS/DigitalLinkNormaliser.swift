import Foundation
import TraceCrypto

/// Turns any URI that carries a GS1 key — EPC URN, EPC class or pattern URN, or GS1 Digital
/// Link on any domain — into the constrained canonical Digital Link the CBV 2.0 event hash
/// uses: on `https://id.gs1.org`, without query or CPV, at the finest level of identification.
/// Returns nil for anything else, which the hash then keeps as it is.
enum DigitalLinkNormaliser {
    static func normalise(_ uri: String) -> String? {
        guard uri.utf8.contains(UInt8(ascii: ".")) else { return nil }
        if uri.hasPrefix("https://id.gs1.org/"), isCanonicalCommonForm(uri) { return uri }
        if uri.hasPrefix("urn:epc:") { return epcURN(uri) }
        if uri.hasPrefix("http://") || uri.hasPrefix("https://") { return cache.value(for: uri, digitalLink) }
        return nil
    }

    /// The forms AgriTrace itself writes, already canonical: GTIN (+ lot or serial), SSCC, GLN
    /// (+ extension), party GLN. Checked by hand, byte by byte and allocating nothing, so the
    /// common case needs no regular expression (a test holds it to ``digitalLink(_:)``).
    static func isCanonicalCommonForm(_ uri: String) -> Bool {
        return uri.withUTF8Bytes(isCanonicalCommonForm)
    }

    /// ``isCanonicalCommonForm(_:)`` of a URI's UTF-8 bytes.
    static func isCanonicalCommonForm(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var at = "https://id.gs1.org/".utf8.count  // the caller checked the prefix
        guard bytes.count > at else { return false }
        /// The next segment of the path, up to a `/` or the end; nil past the end.
        func next() -> Slice<UnsafeBufferPointer<UInt8>>? {
            guard at <= bytes.count else { return nil }
            let start = at
            while at < bytes.count, bytes[at] != UInt8(ascii: "/") { at += 1 }
            defer { at += 1 }
            return bytes[start..<at]
        }
        func ai(_ part: Slice<UnsafeBufferPointer<UInt8>>, _ name: StaticString) -> Bool {
            ByteSearch.equals(UnsafeBufferPointer(rebasing: part), name)  // by length first: most parts are another AI
        }
        func digits(_ part: Slice<UnsafeBufferPointer<UInt8>>, _ count: Int) -> Bool {
            part.count == count && part.allSatisfy { (48...57).contains($0) }
        }
        func value(_ part: Slice<UnsafeBufferPointer<UInt8>>, max: Int) -> Bool {
            // The canonical character set: " ' - . 0-9 ; < = > A-Z _ a-z. Not `?`, which
            // begins a query: the reference drops it and what follows.
            (1...max).contains(part.count) && part.allSatisfy {
                $0 == 0x22 || $0 == 0x27 || $0 == 0x2D || $0 == 0x2E || (0x30...0x39).contains($0) || (0x3B...0x3E).contains($0)
                    || (0x41...0x5A).contains($0) || $0 == 0x5F || (0x61...0x7A).contains($0)
            }
        }
        guard let key = next(), let number = next() else { return false }
        guard let qualifier = next() else {
            return (ai(key, "01") && digits(number, 14)) || (ai(key, "00") && digits(number, 18))
                || ((ai(key, "414") || ai(key, "417")) && digits(number, 13))
        }
        guard let qualified = next(), next() == nil else { return false }
        if ai(key, "01"), digits(number, 14), ai(qualifier, "10") || ai(qualifier, "21") { return value(qualified, max: 20) }
        if ai(key, "414"), digits(number, 13), ai(qualifier, "254") { return value(qualified, max: 20) }
        return false
    }

    private static let cache = NormaliserCache()

    // MARK: - EPC URNs

    private static func epcURN(_ uri: String) -> String? {
        let parts = uri.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5 else { return nil }
        let kind = parts[2], scheme = parts[3]
        let fields = parts[4].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch kind {
        case "id": return epcID(String(scheme), fields)
        case "class" where scheme == "lgtin":
            guard fields.count >= 3, let gtin = gtin(fields[0], fields[1]), let lot = c82(fields[2...].joined(separator: "."), max: 20) else { return nil }
            return "\(base)/01/\(gtin)/10/\(encode(lot))"
        case "idpat": return epcPattern(String(scheme), fields)
        default: return nil
        }
    }

    private static func epcID(_ scheme: String, _ f: [String]) -> String? {
        func rest(from index: Int) -> String { f[index...].joined(separator: ".") }
        switch scheme {
        case "sgtin":
            guard f.count >= 3, let gtin = gtin(f[0], f[1]), let serial = c82(rest(from: 2), max: 20) else { return nil }
            return "\(base)/01/\(gtin)/21/\(encode(serial))"
        case "sscc":
            guard f.count == 2, isCompanyPrefix(f[0]), digits(f[1]), f[0].count + f[1].count == 17 else { return nil }
            return "\(base)/00/" + withCheckDigit(String(f[1].prefix(1)) + f[0] + f[1].dropFirst())
        case "sgln":
            guard f.count >= 3, let gln = key(f[0], f[1], length: 12), let ext = c82(rest(from: 2), max: 20) else { return nil }
            return "\(base)/414/\(gln)" + (ext == "0" ? "" : "/254/\(encode(ext))")
        case "grai":
            // With a 12-digit company prefix the reference wants three dots, and keeps the third in the serial.
            let long = f[0].count == 12
            guard f.count >= (long ? 4 : 3), !long || f[2].isEmpty, let grai = key(f[0], f[1], length: 12, prefix: "0"),
                  let serial = c82(rest(from: long ? 3 : 2), max: 16) else { return nil }
            return "\(base)/8003/\(grai)\(encode((long ? "." : "") + serial))"
        case "giai":
            guard f.count >= 2, isCompanyPrefix(f[0]), let asset = c82(rest(from: 1), max: 30 - f[0].count) else { return nil }
            return "\(base)/8004/\(f[0])\(encode(asset))"
        case "gsrn", "gsrnp":
            guard f.count == 2, let key = key(f[0], f[1], length: 17) else { return nil }
            return "\(base)/\(scheme == "gsrn" ? "8018" : "8017")/\(key)"
        case "gdti":
            guard f.count >= 3, let gdti = key(f[0], f[1], length: 12), let serial = c82(rest(from: 2), max: 20) else { return nil }
            return "\(base)/253/\(gdti)\(encode(serial))"
        case "cpi":
            guard f.count == 3, isCompanyPrefix(f[0]), isCPIReference(f[1], max: 30 - f[0].count), digits(f[2]), (1...12).contains(f[2].count) else { return nil }
            return "\(base)/8010/\(encode(f[0] + f[1]))/8011/\(f[2])"
        case "sgcn":
            guard f.count == 3, let sgcn = key(f[0], f[1], length: 12), digits(f[2]), (1...12).contains(f[2].count) else { return nil }
            return "\(base)/255/\(sgcn)\(f[2])"
        case "ginc":
            guard f.count >= 2, isCompanyPrefix(f[0]), let ref = c82(rest(from: 1), max: 30 - f[0].count) else { return nil }
            return "\(base)/401/\(f[0])\(encode(ref))"
        case "gsin":
            guard f.count == 2, let gsin = key(f[0], f[1], length: 16) else { return nil }
            return "\(base)/402/\(gsin)"
        case "itip":
            guard f.count >= 5, let gtin = gtin(f[0], f[1]), f[2].count == 2, digits(f[2]), f[3].count == 2, digits(f[3]),
                  let serial = c82(rest(from: 4), max: 20) else { return nil }
            return "\(base)/8006/\(gtin)\(f[2])\(f[3])/21/\(encode(serial))"
        case "upui":
            guard f.count >= 3, let gtin = gtin(f[0], f[1]), let tpx = c82(rest(from: 2), max: 28) else { return nil }
            return "\(base)/01/\(gtin)/235/\(encode(tpx))"
        case "pgln":
            guard f.count == 2, let gln = key(f[0], f[1], length: 12) else { return nil }
            return "\(base)/417/\(gln)"
        default:
            return nil
        }
    }

    private static func epcPattern(_ scheme: String, _ f: [String]) -> String? {
        guard f.last == "*" else { return nil }
        // For these schemes a 12-digit company prefix is followed by three dots in the reference.
        var f = f
        if ["grai", "gdti", "sgcn"].contains(scheme), f.first?.count == 12 {
            guard f.count == 4, f[2].isEmpty else { return nil }
            f.remove(at: 2)
        }
        switch (scheme, f.count) {
        case ("sgtin", 3), ("upui", 3): return gtin(f[0], f[1]).map { "\(base)/01/\($0)" }
        case ("grai", 3): return key(f[0], f[1], length: 12, prefix: "0").map { "\(base)/8003/\($0)" }
        case ("gdti", 3): return key(f[0], f[1], length: 12).map { "\(base)/253/\($0)" }
        case ("sgcn", 3): return key(f[0], f[1], length: 12).map { "\(base)/255/\($0)" }
        case ("cpi", 3):
            guard isCompanyPrefix(f[0]), isCPIReference(f[1], max: 30 - f[0].count) else { return nil }
            return "\(base)/8010/\(encode(f[0] + f[1]))"
        case ("itip", 5):
            guard let gtin = gtin(f[0], f[1]), f[2].count == 2, digits(f[2]), f[3].count == 2, digits(f[3]) else { return nil }
            return "\(base)/8006/\(gtin)\(f[2])\(f[3])"
        default: return nil
        }
    }

    // MARK: - Digital Link URIs

    private static let base = "https://id.gs1.org"
    private static let primaryKeys = ["00", "01", "253", "255", "401", "402", "414", "417", "8003", "8004", "8006", "8010", "8017", "8018"]
    private static let shortNames = [
        ("/gtin/", "/01/"), ("/itip/", "/8006/"), ("/cpid/", "/8010/"), ("/gln/", "/414/"), ("/party/", "/417/"),
        ("/gsrnp/", "/8017/"), ("/gsrn/", "/8018/"), ("/gcn/", "/255/"), ("/sscc/", "/00/"), ("/gdti/", "/253/"),
        ("/ginc/", "/401/"), ("/gsin/", "/402/"), ("/grai/", "/8003/"), ("/giai/", "/8004/"), ("/cpv/", "/22/"),
        ("/lot/", "/10/"), ("/ser/", "/21/"),
    ]

    /// The reference's normaliser, step by step. Its regular expressions run over UTF-16 copies
    /// of the text, so a long URI only meets them where their match is bounded: the first test
    /// is made on the bytes, the second on the URI's first characters, and the rest only once the
    /// URI is short enough to be canonical at all.
    static func digitalLink(_ input: String) -> String? {
        guard input.withUTF8Bytes(hasKeyPath) else { return nil }
        var uri = input
        if let query = uri.firstIndex(of: "?") { uri = String(uri[..<query]) }
        for (short, ai) in shortNames { uri = ByteSearch.replacingAll(short, with: ai, in: uri) }
        // Anchored, and bounded by its longest match (29 characters): the URI's first 64 say all.
        if !matches(String(uri.prefix(64)), "^https://id.gs1.org/(01|8006|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)/[0-9]{4}[^/]") {
            // The first primary key in this list's order that the URI holds, where it first does.
            guard let offset = primaryKeys.lazy.compactMap({ ByteSearch.offset(of: "/\($0)/", in: uri) }).first else { return uri }
            guard base.utf8.count + uri.utf8.count - offset <= longestCanonicalForm else { return nil }
            uri = base + String(decoding: uri.utf8.dropFirst(offset), as: UTF8.self)
        }
        // Every canonical form is under 80 bytes, and what follows adds at most 6 (GTIN padding):
        // a longer URI is none, whatever the steps below would make of it.
        guard uri.utf8.count <= longestCanonicalForm else { return nil }
        // GTIN-8, -12 and -13 padded to GTIN-14.
        if !matches(uri, "^https://id.gs1.org/01/[0-9]{14}") {
            for (length, padding) in [(13, "0"), (12, "00"), (8, "000000")] where matches(uri, "^https://id.gs1.org/01/[0-9]{\(length)}") {
                uri = uri.replacingOccurrences(of: "/01/", with: "/01/" + padding)
                break
            }
        }
        // The consumer product variant (22) is not part of the identity.
        if let cpv = uri.range(of: "/22/"), matches(uri, "^https://id.gs1.org/(01/[0-9]{14}|8006/[0-9]{18})/22/[\(dlCharacters)/]{0,20}$") {
            let rest = uri[cpv.upperBound...]
            uri = String(uri[..<cpv.lowerBound]) + (rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "")
        }
        // A serial identifies more finely than its lot: keep the serial only.
        if matches(uri, "^https://id.gs1.org/(01/[0-9]{14}|8006/[0-9]{18})/10/[\(dlCharacters)]{0,20}/21/[\(dlCharacters)]{0,20}$"),
           let lot = uri.range(of: "/10/"), let serial = uri.range(of: "/21/", range: lot.upperBound..<uri.endIndex) {
            uri = String(uri[..<lot.lowerBound]) + uri[serial.lowerBound...]
        }
        return canonicalForms.contains { matches(uri, $0) } ? uri : nil
    }

    /// More bytes than any of ``canonicalForms`` can match, with room for the 6 that padding a
    /// GTIN-8 adds (the longest form, `8010/…{0,30}/8011/…{0,12}`, is 72 bytes).
    static let longestCanonicalForm = 128

    /// The first test of ``digitalLink(_:)``, `^https?:(//[^/?#]*)?[^?#]*/(KEY)/[0-9]{4}[^/]`
    /// with KEY a primary key's AI or short name, on the bytes: an http(s) URI whose path holds,
    /// before any `?` or `#`, `/KEY/`, four digits and one more character that is not `/`. (The
    /// authority group matches nothing the path part could not, so it needs no test of its own.)
    static func hasKeyPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/")
        var at: Int
        if ByteSearch.hasPrefix(bytes, "https:") { at = 6 } else if ByteSearch.hasPrefix(bytes, "http:") { at = 5 } else { return false }
        while at < bytes.count, bytes[at] != UInt8(ascii: "?"), bytes[at] != UInt8(ascii: "#") {
            defer { at += 1 }
            guard bytes[at] == slash else { continue }
            for key in keyNames where ByteSearch.hasPrefix(bytes, key, at: at + 1) {
                let digits = at + 1 + key.utf8CodeUnitCount + 1
                guard digits + 4 < bytes.count, bytes[digits - 1] == slash,
                      bytes[digits..<(digits + 4)].allSatisfy({ (48...57).contains($0) }), bytes[digits + 4] != slash else { continue }
                return true
            }
        }
        return false
    }

    /// The primary keys' AIs and short names the first test looks for.
    private static let keyNames: [StaticString] = [
        "01", "gtin", "8006", "itip", "8010", "cpid", "414", "gln", "417", "party", "8017", "gsrnp", "8018", "gsrn", "255", "gcn",
        "00", "sscc", "253", "gdti", "401", "ginc", "402", "gsin", "8003", "grai", "8004", "giai",
    ]

    /// Characters a canonical Digital Link value may hold unescaped.
    private static let dlCharacters = #""'\-.0-9;-?A-Z_a-z"#
    private static let canonicalForms: [String] = {
        let c = "[\(dlCharacters)]"
        return [
            "00/[0-9]{18}", "01/[0-9]{14}/21/\(c){0,20}", "01/[0-9]{14}/10/\(c){0,20}", "01/[0-9]{14}", "01/[0-9]{14}/235/\(c){0,28}",
            "253/[0-9]{13}\(c){0,17}", "255/[0-9]{13}[0-9]{0,12}", "401/\(c){0,30}", "402/[0-9]{17}", "414/[0-9]{13}",
            "414/[0-9]{13}/254/\(c){0,20}", "417/[0-9]{13}", "8003/[0-9]{14}\(c){0,16}", "8004/\(c){0,30}",
            "8006/[0-9]{18}/21/\(c){0,20}", "8006/[0-9]{18}/10/\(c){0,20}", "8006/[0-9]{18}",
            "8010/[#\\-/0-9A-Z]{0,30}/8011/[0-9]{0,12}", "8010/[#\\-/0-9A-Z]{0,30}", "8017/[0-9]{18}", "8018/[0-9]{18}",
        ].map { "^https://id.gs1.org/\($0)$" }
    }()

    // MARK: - Pieces

    private static func matches(_ text: String, _ pattern: String) -> Bool {
        guard let regex = RegexCache.regex(pattern) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    private static func digits(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber } }
    private static func isCompanyPrefix(_ text: String) -> Bool { (6...12).contains(text.count) && digits(text) }

    /// GTIN-14 from an EPC company prefix and item reference (indicator digit first).
    private static func gtin(_ companyPrefix: String, _ itemReference: String) -> String? {
        guard isCompanyPrefix(companyPrefix), digits(itemReference), companyPrefix.count + itemReference.count == 13 else { return nil }
        return withCheckDigit(String(itemReference.prefix(1)) + companyPrefix + itemReference.dropFirst())
    }

    /// A key of `length` digits before its check digit: company prefix then reference (which may be empty).
    private static func key(_ companyPrefix: String, _ reference: String, length: Int, prefix: String = "") -> String? {
        guard isCompanyPrefix(companyPrefix), reference.isEmpty || digits(reference), companyPrefix.count + reference.count == length else { return nil }
        return withCheckDigit(prefix + companyPrefix + reference)
    }

    private static func withCheckDigit(_ digits: String) -> String {
        digits + String(GS1CheckDigit.compute(digits) ?? 0)
    }

    /// A value of 1…max characters of GS1 character set 82 as EPC URIs write it (with %-escapes).
    private static func c82(_ text: String, max: Int) -> String? {
        var count = 0
        var index = text.startIndex
        let plain = Set("!')(*+,.0123456789:;=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-")
        while index < text.endIndex {
            if text[index] == "%" {
                let end = text.index(index, offsetBy: 3, limitedBy: text.endIndex) ?? text.endIndex
                guard text.distance(from: index, to: end) == 3, text[text.index(after: index)..<end].allSatisfy(\.isHexDigit) else { return nil }
                index = end
            } else {
                guard plain.contains(text[index]) else { return nil }
                index = text.index(after: index)
            }
            count += 1
        }
        return (1...max).contains(count) ? text : nil
    }

    private static func isCPIReference(_ text: String, max: Int) -> Bool {
        let allowed = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-%abcdef")
        return max >= 1 && (1...max).contains(text.count) && text.allSatisfy { allowed.contains($0) }
    }

    /// Percent-encodes the characters GS1 Digital Link requires escaped that EPC URIs allow.
    private static func encode(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "!": out += "%21"
            case "(": out += "%28"
            case ")": out += "%29"
            case "*": out += "%2A"
            case "+": out += "%2B"
            case ",": out += "%2C"
            case ":": out += "%3A"
            default: out.append(character)
            }
        }
        return out
    }
}

/// Compiled regular expressions, built once per pattern and shared across threads.
enum RegexCache {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: NSRegularExpression] = [:]

    static func regex(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let regex = cache[pattern] { return regex }
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        cache[pattern] = regex
        return regex
    }
}
