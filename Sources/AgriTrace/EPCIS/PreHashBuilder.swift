import Foundation
import TraceCrypto

/// Builds the pre-hash string from a ``PreHashNode`` tree: the fields of ``PreHashOrder`` first,
/// with canonical values, then everything else (ILMD, sources, destinations, transactions,
/// extensions) as sorted `name=value` runs.
enum PreHashBuilder {
    /// The pre-hash is written into one byte buffer; only fields whose runs must be sorted are
    /// first written apart.
    typealias Output = [UInt8]

    /// An empty run with room for a typical one (a field with a Digital Link or two), so that
    /// writing it does not grow the buffer step by step.
    static func emptyRun() -> Output {
        var run = Output()
        run.reserveCapacity(256)
        return run
    }

    static func preHash(of event: PreHashNode) throws -> String {
        var out = Output()
        out.reserveCapacity(2048)
        out.append(utf8Of: "eventType=")
        out.append(utf8Of: event.name)
        var children = event.children
        try inOrder(&children, PreHashOrder.event, into: &out)
        let rest = children.filter { $0.isPair || !isIgnoredAtTop($0.name) }
        if !rest.isEmpty { try generic(rest, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isIgnoredAtTop(_ name: String) -> Bool {
        name == "recordTime" || name == "eventID" || name == "type" || name == "errorDeclaration"
    }

    /// The fields named by `order`, consuming the leaves it uses from `list`.
    private static func inOrder(_ list: inout [PreHashNode], _ order: [(String, PreHashOrder)], into out: inout Output) throws {
        let extensions = takeUserExtensions(&list)
        // Lists are short (a few dozen fields at most): scanning beats building a dictionary.
        var consumed = [Bool](repeating: false, count: list.count)
        var matches: [Int] = []
        for (name, subOrder) in order {
            matches.removeAll(keepingCapacity: true)
            for index in list.indices where !list[index].isPair && list[index].name == name {
                matches.append(index)
            }
            if matches.count == 1 {
                try field(&list[matches[0]], subOrder, into: &out)
            } else if matches.count > 1 {
                // Several fields of one name (epcs, quantity elements): their runs in code point order.
                try appendSorted(matches, into: &out) { index, run in try field(&list[index], subOrder, into: &run) }
            }
            for index in matches where list[index].children.isEmpty { consumed[index] = true }
        }
        if consumed.contains(true) {
            var kept: [PreHashNode] = []
            kept.reserveCapacity(list.count)
            for index in list.indices where !consumed[index] { kept.append(list[index]) }
            list = kept
        }
        if !extensions.isEmpty { try generic(extensions, into: &out) }
    }

    /// `name=value` and the ordered children of one field; nothing at all when both are empty.
    static func field(_ node: inout PreHashNode, _ order: PreHashOrder, into out: inout Output) throws {
        let start = out.count
        out.append(utf8Of: node.name)
        var wroteText = false
        let value = try fieldValue(node.text, isTime: isTimeName(node.name))
        if !value.isEmpty {
            out.append(UInt8(ascii: "="))
            out.append(utf8Of: value)
            wroteText = true
        }
        let nested = out.count
        if case .children(let subOrder) = order { try inOrder(&node.children, subOrder, into: &out) }
        if !wroteText, out.count == nested { out.removeSubrange(start...) }
    }

    /// The value an ordered field writes after `=` (nothing when empty): times as UTC
    /// milliseconds, everything else in canonical form.
    static func fieldValue(_ text: String, isTime: Bool) throws -> String {
        guard !text.isEmpty else { return "" }
        let text = PreHashValue.stripped(text)
        return isTime ? try PreHashValue.timestamp(text) : try PreHashValue.canonical(text)
    }

    /// Ordered fields whose value is a time: the name says `time` and not `offset`.
    static func isTimeName(_ name: String) -> Bool {
        PreHashValue.containsIgnoringCase(name, "time") && !PreHashValue.containsIgnoringCase(name, "offset")
    }

    /// Children in a namespace (`{https://…/}name`) of a nested field, which go after its ordered fields.
    private static func takeUserExtensions(_ list: inout [PreHashNode]) -> [PreHashNode] {
        guard list.count > 1, !list.contains(where: { !$0.isPair && (PreHashValue.contains($0.name, "eventTime") || PreHashValue.contains($0.name, "action")) }) else {
            return []
        }
        let isExtension = { (node: PreHashNode) in !node.isPair && PreHashValue.contains(node.name, "/}") && node.name.utf8.contains(UInt8(ascii: "{")) }
        guard list.contains(where: isExtension) else { return [] }
        let extensions = list.filter(isExtension)
        list.removeAll(where: isExtension)
        return extensions
    }

    /// `name=value` runs for any subtree, sorted unless they are a source, destination or transaction.
    static func generic(_ children: [PreHashNode], into out: inout Output) throws {
        let keepOrder = children.contains { !$0.isPair && PreHashNode.isUnsortedKey($0.name) }
        guard children.count > 1, !keepOrder else {
            for child in children { try run(of: child, into: &out) }
            return
        }
        try appendSorted(children, into: &out) { child, run in try self.run(of: child, into: &run) }
    }

    /// Each item's run, in code point (byte) order: written one after another, then put in order
    /// (``SortedRuns``). `write` appends its item's run to the buffer it is given, and may remove
    /// only what it appended.
    static func appendSorted<Item>(_ items: [Item], into out: inout Output,
                                           _ write: (Item, inout Output) throws -> Void) throws {
        if items.count == 1, let item = items.first { return try write(item, &out) }  // one run: nothing to sort
        var runs = SortedRuns(startingAt: out, count: items.count)
        for item in items {
            try write(item, &out)
            runs.endRun(out)
        }
        runs.sort(&out)
    }

    /// One child's run: a pair's two runs, or `name[=value]` and its own children's runs.
    static func run(of child: PreHashNode, into out: inout Output) throws {
        if child.isPair {
            try generic(child.children, into: &out)
            return
        }
        out.append(utf8Of: child.name)
        try runValue(child.text, into: &out)
        try generic(child.children, into: &out)
    }

    /// `=value` of a run, in canonical form; nothing for text that is empty once stripped.
    static func runValue(_ text: String, into out: inout Output) throws {
        let text = PreHashValue.stripped(text)
        if !text.isEmpty {
            out.append(UInt8(ascii: "="))
            try out.append(utf8Of: PreHashValue.canonical(text))
        }
    }
}

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

    /// A time as UTC with exactly three decimals and `Z`; text that is no time stays as it is.
    static func timestamp(_ text: String) throws -> String {
        guard let utc = try utcParts(of: text) else { return text }
        return CivilCalendar.timestampText(year: utc.year, month: utc.month, day: utc.day, secondOfDay: utc.secondOfDay, millis: utc.millis, suffix: "Z")
    }

    /// ``timestamp(_:)`` of a time, appended to `out` after `=`, without making a string of it;
    /// false, nothing appended, for text that is no time.
    static func appendTimestamp(_ text: String, into out: inout [UInt8]) throws -> Bool {
        guard let utc = try utcParts(of: text) else { return false }
        out.append(UInt8(ascii: "="))
        CivilCalendar.appendTimestamp(year: utc.year, month: utc.month, day: utc.day, secondOfDay: utc.secondOfDay, millis: utc.millis,
                                      suffix: "Z", into: &out)
        return true
    }

    /// The UTC date, second of the day and milliseconds of a time (rounded as the reference
    /// rounds); nil for text that is no time.
    private static func utcParts(of text: String) throws -> (year: Int, month: Int, day: Int, secondOfDay: Int, millis: Int)? {
        guard let (seconds, micros) = parseISO8601(text) else { return nil }
        var millis = micros / 1000
        let remainder = micros % 1000
        if remainder > 500 || (remainder == 500 && millis % 2 == 1) { millis += 1 }  // Python rounds half to even
        guard millis < 1000 else {
            throw TraceError("epcis.hashUnsupported", "the time \(text.prefix(40)) rounds up to a full second, which the reference algorithm rejects")
        }
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let (year, month, day) = CivilCalendar.date(days: days)
        return (year, month, day, seconds - days * 86_400, millis)
    }

    /// Seconds since 1970 (UTC) and microseconds of an ISO 8601 date-time, in the forms GS1's
    /// reference reads deterministically (Python's `dateutil.parser`): `YYYY-MM-DD` or `YYYYMMDD`,
    /// then `T`, `t` or a space and `HH[:MM[:SS[.fff…]]]` or `HHMM[SS]` (a comma may stand for the
    /// point), then `Z`, `UTC`, `GMT`, `±HH`, `±HHMM` or `±HH:MM`, a space allowed before it. A
    /// time without a zone is taken as UTC (the reference takes its machine's zone). Nil for
    /// anything else, or a day the month does not have: the reference then leaves the text as it is.
    static func parseISO8601(_ text: String) -> (Int, Int)? {
        return text.withUTF8Bytes { bytes in
            var reader = TimestampReader(bytes: bytes)
            return reader.read()
        }
    }
}

/// The cursor ``PreHashValue/parseISO8601(_:)`` reads a date-time with.
private struct TimestampReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func read() -> (Int, Int)? {
        guard let year = number(4) else { return nil }
        let extended = skip(UInt8(ascii: "-"))
        guard let month = number(2), !extended || skip(UInt8(ascii: "-")), let day = number(2),
              (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0, micros = 0
        if at + 1 < bytes.count, bytes[at] == UInt8(ascii: "T") || bytes[at] == UInt8(ascii: "t") || bytes[at] == UInt8(ascii: " "), isDigit(bytes[at + 1]) {
            at += 1
            guard let h = number(2), h < 24 else { return nil }
            hour = h
            let colons = skip(UInt8(ascii: ":"))
            if colons || (at < bytes.count && isDigit(bytes[at])) {
                guard let m = number(2), m < 60 else { return nil }
                minute = m
                if colons ? skip(UInt8(ascii: ":")) : (at < bytes.count && isDigit(bytes[at])) {
                    guard let s = number(2), s < 60 else { return nil }
                    second = s
                    if skip(UInt8(ascii: ".")) || skip(UInt8(ascii: ",")) {
                        guard let fraction = fractionMicros() else { return nil }
                        micros = fraction
                    }
                }
            }
        }
        guard let offset = zone(), at == bytes.count else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        return (days * 86_400 + hour * 3600 + minute * 60 + second - offset, micros)
    }

    /// The zone's offset east of UTC in seconds: 0 for none, `Z`, `UTC` or `GMT`.
    private mutating func zone() -> Int? {
        if at < bytes.count, bytes[at] == UInt8(ascii: " "), at + 1 < bytes.count { at += 1 }
        guard at < bytes.count else { return 0 }
        if skip(UInt8(ascii: "Z")) || skip(UInt8(ascii: "z")) || skipWord("UTC") || skipWord("GMT") { return 0 }
        let sign = bytes[at]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        at += 1
        guard let hours = number(2), hours < 24 else { return nil }
        var minutes = 0
        if at < bytes.count {
            _ = skip(UInt8(ascii: ":"))
            guard let m = number(2), m < 60 else { return nil }
            minutes = m
        }
        return (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
    }

    /// Microseconds of the digits after the point: the first six, the rest dropped.
    private mutating func fractionMicros() -> Int? {
        var micros = 0, digits = 0
        while at < bytes.count, isDigit(bytes[at]) {
            if digits < 6 { micros = micros * 10 + Int(bytes[at] - 48) }
            digits += 1
            at += 1
        }
        guard digits > 0 else { return nil }
        for _ in digits..<max(digits, 6) { micros *= 10 }
        return micros
    }

    private mutating func number(_ count: Int) -> Int? {
        guard at + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[at..<(at + count)] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        at += count
        return value
    }

    private mutating func skip(_ byte: UInt8) -> Bool {
        guard at < bytes.count, bytes[at] == byte else { return false }
        at += 1
        return true
    }

    private mutating func skipWord(_ word: StaticString) -> Bool {
        guard ByteSearch.hasPrefix(bytes, word, at: at), at + word.utf8CodeUnitCount == bytes.count else { return false }
        at += word.utf8CodeUnitCount
        return true
    }

    private func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
}
