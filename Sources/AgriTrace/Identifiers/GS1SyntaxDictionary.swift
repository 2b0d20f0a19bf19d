import Foundation

/// GS1's Barcode Syntax Dictionary: for every Application Identifier its format, linters,
/// whether it needs an FNC1 separator, whether a Digital Link may carry it as a data attribute,
/// and its Digital Link key qualifiers. Loaded from the dictionary file GS1 publishes.
public struct GS1SyntaxDictionary: Sendable {
    /// One AI's definition.
    public struct Entry: Sendable {
        public let ai: String
        /// Pre-defined length: no FNC1 separator needed after it.
        public let fixedLength: Bool
        /// May appear in a Digital Link query string.
        public let dataAttribute: Bool
        public let components: [Component]
        /// Nil when the AI is not a Digital Link primary key; else the alternative ordered
        /// qualifier sequences (an empty list for a key that takes none).
        public let qualifierSequences: [[String]]?
        public let title: String

        public var isPrimaryKey: Bool { qualifierSequences != nil }
    }

    /// One component of an AI's data field: character set, length range, optional, linters.
    public struct Component: Sendable {
        public let charset: Character  // N, X, Y, Z
        public let minLength: Int
        public let maxLength: Int
        public let optional: Bool
        public let linters: [String]
    }

    public let entries: [String: Entry]

    /// The dictionary shipped with AgriTrace, inside the binary (GS1SyntaxDictionary+Text.swift):
    /// a verifier copied alone still reads labels.
    public static let shared = GS1SyntaxDictionary(text: text)

    init(entries: [String: Entry]) { self.entries = entries }

    /// Parses the dictionary's text format.
    public init(text: String) {
        var entries: [String: Entry] = [:]
        for rawLine in text.split(separator: "\n") {
            let parts = rawLine.split(separator: "#", maxSplits: 1)
            guard let definition = parts.first, !rawLine.hasPrefix("#") else { continue }
            let title = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            var tokens = definition.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !tokens.isEmpty else { continue }
            let range = tokens.removeFirst()
            var flags = ""
            if let first = tokens.first, first.allSatisfy({ "*?!\"$%&'()+,-./:;<=>@[\\]^_`{|}~".contains($0) }) { flags = tokens.removeFirst() }
            var components: [Component] = []
            var qualifiers: [[String]]?
            for token in tokens {
                if token == "dlpkey" { qualifiers = [[]]; continue }
                if token.hasPrefix("dlpkey=") {
                    qualifiers = token.dropFirst(7).split(separator: "|").map { $0.split(separator: ",").map(String.init) }
                    continue
                }
                if token.contains("=") { continue }  // req= / ex= rules
                if let component = Self.component(token) { components.append(component) }
            }
            for ai in Self.expand(range) {
                entries[ai] = Entry(ai: ai, fixedLength: flags.contains("*"), dataAttribute: flags.contains("?"), components: components,
                                    qualifierSequences: qualifiers, title: title)
            }
        }
        self.entries = entries
    }

    /// `N14,csum,gcppos2`, `[X..17]` or `[N6],yymmdd` (optional, the brackets around the format
    /// only: AI 7007's second date, AI 423's further countries) as a component.
    private static func component(_ token: String) -> Component? {
        let pieces = token.split(separator: ",")
        guard var format = pieces.first else { return nil }
        let optional = format.hasPrefix("[") && format.hasSuffix("]")
        if optional { format = format.dropFirst().dropLast() }
        guard let charset = format.first, "NXYZ".contains(charset) else { return nil }
        let length = format.dropFirst()
        let (min, max): (Int, Int)
        if length.hasPrefix("..") {
            guard let value = Int(length.dropFirst(2)) else { return nil }
            (min, max) = (1, value)
        } else {
            guard let value = Int(length) else { return nil }
            (min, max) = (value, value)
        }
        return Component(charset: charset, minLength: min, maxLength: max, optional: optional, linters: pieces.dropFirst().map(String.init))
    }

    /// `3100-3105` as its AIs; a single AI as itself.
    private static func expand(_ range: String) -> [String] {
        let ends = range.split(separator: "-").map(String.init)
        guard ends.count == 2, let low = Int(ends[0]), let high = Int(ends[1]), low <= high, ends[0].count == ends[1].count else { return [range] }
        return (low...high).map { String(format: "%0\(ends[0].count)d", $0) }
    }

    /// Whether `value` is valid data for `ai`: lengths, character sets and the linters AgriTrace implements.
    public func validate(_ value: String, for ai: String) -> String? {
        guard let entry = entries[ai] else { return "AI (\(ai)) is unknown" }
        var rest = Substring(value)
        for component in entry.components {
            if rest.isEmpty && component.optional { break }
            let take = min(component.maxLength, rest.count)
            guard take >= component.minLength else { return "AI (\(ai)): \"\(value)\" is too short" }
            let part = rest.prefix(take)
            rest = rest.dropFirst(take)
            guard part.allSatisfy({ Self.isInCharset($0, component.charset) }) else {
                return "AI (\(ai)): \"\(value)\" has characters outside its character set"
            }
            for linter in component.linters {
                if let problem = Self.lint(linter, String(part)) { return "AI (\(ai)): \"\(value)\" \(problem)" }
            }
        }
        return rest.isEmpty ? nil : "AI (\(ai)): \"\(value)\" is too long"
    }

    static func isInCharset(_ character: Character, _ charset: Character) -> Bool {
        guard character.isASCII, let byte = character.asciiValue else { return false }
        switch charset {
        case "N": return (48...57).contains(byte)
        case "X": return "!\"%&'()*+,-./:;<=>?_".contains(character) || character.isLetter || character.isNumber
        case "Y": return "#-/".contains(character) || (48...57).contains(byte) || (65...90).contains(byte)
        case "Z": return "-_".contains(character) || character.isLetter || character.isNumber
        default: return false
        }
    }

    /// Days in `month` (1…12) of `year`, as the Gregorian calendar counts them.
    static func daysIn(_ month: Int, year: Int) -> Int {
        guard month == 2 else { return [4, 6, 9, 11].contains(month) ? 30 : 31 }
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    }

    /// The content checks AgriTrace implements; others (company prefix positions, code lists) pass.
    static func lint(_ linter: String, _ value: String) -> String? {
        let digits = value.compactMap(\.wholeNumberValue)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= digits.count else { return nil }
            return digits[range].reduce(0) { $0 * 10 + $1 }
        }
        switch linter {
        case "csum": return GS1CheckDigit.isValid(value) ? nil : "has a wrong check digit"
        case "yymmd0", "yymmdd":
            // A two-digit year's century is never in doubt for leap days: 2000 was one.
            guard let year = number(0..<2), let month = number(2..<4), let day = number(4..<6), (1...12).contains(month),
                  (linter == "yymmd0" ? 0 : 1) <= day, day <= daysIn(month, year: 2000 + year) else { return "is not a valid YYMMDD date" }
            return nil
        case "yyyymmdd":
            guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), (1...12).contains(month),
                  (1...daysIn(month, year: year)).contains(day) else { return "is not a valid YYYYMMDD date" }
            return nil
        case "hhmi": return (number(0..<2).map { $0 < 24 } ?? false) && (number(2..<4).map { $0 < 60 } ?? false) ? nil : "is not a valid HHMI time"
        case "hh": return (number(0..<2).map { $0 < 24 } ?? false) ? nil : "is not a valid hour"
        case "mi", "ss": return (number(0..<2).map { $0 < 60 } ?? false) ? nil : "is not valid minutes or seconds"
        case "nonzero": return digits.contains { $0 != 0 } ? nil : "must not be zero"
        case "zero": return digits.allSatisfy { $0 == 0 } ? nil : "must be zero"
        case "nozeroprefix": return value.count > 1 && value.hasPrefix("0") ? "must not start with zero" : nil
        case "yesno": return value == "0" || value == "1" ? nil : "must be 0 or 1"
        case "pcenc":
            var index = value.startIndex
            while let percent = value[index...].firstIndex(of: "%") {
                let end = value.index(percent, offsetBy: 3, limitedBy: value.endIndex) ?? value.endIndex
                guard value.distance(from: percent, to: end) == 3, value[value.index(after: percent)..<end].allSatisfy(\.isHexDigit) else {
                    return "has an invalid percent-encoding"
                }
                index = end
            }
            return nil
        case "hasnondigit": return value.contains { !$0.isNumber } ? nil : "must contain a non-digit"
        default: return nil
        }
    }
}
