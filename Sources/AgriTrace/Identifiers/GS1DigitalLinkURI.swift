import Foundation

/// GS1 Digital Link URIs in full, by the rules of GS1's syntax engine, driven by the
/// ``GS1SyntaxDictionary``: a primary key and its ordered qualifiers in the path (after any
/// path prefix), data attributes in the query, every value checked against its AI's format.
public struct GS1DigitalLinkURI: Sendable, Equatable {
    /// The AIs and values, path first, then query, in order.
    public var elements: [(ai: String, value: String)]

    public static func == (a: Self, b: Self) -> Bool { a.elements.elementsEqual(b.elements) { $0 == $1 } }

    public init(elements: [(ai: String, value: String)]) { self.elements = elements }

    /// The element string, with `^` for FNC1 before the data and after every variable-length AI
    /// that is followed by another.
    public func elementString(dictionary: GS1SyntaxDictionary = .shared) -> String {
        var out = "^"
        for (index, element) in elements.enumerated() {
            out += element.ai + element.value
            if index + 1 < elements.count, dictionary.entries[element.ai]?.fixedLength != true { out += "^" }
        }
        return out
    }

    // MARK: - Parsing

    /// Parses a Digital Link URI; errors name the offending AI or position.
    public init(parsing uri: String, dictionary: GS1SyntaxDictionary = .shared) throws {
        func fail(_ why: String) -> TraceError { TraceError(.identifierInvalid, "Digital Link \"\(uri.prefix(120))\": \(why)") }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")
        if let bad = uri.firstIndex(where: { !allowed.contains($0) }) {
            throw fail("character \"\(uri[bad])\" at position \(uri.distance(from: uri.startIndex, to: bad)) is not allowed in a URI")
        }
        var rest = Substring(uri)
        for scheme in ["https://", "http://", "HTTPS://", "HTTP://"] where rest.hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            break
        }
        guard rest.count < uri.count else { throw fail("it must start with http:// or https://") }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw fail("it has no path") }
        let host = rest[..<slash]
        guard Self.isValidHost(host) else { throw fail("host \"\(host)\" is not a valid domain name or address") }
        let segments = rest[rest.index(after: slash)...].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard segments.last != "" else { throw fail("it must not end with /") }

        // Walk pairs from the right until a primary key: what follows it are its qualifiers.
        var pairs: [(String, String)] = []
        var index = segments.count - 2
        var key: (String, String)?
        while index >= 0 {
            let ai = segments[index], value = segments[index + 1]
            if dictionary.entries[ai]?.isPrimaryKey == true { key = (ai, value); break }
            pairs.insert((ai, value), at: 0)
            index -= 2
        }
        guard let key, let entry = dictionary.entries[key.0], let sequences = entry.qualifierSequences else { throw fail("its path holds no GS1 primary key") }
        var elements = [(ai: key.0, value: try Self.decoded(key.1, ai: key.0, query: false, fail: fail))]
        let qualifierAIs = pairs.map(\.0)
        let consistent = sequences.filter { sequence in Self.isOrderedSubsequence(qualifierAIs, of: sequence) }
        guard !consistent.isEmpty else {
            throw fail("path AIs \(qualifierAIs.map { "(\($0))" }.joined()) are not qualifiers of (\(key.0)) in a valid order")
        }
        for (ai, value) in pairs { elements.append((ai, try Self.decoded(value, ai: ai, query: false, fail: fail))) }

        for parameter in query.split(separator: "&") where !parameter.isEmpty {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }  // non-AI parameters are ignored
            guard let attribute = dictionary.entries[name] else { throw fail("query parameter \(name) is not a known AI") }
            guard parts.count == 2, !parts[1].isEmpty else { throw fail("AI (\(name)) in the query has no value") }
            guard attribute.dataAttribute else { throw fail("AI (\(name)) may not be a Digital Link data attribute") }
            if consistent.contains(where: { $0.contains(name) }) { throw fail("AI (\(name)) belongs in the path, as a qualifier of (\(key.0))") }
            elements.append((name, try Self.decoded(String(parts[1]), ai: name, query: true, fail: fail)))
        }
        var seen = Set<String>()
        for element in elements where !seen.insert(element.ai).inserted { throw fail("AI (\(element.ai)) appears more than once") }
        self.elements = elements
    }

    private static func decoded(_ raw: String, ai: String, query: Bool, fail: (String) -> TraceError,
                                dictionary: GS1SyntaxDictionary = .shared) throws -> String {
        guard !raw.isEmpty else { throw fail("AI (\(ai)) has an empty value") }
        let value = unescape(raw, query: query)
        guard !value.unicodeScalars.contains(where: { $0.value == 0 }) else { throw fail("AI (\(ai)) holds %00") }
        if let problem = dictionary.validate(value, for: ai) { throw fail(problem) }
        return value
    }

    private static func isOrderedSubsequence(_ items: [String], of sequence: [String]) -> Bool {
        var position = sequence.startIndex
        for item in items {
            guard let found = sequence[position...].firstIndex(of: item) else { return false }
            position = found + 1
        }
        return true
    }

    private static func isValidHost(_ host: Substring) -> Bool {
        var name = host
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return false }
            let literal = name[name.index(after: name.startIndex)..<close]
            guard !literal.isEmpty, literal.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
            name = name[name.index(after: close)...]
            return name.isEmpty || (name.hasPrefix(":") && name.dropFirst().allSatisfy(\.isNumber))
        }
        if let colon = name.lastIndex(of: ":") {
            guard name[name.index(after: colon)...].allSatisfy(\.isNumber) else { return false }
            name = name[..<colon]
        }
        return !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    // MARK: - Generating

    /// Makes the URI for element strings given as `(AI)value…`, on `stem` (default `https://id.gs1.org`).
    public static func generate(bracketed: String, stem: String? = nil, dictionary: GS1SyntaxDictionary = .shared) throws -> String {
        try generate(elements: try parseBracketed(bracketed), stem: stem, dictionary: dictionary)
    }

    /// Makes the URI for a list of AIs and values.
    public static func generate(elements input: [(ai: String, value: String)], stem: String? = nil,
                                dictionary: GS1SyntaxDictionary = .shared) throws -> String {
        var elements: [(ai: String, value: String)] = []
        for element in input {
            if let existing = elements.first(where: { $0.ai == element.ai }) {
                guard existing.value == element.value else { throw TraceError(.identifierInvalid, "AI (\(element.ai)) is given twice with different values") }
                continue
            }
            if let problem = dictionary.validate(element.value, for: element.ai) { throw TraceError(.identifierInvalid, problem) }
            elements.append(element)
        }
        guard let key = elements.first(where: { dictionary.entries[$0.ai]?.isPrimaryKey == true }),
              let sequences = dictionary.entries[key.ai]?.qualifierSequences else {
            throw TraceError(.identifierInvalid, "no GS1 Digital Link primary key among \(elements.map { "(\($0.ai))" }.joined())")
        }
        let present = Set(elements.map(\.ai))
        let usable = sequences.filter { !Set($0).intersection(present).isEmpty }
        let allQualifiers = Set(sequences.flatMap { $0 })
        let used = present.intersection(allQualifiers)
        guard used.isEmpty || usable.contains(where: { used.isSubset(of: Set($0)) }) else {
            throw TraceError(.identifierInvalid, "qualifiers \(used.sorted().map { "(\($0))" }.joined()) of (\(key.ai)) cannot be combined")
        }
        let sequence = usable.first { used.isSubset(of: Set($0)) } ?? []
        var base = stem ?? DigitalLink.gs1Domain
        while base.hasSuffix("/") { base.removeLast() }
        var uri = base + "/" + key.ai + "/" + escape(key.value, query: false)
        for ai in sequence { if let element = elements.first(where: { $0.ai == ai }) { uri += "/" + ai + "/" + escape(element.value, query: false) } }
        let inPath = Set([key.ai] + sequence)
        let attributes = elements.filter { !inPath.contains($0.ai) }
        for element in attributes where dictionary.entries[element.ai]?.dataAttribute != true {
            throw TraceError(.identifierInvalid, "AI (\(element.ai)) cannot be carried in a Digital Link")
        }
        // Fixed-length AIs come first in the query, then the others, each in the given order.
        let ordered = attributes.filter { dictionary.entries[$0.ai]?.fixedLength == true } + attributes.filter { dictionary.entries[$0.ai]?.fixedLength != true }
        if !ordered.isEmpty { uri += "?" + ordered.map { "\($0.ai)=\(escape($0.value, query: true))" }.joined(separator: "&") }
        return uri
    }

    /// `(01)123…(10)ABC` as elements.
    public static func parseBracketed(_ text: String) throws -> [(ai: String, value: String)] {
        var elements: [(String, String)] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            guard rest.first == "(", let close = rest.firstIndex(of: ")") else { throw TraceError(.identifierInvalid, "\"\(text)\" is not in (AI)value form") }
            let ai = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            let end = rest.firstIndex(of: "(") ?? rest.endIndex
            elements.append((ai, String(rest[..<end])))
            rest = rest[end...]
        }
        return elements
    }

    // MARK: - Escaping

    /// Percent-encodes all but `A-Za-z0-9-._~`; in a query a space becomes `+`.
    public static func escape(_ value: String, query: Bool) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: " ") where query: out.append("+")
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// Decodes `%XX` (each byte as the code point of the same value); invalid escapes stay as
    /// they are; in a query `+` is a space.
    public static func unescape(_ text: String, query: Bool) -> String {
        var scalars = String.UnicodeScalarView()
        let bytes = Array(text.unicodeScalars)
        var index = 0
        func hex(_ scalar: Unicode.Scalar) -> UInt32? {
            switch scalar {
            case "0"..."9": scalar.value - 48
            case "a"..."f": scalar.value - 87
            case "A"..."F": scalar.value - 55
            default: nil
            }
        }
        while index < bytes.count {
            let scalar = bytes[index]
            if scalar == "%", index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]),
               let decoded = Unicode.Scalar(high << 4 | low) {
                scalars.append(decoded)
                index += 3
            } else {
                scalars.append(query && scalar == "+" ? " " : scalar)
                index += 1
            }
        }
        return String(scalars)
    }
}
