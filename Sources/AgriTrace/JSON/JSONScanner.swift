import Foundation

/// A small validating JSON scanner that finds where values start and end without building them.
///
/// Bundles can be large and hostile: the scanner lets the reader split a bundle into its records
/// without decoding the whole document at once, bounds nesting depth (so 10,000 nested arrays
/// are an error, not a stack overflow), and reports the byte offset of the first problem.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    var maxDepth = 64

    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    /// A member of the top-level object: its name, where its value lies, and, when the value is
    /// an array, where each of its elements lies (found in the same pass).
    struct Member {
        var key: String
        var value: Range<Int>
        var elements: [Range<Int>]?
    }

    /// The members of the object that spans the whole input, in one validating pass over it all.
    func topLevelMembers() throws(Failure) -> [Member] {
        var index = skipWhitespace(0)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
            throw Failure(offset: index, reason: "the file is not a JSON object")
        }
        var members: [Member] = []
        let end = try scanObject(at: index, depth: 1, listingElements: true) { key, value, elements in
            members.append(Member(key: string(key) ?? "", value: value, elements: elements))
        }
        index = skipWhitespace(end)
        guard index == bytes.count else { throw Failure(offset: index, reason: "unexpected data after the JSON object") }
        return members
    }

    /// The decoded text of the string value at `range`, or nil when it is not a string.
    func string(_ range: Range<Int>) -> String? {
        guard bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        let inner = UnsafeRawBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
        if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
        return try? JSONDecoder().decode(String.self, from: Data(bytes[range]))
    }

    /// The integer value at `range`, or nil when it is not a plain integer.
    func integer(_ range: Range<Int>) -> Int? {
        Int(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self))
    }

    // MARK: - Scanning

    private func skipWhitespace(_ start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index
            }
        }
        return index
    }

    /// The end of the value that starts at `start`, checked for form but not built.
    func skipValue(at start: Int, depth: Int) throws(Failure) -> Int {
        guard start < bytes.count else { throw Failure(offset: start, reason: "unexpected end of input") }
        switch bytes[start] {
        case UInt8(ascii: "{"): return try scanObject(at: start, depth: depth + 1) { _, _, _ in }
        case UInt8(ascii: "["): return try scanArray(at: start, depth: depth) { _ in }
        case UInt8(ascii: "\""): return try skipString(at: start)
        case UInt8(ascii: "t"): return try literal("true", at: start)
        case UInt8(ascii: "f"): return try literal("false", at: start)
        case UInt8(ascii: "n"): return try literal("null", at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return skipNumber(at: start)
        default: throw Failure(offset: start, reason: "unexpected byte 0x\(String(bytes[start], radix: 16)) where a value should start")
        }
    }

    /// The end of the array that starts at `start`, each element's range handed to `element`.
    private func scanArray(at start: Int, depth: Int, element: (Range<Int>) -> Void) throws(Failure) -> Int {
        guard depth + 1 <= maxDepth else { throw Failure(offset: start, reason: "nesting deeper than \(maxDepth) levels") }
        var index = skipWhitespace(start + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { return index + 1 }
        while true {
            let end = try skipValue(at: index, depth: depth + 1)
            element(index..<end)
            index = skipWhitespace(end)
            guard index < bytes.count else { throw Failure(offset: index, reason: "unterminated array") }
            if bytes[index] == UInt8(ascii: "]") { return index + 1 }
            guard bytes[index] == UInt8(ascii: ",") else { throw Failure(offset: index, reason: "expected , or ] in array") }
            index = skipWhitespace(index + 1)
        }
    }

    /// The end of the object that starts at `start`, each member handed to `member`: the range of
    /// its name (with the quotes), of its value, and with `listingElements`, when the value is an
    /// array, its elements' ranges.
    private func scanObject(at start: Int, depth: Int, listingElements: Bool = false,
                            member: (Range<Int>, Range<Int>, [Range<Int>]?) -> Void) throws(Failure) -> Int {
        guard depth <= maxDepth else { throw Failure(offset: start, reason: "nesting deeper than \(maxDepth) levels") }
        var index = skipWhitespace(start + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return index + 1 }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw Failure(offset: index, reason: "expected a member name in quotes")
            }
            let keyEnd = try skipString(at: index)
            let key = index..<keyEnd
            index = skipWhitespace(keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Failure(offset: index, reason: "expected : after member name") }
            index = skipWhitespace(index + 1)
            let valueEnd: Int, elements: [Range<Int>]?
            if listingElements, index < bytes.count, bytes[index] == UInt8(ascii: "[") {
                var list: [Range<Int>] = []
                valueEnd = try scanArray(at: index, depth: depth) { list.append($0) }
                elements = list
            } else {
                valueEnd = try skipValue(at: index, depth: depth)
                elements = nil
            }
            member(key, index..<valueEnd, elements)
            index = skipWhitespace(valueEnd)
            guard index < bytes.count else { throw Failure(offset: index, reason: "unterminated object") }
            if bytes[index] == UInt8(ascii: "}") { return index + 1 }
            guard bytes[index] == UInt8(ascii: ",") else { throw Failure(offset: index, reason: "expected , or } in object") }
            index = skipWhitespace(index + 1)
        }
    }

    private func skipString(at start: Int) throws(Failure) -> Int {
        // Payloads are long runs of base64: step over eight bytes at a time while none of them
        // is a quote, a backslash or a control character, then look at bytes one by one.
        var index = Self.plainWords(bytes, from: start + 1)
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""): return index + 1
            case UInt8(ascii: "\\"): index += 2
            case 0..<0x20: throw Failure(offset: index, reason: "control character inside a string")
            default: index += 1
            }
        }
        throw Failure(offset: start, reason: "unterminated string")
    }

    /// Where plain string content from `start` on ends, sixteen and eight bytes a step: the index
    /// of the first byte that may end or refuse the string (a quote, a backslash, a control
    /// character; with `asciiOnly`, also a byte above 0x7F), or of the last bytes too few for a
    /// word. The bytes from there on are for the caller to look at one by one; most strings end
    /// inside a word, and then the first of them is the one that stops it.
    static func plainWords(_ bytes: UnsafeRawBufferPointer, from start: Int, asciiOnly: Bool = false) -> Int {
        var index = start
        guard let base = bytes.baseAddress else { return index }
        // Sixteen bytes at a time in one vector register, then eight. With `asciiOnly`, a byte
        // below 0x20 or above 0x7F is one outside 0x20...0x7F, which one subtraction and one
        // compare find; without, a byte above 0x7F is any other for the caller to step over.
        let quote = SIMD16<UInt8>(repeating: 0x22), backslash = SIMD16<UInt8>(repeating: 0x5C), space = SIMD16<UInt8>(repeating: 0x20)
        let lastBlock = bytes.count &- 16  // where the last whole block can start
        if asciiOnly {
            let printable = SIMD16<UInt8>(repeating: 0x60)  // how many bytes 0x20...0x7F are
            while index <= lastBlock {
                let block = base.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                if any((block .== quote) .| (block .== backslash) .| (block &- space .>= printable)) { break }
                index &+= 16
            }
        } else {
            while index <= lastBlock {
                let block = base.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                if any((block .== quote) .| (block .== backslash) .| (block .< space)) { break }
                index &+= 16
            }
        }
        let highs: UInt64 = asciiOnly ? 0x8080_8080_8080_8080 : 0
        while index &+ 8 <= bytes.count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let stops = stopBits(word) | word & highs
            // Each stop's lowest flag is exact, so the lowest of all is the first stop byte (bytes
            // load little-endian: the first byte is the lowest).
            guard stops == 0 else { return index + stops.trailingZeroBitCount / 8 }
            index &+= 8
        }
        return index
    }

    /// The high bit of each of the eight bytes in `word` that is `"`, `\\` or below 0x20 (SWAR: a
    /// byte is flagged by the high bit of `(x - 0x01…) & ~x & 0x80…`, which is exact for a zero
    /// byte). A byte above a flagged one may be flagged too (a borrow runs on into it); the lowest
    /// flag is always exact.
    private static func stopBits(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func zeros(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quote = zeros(word ^ (ones &* 0x22)), backslash = zeros(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs  // bytes below 0x20
        return quote | backslash | control
    }

    private func literal(_ word: StaticString, at start: Int) throws(Failure) -> Int {
        let count = word.utf8CodeUnitCount
        guard start + count <= bytes.count,
              memcmp(bytes.baseAddress! + start, word.utf8Start, count) == 0 else {
            throw Failure(offset: start, reason: "invalid literal")
        }
        return start + count
    }

    private func skipNumber(at start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default: return index
            }
        }
        return index
    }
}
