import Foundation
import Testing
@testable import AgriTrace
import TestSupport

/// Record payloads are signed bytes: the hand-written writer must give exactly what Foundation's
/// `JSONEncoder` (sorted keys, unescaped slashes) gives, which earlier records were signed with.
@Suite("Payload encoding")
struct PayloadEncodingTests {
    static func foundationBytes(_ event: EPCISEvent) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(event)
    }

    static func scenarioEvents() throws -> [EPCISEvent] {
        let pki = Fixtures.pki
        let bundles = [Fixtures.bundle, try CitrusScenario(pki: pki).bundle(), try BeefScenario(pki: pki).bundle(), try HerbScenario(pki: pki).bundle()]
        return try bundles.flatMap(\.records).map { try EPCISEvent.decode(payload: $0.payload) }
    }

    @Test("every sample event is written byte for byte as JSONEncoder writes it")
    func samplesMatchFoundation() throws {
        let events = try Self.scenarioEvents()
        #expect(events.count > 30)
        for event in events {
            #expect(try event.payloadBytes() == Self.foundationBytes(event))
        }
    }

    @Test("awkward names, strings and numbers in extensions are written as JSONEncoder writes them")
    func awkwardValuesMatchFoundation() throws {
        // …and names that begin a modelled member's name, or that one begins: each falls just
        // before or after it.
        let names = ["agt:x", "Zeta", "alpha", "a1", "a10", "a2", "_u", "Ärger", "zoë", "ε", "emoji😀", "ABC", "abc", "a b", "a/b",
                     "biz", "eventTimeZone", "eventTimeZoneOffsetX", "typ", "types", "ilmd2", "readPoin"]
        let strings = ["plain", "with \"quotes\"", "back\\slash", "a/b/c", "tab\tnew\nline\r", "\u{01}\u{1F}\u{7F}", "Mật ong", "😀",
                       "", " spaced ", "\u{08}\u{0C}", "https://id.gs1.org/01/08936000120016/10/A?x=1&y=<2>"]
        let numbers = ["0", "-0.5", "12.40", "1200", "0.0001", "123456789.123456789", "-98765432109876543210", "3.14159265358979323846"]
        var generator = SystemRandomNumberGenerator()
        var event = try EPCISEvent.decode(payload: try #require(Fixtures.bundle.records.first).payload)
        for round in 0..<200 {
            var extensions: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let value: JSONValue
                switch Int.random(in: 0..<5, using: &generator) {
                case 0: value = .string(strings.randomElement(using: &generator) ?? "")
                case 1: value = .number(Decimal(string: numbers.randomElement(using: &generator) ?? "0") ?? 0)
                case 2: value = .array([.bool(true), .null, .string(strings.randomElement(using: &generator) ?? "")])
                case 3: value = .object([names.randomElement(using: &generator) ?? "k": .string(strings.randomElement(using: &generator) ?? ""),
                                         "n": .number(Decimal(string: numbers.randomElement(using: &generator) ?? "1") ?? 1)])
                default: value = .bool(round % 2 == 0)
                }
                extensions[names.randomElement(using: &generator) ?? "k"] = value
            }
            event.extensions = extensions
            event.bizStep = strings.randomElement(using: &generator)
            #expect(try event.payloadBytes() == Self.foundationBytes(event), "round \(round): \(extensions)")
        }
    }

    @Test("an EPCIS document is written as JSONEncoder writes each value, in the members' own order, numbers as they were written")
    func documentTextMatchesFoundation() throws {
        let strings = ["plain", "with \"quotes\"", "back\\slash", "a/b/c", "tab\tnew\nline\r", "\u{01}\u{1F}\u{7F}", "Mật ong", "😀", "",
                       "\u{08}\u{0C}", "\u{2028}", "A\u{30A}"]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for text in strings {
            #expect(OrderedJSON.string(text).jsonText == String(decoding: try encoder.encode(text), as: UTF8.self), "\(text.debugDescription)")
        }
        // Members keep their order (no sorting), numbers their literal, nesting its shape.
        let json = OrderedJSON.object([.init(key: "z", value: .number("1.50")), .init(key: "a", value: .array([.null, .bool(false), .object([])])),
                                       .init(key: "é\"", value: .string("x/y"))])
        #expect(json.jsonText == #"{"z":1.50,"a":[null,false,{}],"é\"":"x/y"}"#)
        // A whole document of the samples reads back as the same values.
        let document = try EPCISDocument.make(events: try Self.scenarioEvents())
        #expect(try OrderedJSON.parse(document).jsonText == String(decoding: document, as: UTF8.self))
    }
}

/// An event is a value whose fields copies share until one changes (``EPCISEvent``'s box).
@Suite("Event value semantics")
struct EventValueTests {
    @Test("changing a copy of an event, field by field or inside a list, leaves the original as it was")
    func copiesAreIndependent() throws {
        let original = try EPCISEvent.decode(payload: Fixtures.bundle.records[3].payload)
        let payload = try original.payloadBytes()
        var copy = original
        copy.eventID = "urn:uuid:00000000-0000-4000-8000-000000000000"
        copy.extensions["agt:note"] = "changed"
        copy.inputs.append(InputLink(record: "sha256:" + String(repeating: "0", count: 64), lot: "lot"))
        copy.sourceList = nil
        #expect(try original.payloadBytes() == payload)
        #expect(copy != original && copy.eventID != original.eventID && original.extensions["agt:note"] == nil)
        // A copy of the copy, changed in turn, leaves the copy alone.
        var third = copy
        third.inputs.removeAll()
        #expect(copy.inputs.count == original.inputs.count + 1 && third.inputs.isEmpty)
    }

    @Test("events with the same fields are equal and hash alike, whether or not they share storage")
    func equalityByFields() throws {
        let payload = Fixtures.bundle.records[3].payload
        let one = try EPCISEvent.decode(payload: payload), two = try EPCISEvent.decode(payload: payload)
        #expect(one == two && one.hashValue == two.hashValue)
        var changed = two
        changed.bizStep = "receiving"
        #expect(changed != one)
        changed.bizStep = one.bizStep
        #expect(changed == one && Set([one, two, changed]).count == 1)
    }
}
