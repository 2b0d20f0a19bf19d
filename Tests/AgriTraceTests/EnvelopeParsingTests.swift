import Foundation
import Testing
@testable import AgriTrace

/// ``Envelope/parse(_:)`` reads the compact form AgriTrace writes in one pass and every other
/// form in full: both must read the same envelope, and refuse the same broken ones.
@Suite("Envelope parsing")
struct EnvelopeParsingTests {
    static var records: [Envelope] {
        let pki = Fixtures.pki
        return (try? CleanSample.allCases.flatMap { try $0.make(pki: pki).records }) ?? []
    }

    @Test("every sample record's compact JSON is read in one pass, as the full parse reads it")
    func compactAgrees() throws {
        let records = Self.records
        #expect(records.count > 30)
        for record in records {
            let json = record.jsonBytes()
            #expect(Envelope.parseCompact(json) == record)
            #expect(try Envelope.parseAnyForm(json) == record)
        }
        // Another payload type, or one that only starts as AgriTrace's, is read as it is.
        for type in ["application/vnd.gs1.epcis+json", Envelope.eventPayloadType + "2", "application/vnd.agritrace.event"] {
            var other = try #require(records.first)
            other.payloadType = type
            #expect(Envelope.parseCompact(other.jsonBytes())?.payloadType == type)
            #expect(Envelope.parseCompact(other.jsonBytes()) == (try Envelope.parseAnyForm(other.jsonBytes())))
        }
    }

    @Test("an envelope's JSON is JSONEncoder's, and its base64 Foundation's, for payloads of every length mod 3")
    func writtenAsJSONEncoderWrites() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for record in Self.records {
            #expect(record.jsonBytes() == (try encoder.encode(record)))
        }
        for length in [0, 1, 2, 3, 4, 5, 6, 7, 64, 65, 66, 1000, 1001, 1002] {
            let payload = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 167 &+ 13) })
            var writer = CanonicalJSONWriter()
            writer.base64String(payload)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"" + payload.base64EncodedString() + "\"", "length \(length)")
            let envelope = Envelope(payload: payload, signatures: [.init(keyid: "k", sig: Data(payload.prefix(length % 7)))])
            #expect(envelope.jsonBytes() == (try encoder.encode(envelope)), "length \(length)")
        }
    }

    @Test("any other form goes to the full parse, which reads it or refuses it with the same code", arguments: [
        "spaces", "other order", "escaped slash", "URL-safe base64", "no signatures", "two signatures", "extra member",
        "trailing bytes", "truncated", "not base64", "non-ASCII keyid", "missing keyid", "escape in base64", "quote in base64",
    ])
    func otherForms(form: String) throws {
        let record = Self.records[0]
        let payload = record.payload.base64EncodedString(), sig = record.signatures[0].sig.base64EncodedString()
        let keyid = record.signatures[0].keyid
        let text: String
        switch form {
        case "spaces": text = #"{ "payload": "\#(payload)", "payloadType": "\#(record.payloadType)", "signatures": [{"keyid": "\#(keyid)", "sig": "\#(sig)"}] }"#
        case "other order": text = #"{"payloadType":"\#(record.payloadType)","payload":"\#(payload)","signatures":[{"sig":"\#(sig)","keyid":"\#(keyid)"}]}"#
        case "escaped slash": text = #"{"payload":"\#(payload)","payloadType":"application\/vnd.agritrace.event+json","signatures":[{"keyid":"\#(keyid)","sig":"\#(sig)"}]}"#
        case "URL-safe base64":
            // Always holding both URL-safe characters: a random signature's base64 may hold neither.
            let urlSafe = "-_" + sig.dropFirst(2).replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            text = #"{"payload":"\#(payload)","payloadType":"\#(record.payloadType)","signatures":[{"keyid":"\#(keyid)","sig":"\#(urlSafe)"}]}"#
        case "no signatures": text = #"{"payload":"\#(payload)","payloadType":"\#(record.payloadType)","signatures":[]}"#
        case "two signatures": text = #"{"payload":"\#(payload)","payloadType":"\#(record.payloadType)","signatures":[{"keyid":"a","sig":"\#(sig)"},{"keyid":"b","sig":"\#(sig)"}]}"#
        case "extra member": text = #"{"payload":"\#(payload)","payloadType":"\#(record.payloadType)","signatures":[{"keyid":"\#(keyid)","sig":"\#(sig)"}],"x":1}"#
        case "trailing bytes": text = String(decoding: record.jsonBytes(), as: UTF8.self) + "x"
        case "truncated": text = String(String(decoding: record.jsonBytes(), as: UTF8.self).dropLast(3))
        case "not base64": text = #"{"payload":"\#(payload)","payloadType":"\#(record.payloadType)","signatures":[{"keyid":"\#(keyid)","sig":"%%%"}]}"#
        case "escape in base64":  // the same signature, its first character written as a \u escape
            let first = String(format: "\\u%04X", Int(sig.utf8.first ?? 0))
            text = #"{"payload":"\#(payload)","payloadType":"\#(record.payloadType)","signatures":[{"keyid":"\#(keyid)","sig":"\#(first)\#(sig.dropFirst())"}]}"#
        case "quote in base64":  // an escaped quote: the string goes on past it
            text = #"{"payload":"\#(payload)","payloadType":"\#(record.payloadType)","signatures":[{"keyid":"\#(keyid)","sig":"\#(sig.prefix(4))\"\#(sig.dropFirst(4))"}]}"#
        case "non-ASCII keyid": text = #"{"payload":"\#(payload)","payloadType":"\#(record.payloadType)","signatures":[{"keyid":"Mật","sig":"\#(sig)"}]}"#
        default: text = #"{"payload":"\#(payload)","payloadType":"\#(record.payloadType)","signatures":[{"sig":"\#(sig)"}]}"#
        }
        let json = Data(text.utf8)
        let full = Result { try Envelope.parseAnyForm(json) }
        let parsed = Result { try Envelope.parse(json) }
        if let compact = Envelope.parseCompact(json) {
            #expect(form == "two signatures")  // the only one of these in the compact form
            #expect(compact == (try full.get()))
        }
        switch (full, parsed) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a), .failure(let b)): #expect((a as? TraceError)?.code == (b as? TraceError)?.code)
        default: Issue.record("the full parse gave \(full), parse gave \(parsed)")
        }
        if ["trailing bytes", "truncated", "not base64", "quote in base64"].contains(form) {
            #expect((try? parsed.get()) == nil)
        }
        if form == "escape in base64" { #expect(try parsed.get() == record) }
    }
}

/// The bundle scanner steps over string content eight bytes at a time: a quote, backslash or
/// control character at any position of such a step must still be seen.
@Suite("Bundle scanner")
struct JSONScannerTests {
    func members(_ text: [UInt8]) -> Result<[JSONScanner.Member], JSONScanner.Failure> {
        text.withUnsafeBytes { bytes in Result { () throws(JSONScanner.Failure) in try JSONScanner(bytes: bytes).topLevelMembers() } }
    }

    @Test("a string ends at its first unescaped quote, at every offset")
    func quotesAtEveryOffset() throws {
        for length in 0..<40 {
            let value = String(repeating: "A", count: length)
            let text = Array(#"{"a":"\#(value)","b":"\#(value)x"}"#.utf8)
            let found = try members(text).get()
            #expect(found.map(\.key) == ["a", "b"])
            #expect(found.first?.value.count == length + 2)
        }
    }

    @Test("a top-level array's elements are listed in the same pass, a nested array's and any other value's not")
    func elementsListed() throws {
        let text = #"{"r": [ {"a": [1, 2]}, "x,]" ,[3],4 ], "n": {"r": [5]}, "s": "[6]", "e": []}"#
        let found = try members(Array(text.utf8)).get()
        let bytes = Array(text.utf8)
        func slices(_ ranges: [Range<Int>]?) -> [String]? { ranges?.map { String(decoding: bytes[$0], as: UTF8.self) } }
        #expect(found.map(\.key) == ["r", "n", "s", "e"])
        #expect(slices(found[0].elements) == [#"{"a": [1, 2]}"#, #""x,]""#, "[3]", "4"])
        #expect(found[1].elements == nil && found[2].elements == nil)
        #expect(found[3].elements == [])
    }

    @Test("escaped quotes and backslashes are stepped over, at every offset")
    func escapesAtEveryOffset() throws {
        for position in 0..<24 {
            var value = Array(repeating: UInt8(ascii: "B"), count: 24)
            value.replaceSubrange(position..<position + 1, with: Array(#"\""#.utf8))
            let text = Array(#"{"a":""#.utf8) + value + Array(#"","b":1}"#.utf8)
            #expect(try members(text).get().map(\.key) == ["a", "b"], "escape at \(position)")
            var backslash = Array(repeating: UInt8(ascii: "B"), count: 24)
            backslash.replaceSubrange(position..<position + 1, with: Array(#"\\"#.utf8))
            #expect(try members(Array(#"{"a":""#.utf8) + backslash + Array(#""}"#.utf8)).get().count == 1)
        }
    }

    @Test("a control character inside a string is refused, at every offset")
    func controlCharactersAtEveryOffset() {
        for position in 0..<24 {
            for control: UInt8 in [0x00, 0x0A, 0x1F] {
                var value = Array(repeating: UInt8(ascii: "C"), count: 24)
                value[position] = control
                let text = Array(#"{"a":""#.utf8) + value + Array(#""}"#.utf8)
                guard case .failure(let failure) = members(text) else {
                    Issue.record("control 0x\(String(control, radix: 16)) at \(position) not refused")
                    continue
                }
                #expect(failure.offset == 6 + position)
            }
        }
    }

    @Test("the word step never passes a byte that ends or refuses a string, and stops on the first one unless fewer than eight bytes are left", arguments: [false, true])
    func wordStepMatchesBytes(asciiOnly: Bool) {
        func stops(_ byte: UInt8) -> Bool { byte == 0x22 || byte == 0x5C || byte < 0x20 || (asciiOnly && byte >= 0x80) }
        var generator = SystemRandomNumberGenerator()
        let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x20, 0x7F, 0x80, 0xC3, 0xFF]
        for _ in 0..<300 {
            let count = Int.random(in: 0..<90, using: &generator)
            let bytes = (0..<count).map { _ in
                Int.random(in: 0..<12, using: &generator) == 0 ? specials.randomElement(using: &generator)! : UInt8(ascii: "A")
            }
            bytes.withUnsafeBytes { raw in
                for start in 0...count {
                    let end = JSONScanner.plainWords(raw, from: start, asciiOnly: asciiOnly)
                    #expect(end >= start && end <= count)
                    #expect(!bytes[start..<end].contains(where: stops), "\(bytes) from \(start): passed a stop")
                    #expect(end + 8 > count || stops(bytes[end]), "\(bytes) from \(start): stopped at \(end), not on a stop")
                }
            }
        }
    }
}

/// The one-pass readers' string step goes sixteen and eight bytes at a time too: whatever ends or refuses a
/// string must be seen at every position of such a step.
@Suite("Byte cursor strings")
struct ByteCursorTests {
    /// The string read from `content` + `"` + a tail, or nil; and where the cursor stopped.
    func read(_ content: [UInt8], asciiOnly: Bool) -> (text: [UInt8]?, index: Int) {
        let bytes = content + Array(#""tail"#.utf8)
        return bytes.withUnsafeBytes { raw in
            var cursor = ByteCursor(raw)
            let text = cursor.unescapedString(asciiOnly: asciiOnly).map(Array.init)
            return (text, cursor.index)
        }
    }

    @Test("a string ends at its closing quote, whatever its length")
    func endsAtQuote() {
        for length in 0..<40 {
            let content = Array(repeating: UInt8(ascii: "A"), count: length)
            let (text, index) = read(content, asciiOnly: true)
            #expect(text == content)
            #expect(index == length + 1)
        }
    }

    @Test("a backslash or a control character refuses the string, and a byte above 0x7F when only ASCII is taken, at every offset")
    func refusalsAtEveryOffset() {
        for position in 0..<40 {
            for (byte, refusedInUTF8) in [(UInt8(ascii: "\\"), true), (0x00, true), (0x1F, true), (0xC3, false), (0x80, false), (0xFF, false)] {
                var content = Array(repeating: UInt8(ascii: "B"), count: 40)
                content[position] = byte
                #expect(read(content, asciiOnly: true).text == nil, "0x\(String(byte, radix: 16)) at \(position)")
                #expect((read(content, asciiOnly: false).text == nil) == refusedInUTF8, "0x\(String(byte, radix: 16)) at \(position)")
            }
            var quoted = Array(repeating: UInt8(ascii: "B"), count: 40)
            quoted[position] = UInt8(ascii: "\"")
            #expect(read(quoted, asciiOnly: true).text == Array(quoted[..<position]))
        }
    }
}

/// The payload writer copies strings that need no escape in one piece, after looking at them
/// eight bytes at a time: an escape at any position of such a step must still be written.
@Suite("Canonical JSON strings")
struct CanonicalJSONStringTests {
    @Test("every string is written as JSONEncoder writes it, whatever needs escaping and wherever it is")
    func escapesAtEveryOffset() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for length in [0, 1, 7, 8, 9, 24] {
            for special in ["\"", "\\", "\n", "\u{01}", "\u{1F}", "é", "/"] {
                for position in 0...length {
                    var characters = Array(repeating: "a", count: length)
                    characters.insert(special, at: position)
                    let text = characters.joined()
                    var writer = CanonicalJSONWriter()
                    writer.string(text)
                    #expect(writer.bytes == Array(try encoder.encode(text)), "\(text.debugDescription)")
                }
            }
        }
    }
}
