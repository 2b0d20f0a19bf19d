import Foundation
import Testing
@testable import AgriTrace

/// The one-pass reader of canonical payloads against the general decoder: where it reads an
/// event at all, it is the general decoder's event and the payload is that event's encoding.
@Suite("Canonical payload reader")
struct CanonicalPayloadReaderTests {
    @Test("every generated event's payload is read in one pass, as the general decoder reads it")
    func readsEveryCanonicalPayload() throws {
        let pki = Fixtures.pki
        let samples = try CleanSample.allCases.flatMap { try $0.make(pki: pki).records.map(\.payload) }
        let generated = try DirectPreHashTests.events(count: 300).map { try $0.payloadBytes() }
        for payload in samples + generated {
            let event = CanonicalPayloadReader.event(from: payload)
            #expect(event != nil, "\(String(decoding: payload, as: UTF8.self).prefix(300))")
            guard let event else { continue }
            #expect(event == (try EPCISEvent.decodeAnyForm(payload: payload)))
            #expect(try event.payloadBytes() == payload)
        }
    }

    @Test("the default context is the event's unless another is read or set, and is written back as it was read")
    func defaultContext() throws {
        let generated = try #require(try DirectPreHashTests.events(count: 1).first)
        let payload = try generated.payloadBytes()
        let read = try #require(CanonicalPayloadReader.event(from: payload))
        #expect(read.hasDefaultContext && read.context == EPCISEvent.defaultContext)
        #expect(payload.starts(with: Array(#"{"@context":"#.utf8) + Array(EPCISEvent.defaultContextJSON)))
        // Another context, read by either reader, stays the event's and goes back into its payload.
        let other: JSONValue = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
        var changed = read
        changed.context = other
        let otherPayload = try changed.payloadBytes()
        for event in [try #require(CanonicalPayloadReader.event(from: otherPayload)), try EPCISEvent.decodeAnyForm(payload: otherPayload)] {
            #expect(!event.hasDefaultContext && event.context == other && event == changed)
            #expect(try event.payloadBytes() == otherPayload)
        }
        // Set back to a value equal to the default, it is the default again: same event, same payload.
        changed.context = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", ["agt": .string(EPCISEvent.agtNamespace)]]
        #expect(changed.hasDefaultContext && changed == read)
        #expect(try changed.payloadBytes() == payload)
    }

    /// Payloads changed at random: a byte flipped, a space or an escape put in, a byte dropped,
    /// a number written another way.
    static func mutations(of payload: Data, count: Int) -> [Data] {
        var random = SystemRandomNumberGenerator()
        var bytes = [UInt8](payload)
        var results: [Data] = []
        for _ in 0..<count {
            var copy = bytes
            let at = Int.random(in: 0..<copy.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0: copy[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            case 1: copy.insert(0x20, at: at)
            case 2: copy.remove(at: at)
            case 3: copy.insert(contentsOf: Array(#"\/"#.utf8), at: at)
            case 4: copy.insert(contentsOf: Array(#"\u0041"#.utf8), at: at)
            default:
                let text = String(decoding: copy, as: UTF8.self)
                copy = Array(text.replacingOccurrences(of: ":1", with: ":1.0").replacingOccurrences(of: "\"type\":\"", with: "\"type\" :\"").utf8)
            }
            results.append(Data(copy))
        }
        bytes.removeAll()
        return results
    }

    @Test("the reader knows a modelled member by its exact name and no other: every modelled name, and none of their near misses")
    func memberNames() {
        func member(_ name: String) -> CanonicalPayloadReader.Member? { Array(name.utf8).withUnsafeBytes(CanonicalPayloadReader.Member.init) }
        #expect(Set(CanonicalPayloadReader.Member.allCases.map(\.rawValue)) == EPCISEvent.modelledKeys)
        for known in EPCISEvent.modelledKeys {
            #expect(member(known)?.rawValue == known)
            for miss in [String(known.dropLast()), known + "s", known.uppercased(), " " + known, String(known.dropFirst()), "agt:" + known] {
                #expect(member(miss) == nil, "\(miss)")
            }
        }
        #expect(member("") == nil && member(String(repeating: "x", count: 300)) == nil && member("agt:productName") == nil)
    }

    @Test("a changed payload is either refused by the reader or read exactly as the general decoder reads it")
    func mutatedPayloads() throws {
        let pki = Fixtures.pki
        let payloads = try CleanSample.allCases.flatMap { try $0.make(pki: pki).records.map(\.payload) }
        var read = 0, refused = 0
        for payload in payloads {
            for mutated in Self.mutations(of: payload, count: 150) {
                guard let event = CanonicalPayloadReader.event(from: mutated) else { refused += 1; continue }
                read += 1
                #expect(event == (try? EPCISEvent.decodeAnyForm(payload: mutated)), "\(String(decoding: mutated, as: UTF8.self))")
                #expect((try? event.payloadBytes()) == mutated, "\(String(decoding: mutated, as: UTF8.self))")
            }
        }
        // Most changes break the form; some (a letter flipped inside a text) keep it.
        #expect(refused > read)
        #expect(read > 0)
    }

    @Test("two member names that are one String in two Unicode forms (Å and A + U+030A) are refused by both readers, never a crash; the verifier says which record")
    func namesEqualAsStrings() throws {
        var bundle = Fixtures.bundle
        let position = try #require(bundle.records.firstIndex { record in
            let text = String(decoding: record.payload, as: UTF8.self)
            return text.contains(#""agt:category":"#) && text.contains(#""ilmd":{"#) && text.contains(#""bizLocation":"#)
        })
        let payload = bundle.records[position].payload
        // Each pair in code point order, as the canonical writer would place two distinct names.
        let inILMD = try Self.inserting("\"A\u{30A}\":1,", ",\"\u{C5}\":2", intoObjectAfter: #""ilmd":"#, of: payload)
        let atTop = Data(String(decoding: payload, as: UTF8.self)
            .replacingOccurrences(of: #""agt:category":"#, with: "\"agt:A\u{30A}\":1,\"agt:category\":")
            .replacingOccurrences(of: #""bizLocation":"#, with: "\"agt:\u{C5}\":2,\"bizLocation\":").utf8)
        for changed in [inILMD, atTop] {
            #expect(CanonicalPayloadReader.event(from: changed) == nil)
            #expect(throws: TraceError.self) { try EPCISEvent.read(payload: changed) }
            bundle.records[position] = Envelope(payload: changed)
            let report = try Fixtures.verify(bundle)
            #expect(report.level == .invalid)
            // A record that does not decode is named by its place in the bundle, its digest in the message.
            #expect(report.findings.contains { finding in
                finding.code == .eventInvalid && finding.record == "records[\(position)]" && finding.message.contains(bundle.records[position].digest)
                    && finding.message.contains("two that Unicode counts as one")
            }, "\(report.findings)")
        }
    }

    /// `payload` with `first` put just inside the object that follows `member`, and `last` just
    /// before its end.
    static func inserting(_ first: String, _ last: String, intoObjectAfter member: String, of payload: Data) throws -> Data {
        let bytes = [UInt8](payload)
        let text = String(decoding: bytes, as: UTF8.self)
        let start = text.utf8.distance(from: text.startIndex, to: try #require(text.range(of: member)).upperBound)
        let end = try bytes.withUnsafeBytes { try JSONScanner(bytes: $0).skipValue(at: start, depth: 0) }
        return Data(bytes[..<(start + 1)] + Array(first.utf8) + bytes[(start + 1)..<(end - 1)] + Array(last.utf8) + bytes[(end - 1)...])
    }

    @Test("numbers are read in one pass only in the form Decimal writes them", arguments: [
        ("1200", true), ("0.5", true), ("-3.25", true), ("123456789012345678", true), ("0", true),
        ("1200.0", false), ("1.2e3", false), ("1.2E3", false), ("01200", false), ("-0", false), ("1234567890123456789", false), ("0.50", false), ("1.", false),
    ])
    func numberForms(literal: String, canonical: Bool) throws {
        let record = Fixtures.bundle.records[3]
        let text = String(decoding: record.payload, as: UTF8.self)
        #expect(text.contains("\"quantity\":1200,"))
        let changed = Data(text.replacingOccurrences(of: "\"quantity\":1200,", with: "\"quantity\":\(literal),").utf8)
        let event = CanonicalPayloadReader.event(from: changed)
        #expect((event != nil) == canonical)
        if let event {
            #expect(event == (try EPCISEvent.decodeAnyForm(payload: changed)))
            #expect(try event.payloadBytes() == changed)
        }
    }
}
