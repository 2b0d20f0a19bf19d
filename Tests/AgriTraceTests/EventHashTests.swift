import Foundation
import Testing
@testable import AgriTrace
import TestSupport
import TraceCrypto

/// The CBV 2.0 event hash against the reference implementation's vectors in ../shared/vectors.
@Suite("CBV 2.0 event hash")
struct EventHashTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var document: String
        var eventIndex: Int
        var preHash: String
        var hash: String
        var testDescription: String { "\(document)#\(eventIndex)" }
    }

    static let vectors = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/epcis-event-hash")
    static let cases: [Case] = {
        struct File: Decodable { var cases: [Case] }
        guard let data = try? Data(contentsOf: vectors.appendingPathComponent("cases.json")),
              let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.cases
    }()

    @Test("the vectors are there to test against")
    func vectorsPresent() {
        #expect(Self.cases.count == 33)
    }

    @Test("every vector's pre-hash and hash match", arguments: cases)
    func vector(_ vector: Case) throws {
        let data = try Data(contentsOf: Self.vectors.appendingPathComponent("documents/\(vector.document)"))
        let preHashes = try EventHash.preHashes(ofDocument: data)
        let preHash = try preHashes[vector.eventIndex].get()
        #expect(preHash == vector.preHash)
        #expect(EventHash.hash(preHash: preHash) == vector.hash)
    }

    @Test("an event of more JSON values than the hash takes is a failure in its place; the others are hashed")
    func eventOfTooManyValues() throws {
        func event(values: Int) -> String {
            #"{"type": "ObjectEvent", "eventTime": "2026-03-01T06:00:00.000+07:00", "eventTimeZoneOffset": "+07:00", "#
                + #""action": "OBSERVE", "ex:b": ["# + Array(repeating: "1", count: values).joined(separator: ",") + "]}"
        }
        // The event object, its four scalar members and the array: six values besides the array's own.
        let document = #"{"@context": [{"ex": "urn:example:"}], "type": "EPCISDocument", "epcisBody": {"eventList": ["#
            + event(values: 94) + "," + event(values: 95) + "]}}"
        let results = try EventHash.preHashes(ofDocument: Data(document.utf8), maximumEventValues: 100)
        #expect((try? results[0].get())?.hasPrefix("eventType=ObjectEvent") == true)
        guard case .failure(let error) = results[1] else { Issue.record("an event of 101 values was hashed"); return }
        #expect(error.code == "epcis.tooLarge" && error.message.contains("101 JSON values"))
        #expect(EPCISDocument.maximumEventValues >= 250_000)  // four megabytes of sensor readings still hash
    }

    @Test("a parser given a number of values refuses one more, naming where")
    func parserValueLimit() throws {
        let text = Data("[1, [2, 3], {\"a\": null}]".utf8)  // seven values: the outer array, 1, [2, 3], 2, 3, the object, null
        #expect((try? JSONValue.parse(text, maxValues: 7)) != nil)
        #expect((try? OrderedJSON.parse(text, maxValues: 7))?.valueCount == 7)
        #expect(throws: TraceError.self) { try JSONValue.parse(text, maxValues: 6) }
        do { _ = try OrderedJSON.parse(text, maxValues: 6) } catch let error as TraceError { #expect(error.message.contains("byte 18: more than 6 JSON values")) }
    }
}

@Suite("CBV 2.0 event hash: our records and the reference implementation")
struct EventHashDifferentialTests {
    /// Every event of every sample scenario, as one EPCIS document.
    static func sampleDocument() throws -> (Data, [String]) {
        let pki = Fixtures.pki
        var events: [OrderedJSON] = []
        var ids: [String] = []
        let bundles = try CleanSample.allCases.map { try $0.make(pki: pki) } + FraudSample.allCases.map { try $0.make(pki: pki) }
        for bundle in bundles {
            for record in bundle.records {
                guard case .object(let members) = try OrderedJSON.parse(record.payload) else { continue }
                events.append(.object(members.filter { $0.key != "@context" }))
                ids.append(try EPCISEvent.decode(payload: record.payload).eventID)
            }
        }
        let context = try OrderedJSON.parse(try JSONEncoder().encode(EPCISEvent.defaultContext))
        let document = OrderedJSON.object([
            .init(key: "@context", value: context), .init(key: "type", value: .string("EPCISDocument")),
            .init(key: "schemaVersion", value: .string("2.0")), .init(key: "creationDate", value: .string("2026-11-29T00:00:00Z")),
            .init(key: "epcisBody", value: .object([.init(key: "eventList", value: .array(events))])),
        ])
        return (Data(document.jsonText.utf8), ids)
    }

    /// An EPCIS document of `events` (each a JSON object's text) under the EPCIS context and,
    /// with `exNamespace`, the prefix `ex` for `https://ex.example/`.
    static func document(_ events: [String], exNamespace: Bool = true) -> Data {
        let namespace = exNamespace ? #", {"ex": "https://ex.example/"}"# : ""
        return Data("""
            {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"\(namespace)],
             "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-01-01T00:00:00Z",
             "epcisBody": {"eventList": [\(events.joined(separator: ","))]}}
            """.utf8)
    }

    /// The hashes GS1's reference (PyPI `epcis-event-hash-generator`) gives `document`'s events, in order.
    static func referenceHashes(_ document: Data) throws -> [String] {
        let file = try temporaryDirectory().appendingPathComponent("document.jsonld")
        try document.write(to: file)
        let result = try run(["python3", "-m", "epcis_event_hash_generator", file.path])
        return result.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("ni:///") }
    }

    @Test("every event we sign carries its own CBV 2.0 hash, and the PyPI reference computes the same")
    func referenceAgrees() throws {
        let (document, ids) = try Self.sampleDocument()
        #expect(ids.count > 80)
        let ours = try EventHash.preHashes(ofDocument: document).map { EventHash.hash(preHash: try $0.get()) }
        #expect(ours == ids)
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("samples.jsonld")
        try document.write(to: file)
        let result = try run(["python3", "-m", "epcis_event_hash_generator", file.path])
        #expect(result.status == 0, "\(result.output)")
        let theirs = result.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("ni:///") }
        #expect(theirs == ids)
    }

    @Test("a value holding a colon is a bare word only of a vocabulary IRI holding one past its scheme, as in the reference")
    func bareWordWithColon() throws {
        let document = Self.document([
            #"{"type": "ObjectEvent", "eventTime": "2026-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", "#
                + #""bizStep": "https://ref.gs1.org/cbv/BizStep-x:y", "ex:note": "x:y", "ex:other": "BizStep-x:y"}"#,
            #"{"type": "ObjectEvent", "eventTime": "2026-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", "#
                + #""bizStep": "shipping", "ex:note": "shipping", "ex:other": "a:shipping"}"#,
        ])
        let preHashes = try EventHash.preHashes(ofDocument: document).map { try $0.get() }
        #expect(preHashes[0].contains("{https://ex.example/}note=https://ref.gs1.org/cbv/BizStep-x:y"))
        #expect(preHashes[0].contains("{https://ex.example/}other=https://ref.gs1.org/cbv/BizStep-x:y"))
        #expect(preHashes[1].contains("{https://ex.example/}note=https://ref.gs1.org/cbv/BizStep-shipping"))
        #expect(preHashes[1].contains("{https://ex.example/}other=a:shipping"))
        #expect(try Self.referenceHashes(document) == preHashes.map(EventHash.hash(preHash:)))
    }

    @Test("a value that is the last word of two vocabulary IRIs stays as it is; of one, after a `-` or a `/`, it becomes that IRI, as in the reference")
    func bareWordOfTwoIRIs() throws {
        let document = Self.document([
            #"{"type": "ObjectEvent", "eventTime": "2026-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", "#
                + #""bizStep": "https://ref.gs1.org/cbv/BizStep-sorting", "disposition": "https://ref.gs1.org/cbv/Disp-sorting", "#
                + #""ex:note": "sorting", "ex:other": "rting", "ex:path": "voc/x", "ex:typed": "https://gs1.org/voc/x"}"#,
        ])
        let preHashes = try EventHash.preHashes(ofDocument: document).map { try $0.get() }
        #expect(preHashes[0].contains("{https://ex.example/}note=sorting"), "\(preHashes)")
        #expect(preHashes[0].contains("{https://ex.example/}other=rting"))
        #expect(preHashes[0].contains("{https://ex.example/}path=https://gs1.org/voc/x"))
        #expect(try Self.referenceHashes(document) == preHashes.map(EventHash.hash(preHash:)))
    }

    @Test("member names are read by code point, as the reference reads them: a mark that joins the `L` of `List` into one Character")
    func listNamesByCodePoint() throws {
        // U+0600 is a prepended mark: Swift's Characters see `\u{0600}L` as one, Python sees two code points.
        let document = Self.document([
            #"{"type": "ObjectEvent", "eventTime": "2026-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", "#
                + #""ex:\u0600List": ["a", "b"], "ilmd": {"ex:x\u0600List": ["c"], "ex:\u0600ignoreFields": "d"}}"#,
        ])
        let preHashes = try EventHash.preHashes(ofDocument: document).map { try $0.get() }
        #expect(preHashes[0].contains("{https://ex.example/}\u{0600}=a"), "\(preHashes)")
        #expect(try Self.referenceHashes(document) == preHashes.map(EventHash.hash(preHash:)))
    }

    @Test("a value written in digits of another script is a number, as Python's float() reads it: Arabic-Indic, Thai, fullwidth")
    func digitsOfOtherScripts() throws {
        let values = ["\\u0661\\u0662\\u0663", "\\u0e53.\\u0e55", "\\uff11\\uff12", "1\\u0662", "\\u0661_\\u0662", "\\u0661 \\u0662", "\\u00b2", "\\u0661abc"]
        let events = values.map { value in
            """
            {"type": "ObjectEvent", "eventTime": "2026-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", "ex:value": "\(value)"}
            """
        }
        let document = Self.document(events)
        let preHashes = try EventHash.preHashes(ofDocument: document).map { try $0.get() }
        #expect(preHashes.map { String($0.split(separator: "}").last ?? "") } == ["value=123", "value=3.5", "value=12", "value=12", "value=12",
                                                                                  "value=\u{661} \u{662}", "value=\u{B2}", "value=\u{661}abc"])
        #expect(try Self.referenceHashes(document) == preHashes.map(EventHash.hash(preHash:)))
    }

    @Test("event times are read as the reference reads them: other ISO 8601 spellings normalised, a day the month lacks left as written")
    func timeSpellings() throws {
        let times = ["2026-01-01 00:00:00+07", "2026-01-01T00:00:00,5Z", "2026-01-01T123045Z", "20260101T123045Z", "2026-01-01T12:30:45 UTC",
                     "2026-01-01T12:30:45 +07:00", "2026-01-01T12:30+07", "2026-01-01", "2026-02-30T00:00:00Z", "2026-04-31T08:00:00+07:00",
                     "2024-02-29T00:00:00Z", "2026-12-31T23:59:60Z", "2026-01-01T12:3045Z"]
        let events = times.map { time in
            """
            {"type": "ObjectEvent", "eventTime": "\(time)", "eventTimeZoneOffset": "+07:00", "action": "OBSERVE"}
            """
        }
        let document = Self.document(events, exNamespace: false)
        let preHashes = try EventHash.preHashes(ofDocument: document).map { try $0.get() }
        #expect(preHashes[0].contains("eventTime=2025-12-31T17:00:00.000Z") && preHashes[1].contains("eventTime=2026-01-01T00:00:00.500Z"))
        #expect(preHashes[8].contains("eventTime=2026-02-30T00:00:00Z"), "no 30 February rolled into March")
        #expect(try Self.referenceHashes(document) == preHashes.map(EventHash.hash(preHash:)))
    }

    @Test("a sensor report's exception is a word of GS1's vocabulary, expanded as the reference expands it")
    func sensorException() throws {
        let document = Self.document([
            #"{"type": "ObjectEvent", "eventTime": "2026-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", "#
                + #""sensorElementList": [{"sensorReport": [{"type": "Temperature", "exception": "ALARM_CONDITION", "value": 31, "uom": "CEL"}, "#
                + #"{"type": "Humidity", "exception": "SOMETHING_ELSE"}]}]}"#,
        ], exNamespace: false)
        let preHash = try EventHash.preHashes(ofDocument: document).map { try $0.get() }
        #expect(preHash[0].contains("exception=https://gs1.org/voc/ALARM_CONDITION") && preHash[0].contains("exception=SOMETHING_ELSE"), "\(preHash)")
        #expect(try Self.referenceHashes(document) == preHash.map(EventHash.hash(preHash:)))
    }

    @Test("a typed compact IRI is split at its first colon by code point, as JSON-LD splits it, even when a combining mark follows the colon")
    func compactIRIWithMarkAfterColon() throws {
        // `:` and U+0301 form one Character: a search by Characters finds no colon there.
        let document = Self.document([
            #"{"type": "ObjectEvent", "eventTime": "2026-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", "#
                + #""bizStep": "cbv:\u0301sorting", "ex:note": "\u0301sorting"}"#,
        ])
        let preHashes = try EventHash.preHashes(ofDocument: document).map { try $0.get() }
        #expect(preHashes[0].contains("{https://ex.example/}note=https://ref.gs1.org/cbv/\u{301}sorting"), "\(preHashes)")
        #expect(try Self.referenceHashes(document) == preHashes.map(EventHash.hash(preHash:)))
    }

    @Test("a vocabulary word is known by its code points, as the reference knows it: the Kelvin sign does not spell the K of KinematicViscosity")
    func vocabularyWordByCodePoint() throws {
        // Swift's String equality takes U+212A for `K`; the reference's JSON-LD does not. With the
        // plain word typed, the note that ends its IRI takes the IRI; with the Kelvin sign, both stay as written.
        func event(_ type: String) -> String {
            #"{"type": "ObjectEvent", "eventTime": "2026-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", "#
                + #""ex:note": "KinematicViscosity", "sensorElementList": [{"sensorReport": [{"type": "\#(type)", "value": 1}]}]}"#
        }
        for (type, note) in [("\\u212AinematicViscosity", "note=KinematicViscosity"), ("KinematicViscosity", "note=https://gs1.org/voc/KinematicViscosity")] {
            let document = Self.document([event(type)])  // one event a document: the IRIs found are a document's
            let preHashes = try EventHash.preHashes(ofDocument: document).map { try $0.get() }
            #expect(ByteSearch.offset(of: note, in: preHashes[0]) != nil, "\(preHashes)")
            #expect(try Self.referenceHashes(document) == preHashes.map(EventHash.hash(preHash:)))
        }
    }

    @Test("a namespace prefix is known by its code points, as the reference knows it: é written as e and a combining accent is another prefix")
    func prefixByCodePoint() throws {
        // The context declares `café` (U+00E9); a compact IRI in a vocabulary-typed value, a
        // member name and a plain value each use it in one spelling or the other.
        for prefix in ["caf\\u00e9", "cafe\\u0301"] {
            let document = Data("""
                {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"caf\\u00e9": "https://ex.example/"}],
                 "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-01-01T00:00:00Z",
                 "epcisBody": {"eventList": [{"type": "ObjectEvent", "eventTime": "2026-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00",
                   "action": "OBSERVE", "bizStep": "\(prefix):sorting", "\(prefix):note": "\(prefix):x"}]}}
                """.utf8)
            let preHashes = try EventHash.preHashes(ofDocument: document).map { try $0.get() }
            let expanded = ByteSearch.offset(of: "bizStep=https://ex.example/sorting", in: preHashes[0]) != nil
            #expect(expanded == (prefix == "caf\\u00e9"), "\(preHashes)")
            #expect(try Self.referenceHashes(document) == preHashes.map(EventHash.hash(preHash:)))
        }
    }

    @Test("a field a document asks hashers to leave out is known by its code points, as every name the event hash reads")
    func ignoredFieldByCodePoint() throws {
        // `ignoreFields` names café (U+00E9): the member so named is left out, one named with
        // e and a combining accent is hashed. (An AgriTrace reading: the PyPI reference has no
        // `ignoreFields`, so there is nothing of it to compare with.)
        let document = Data("""
            {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"ex": "https://ex.example/"}],
             "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-01-01T00:00:00Z", "ex:ignoreFields": ["ex:caf\\u00e9"],
             "epcisBody": {"eventList": [{"type": "ObjectEvent", "eventTime": "2026-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00",
               "action": "OBSERVE", "ex:caf\\u00e9": "left out", "ex:cafe\\u0301": "kept"}]}}
            """.utf8)
        let preHashes = try EventHash.preHashes(ofDocument: document).map { try $0.get() }
        #expect(ByteSearch.offset(of: "kept", in: preHashes[0]) != nil && ByteSearch.offset(of: "left out", in: preHashes[0]) == nil, "\(preHashes)")
    }

    @Test("a vocabulary expands each of its words and nothing else, compared by code point")
    func vocabularyExpansion() {
        let samples: [(CBVVocabulary.Vocabulary, [String])] = [
            (CBVVocabulary.bizStep, ["accepting", "commissioning", "shipping", "receiving", "packing", "inspecting", "other"]),
            (CBVVocabulary.disposition, ["active", "conformant", "non_conformant", "in_progress", "in_transit", "recalled"]),
            (CBVVocabulary.sourceDestinationType, ["owning_party", "possessing_party", "location"]),
            (CBVVocabulary.measurementType, ["AbsoluteHumidity", "KinematicViscosity", "Temperature", "Wavenumber"]),
        ]
        for (vocabulary, words) in samples {
            for word in words {
                #expect(vocabulary.expand(word) == vocabulary.prefix + word)
                for miss in [word + "s", String(word.dropLast()), word.uppercased(), " " + word, word + "\u{301}", ""] where miss != word {
                    #expect(vocabulary.expand(miss) == nil, "\(miss)")
                }
            }
        }
        #expect(CBVVocabulary.measurementType.expand("\u{212A}inematicViscosity") == nil)  // by code point, as the reference
        #expect(CBVVocabulary.bizStep.expand("shipping") != nil && CBVVocabulary.disposition.expand("shipping") == nil)
    }

    @Test("ExactText keeps apart what Swift's String equality joins: the same text in other code points")
    func exactText() {
        let spellings = ["\u{00C5}", "A\u{030A}", "\u{212B}"]
        #expect(Set(spellings).count == 1)  // Swift: one string
        #expect(Set(spellings.map { ExactText($0) }).count == 3)
        #expect(ExactText("Mật ong") == ExactText("Mật ong") && ExactText("K") != ExactText("\u{212A}"))
        // Long texts in storage of their own (not inline), compared and hashed by their bytes.
        let lot = "https://id.gs1.org/01/08936000120016/10/B" + String(7)
        let same = String(decoding: Array(lot.utf8), as: UTF8.self), other = String(lot.dropLast()) + "8"
        #expect(ExactText(lot) == ExactText(same) && ExactText(lot) == ExactText(lot))
        #expect(ExactText(lot) != ExactText(other) && ExactText(lot) != ExactText(lot + "0") && ExactText("") == ExactText(""))
        #expect(Set([ExactText(lot), ExactText(same), ExactText(other), ExactText(lot.uppercased())]).count == 3)
        #expect(ExactText(lot).hashValue == ExactText(same).hashValue)
    }

    @Test("tables of ExactText hash its bytes with their own seed: equal bytes alike in any storage, distinct texts spread, every key found")
    func exactTextTableHash() {
        let lot = "https://id.gs1.org/01/08936000120016/10/B7"
        let copy = String(decoding: Array(lot.utf8), as: UTF8.self), slice = String("x\(lot)".dropFirst())
        #expect(ExactText(lot)._rawHashValue(seed: 42) == ExactText(copy)._rawHashValue(seed: 42))
        #expect(ExactText(lot)._rawHashValue(seed: 42) == ExactText(slice)._rawHashValue(seed: 42))
        #expect(ExactText(lot)._rawHashValue(seed: 42) != ExactText(lot)._rawHashValue(seed: 43), "the table's seed is mixed in")
        // A table's seed is its storage's address, no secret: the process's own secret is mixed in too.
        let plain = lot.withUTF8Bytes { Int(truncatingIfNeeded: InternTable.hash(UnsafeRawBufferPointer($0), seed: 42)) }
        #expect(ExactText(lot)._rawHashValue(seed: 42) != plain)
        // Lots that differ in one late byte, short and long, ASCII and not: all apart, all found.
        let keys = (0..<5000).map { "\(lot)\($0 % 2 == 0 ? "" : "ắ")\($0)" } + ["", "K", "\u{212A}", "\u{00C5}", "A\u{030A}"]
        #expect(Set(keys.map { ExactText($0)._rawHashValue(seed: 7) }).count == keys.count)
        let table = Dictionary(uniqueKeysWithValues: keys.enumerated().map { (ExactText($1), $0) })
        #expect(table.count == keys.count && keys.indices.allSatisfy { table[ExactText(keys[$0])] == $0 })
        #expect(table[ExactText(lot)] == nil && table[ExactText("\u{212B}")] == nil)
    }

    @Test("text Unicode counts as one but spelled with other code points (NFC and NFD, the Ångström sign) is hashed as written, as the reference hashes it")
    func canonicallyEquivalentText() throws {
        // Each spelling once in a document: every cache and table on the way must keep them apart.
        let spellings = ["\\u00c5", "A\\u030a", "\\u212b"]
        let events = spellings.indices.map { index in
            let (a, b) = (spellings[index], spellings[(index + 1) % spellings.count])  // two spellings in one event too
            return """
            {"type": "ObjectEvent", "eventTime": "2026-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00", "action": "OBSERVE",
             "ex:note": "1 \(a).", "ex:\(a)": {"ex:\(b)": "x"}, "ex:list": {"ex:\(a)List": "y", "ex:KList": "z", "ex:\\u212aList": "w"},
             "ilmd": {"ex:K": "\(a)", "ex:\\u212a": "v"}}
            """
        }
        let document = Self.document(events)
        let preHashes = try EventHash.preHashes(ofDocument: document).map { try $0.get() }
        #expect(Set(preHashes.map { Array($0.utf8) }).count == 3, "three spellings, three pre-hashes")
        #expect(preHashes[2].contains("note=1 \u{212B}.") && preHashes[1].contains("note=1 A\u{30A}."))
        #expect(try Self.referenceHashes(document) == preHashes.map(EventHash.hash(preHash:)))
    }

    /// Events of every kind AgriTrace writes, with awkward values where users' data goes: bare
    /// CBV words, old CBV and EPC URNs, number-like and padded strings, namespaced and nested
    /// extensions, fractional amounts, times in many zones.
    static func generatedEvents(count: Int) throws -> [EPCISEvent] {
        var random = SystemRandomNumberGenerator()
        let awkward: [JSONValue] = [
            "shipping", "in_transit", "owning_party", "urn:epcglobal:cbv:bizstep:receiving", "urn:epcglobal:cbv:disp:active",
            "urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:class:lgtin:4012345.012345.998877", "https://example.com/01/09520123456788/10/X1",
            "012.50", " 3 ", "1e3", "-0", "nan", "Mật ong hoa bạc hà", "agt:local", "", "  padded  ", "2026-04-12T07:30:00+07:00",
            .number(Decimal(string: "12.40") ?? 0), .number(Decimal(string: "-0.001") ?? 0), .number(1200), .bool(true), .null,
            ["b", "a", .number(2)], ["type": "Point", "coordinates": [.number(Decimal(string: "105.41") ?? 0), .number(23)]],
        ]
        let names = ["agt:note", "agt:grade", "cbvmda:lotNumber", "agt:z", "agt:a", "agt:batch", "example:field"]
        let coop = try GLN(SampleActor.honeyCoop.gln), lab = try GLN(SampleActor.laboratory.gln), exporter = try GLN(SampleActor.exporter.gln)
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        return try (0..<count).map { i in
            let lot = "https://id.gs1.org/01/08936000120016/10/G\(i)-\(Int.random(in: 0...99, using: &random))"
            let offset = Int.random(in: -48...56, using: &random) * 15
            let time = EPCISTime(date: Date(timeIntervalSince1970: 1_775_000_000 + Double(Int.random(in: 0...30_000_000, using: &random))
                                            + Double(Int.random(in: 0...999, using: &random)) / 1000), offsetMinutes: offset)
            let quantity = Decimal(Int.random(in: 1...99_999, using: &random)) / Decimal([1, 10, 100, 1000].randomElement(using: &random) ?? 1)
            var event: EPCISEvent
            switch i % 6 {
            case 0:
                event = EventFactory.harvest(lot: lot, quantity: quantity, uom: ["KGM", "LTR", "H87"][i % 3], at: time, location: coop,
                                             harvestDate: "2026-04-10", plots: [Plot(id: "P\(i)", name: "Lũng Pù \(i)", longitude: 105, latitude: quantity)],
                                             organicCertificate: i % 4 == 0 ? "VC-ORG-\(i)" : nil, category: "honey", productName: ["en": "Honey", "vi": "Mật ong"])
            case 1:
                event = EventFactory.inspection(lot: lot, previous: digest, at: time, location: lab, conformant: i % 4 != 1,
                                                measurements: [Measurement("moisture", quantity, "P1"), Measurement("HMF", 12, "mg/kg")],
                                                reportSHA256: String(repeating: "0f", count: 32))
            case 2:
                event = EventFactory.ship(quantities: [QuantityElement(epcClass: lot, quantity: quantity, uom: "KGM")], previous: [InputLink(record: digest, lot: lot)],
                                          at: time, from: coop, to: exporter, documents: [BizTransaction(type: "inv", bizTransaction: "urn:agritrace:inv:\(i)")])
            case 3:
                event = EventFactory.pack(into: try SSCC(GS1CheckDigit.appending(to: "08936000100000" + String(format: "%03d", i % 1000)) ?? ""), contents: [(lot, quantity, "KGM", digest)],
                                          at: time, location: exporter)
            case 4:
                event = EventFactory.transform(inputs: [(QuantityElement(epcClass: lot, quantity: quantity, uom: "KGM"), digest)],
                                               outputs: [QuantityElement(epcClass: lot + "B", quantity: quantity, uom: "KGM")], at: time, location: coop)
            default:
                event = EventFactory.receive(quantities: [QuantityElement(epcClass: lot, quantity: quantity, uom: "KGM")], previous: [InputLink(record: digest, lot: lot)],
                                             at: time, from: coop, at: exporter)
            }
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                event.extensions[names.randomElement(using: &random) ?? "agt:x"] = awkward.randomElement(using: &random) ?? .null
            }
            return event
        }
    }

    @Test("on hundreds of generated events of every kind, our hashes are the PyPI reference's")
    func referenceAgreesOnGeneratedEvents() throws {
        let signer = try Fixtures.pki.signer(.honeyCoop)
        let dir = try temporaryDirectory()
        var files: [String] = [], ours: [String] = []
        for (index, event) in try Self.generatedEvents(count: 240).enumerated() {
            let payload = try signer.signRecord(event).envelope.payload
            guard case .object(let members) = try OrderedJSON.parse(payload) else { continue }
            ours.append(try EPCISEvent.decode(payload: payload).eventID)
            // One document per event: the reference expands bare words over a whole document.
            let document = OrderedJSON.object([
                .init(key: "@context", value: members.first { $0.key == "@context" }?.value ?? .null),
                .init(key: "type", value: .string("EPCISDocument")), .init(key: "schemaVersion", value: .string("2.0")),
                .init(key: "creationDate", value: .string("2026-11-29T00:00:00Z")),
                .init(key: "epcisBody", value: .object([.init(key: "eventList", value: .array([.object(members.filter { $0.key != "@context" })]))])),
            ])
            let file = dir.appendingPathComponent("event-\(index).jsonld")
            try Data(document.jsonText.utf8).write(to: file)
            files.append(file.path)
        }
        let result = try run(["python3", "-m", "epcis_event_hash_generator"] + files)
        #expect(result.status == 0, "\(result.output.prefix(2000))")
        let theirs = result.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("ni:///") }
        #expect(theirs.count == ours.count)
        for (index, (mine, reference)) in zip(ours, theirs).enumerated() where mine != reference {
            Issue.record("event \(index): ours \(mine), reference \(reference)")
        }
    }

    @Test("an eventID that is not the event's hash is reported, even when correctly signed")
    func mismatchDetected() throws {
        var bundle = Fixtures.bundle
        var event = try EPCISEvent.decode(payload: bundle.records[0].payload)
        event.eventID = "ni:///sha-256;" + String(repeating: "ab", count: 32) + "?ver=CBV2.0"
        bundle.records[0] = try Fixtures.pki.signer(.honeyCoop).sign(event)
        let report = try Fixtures.verify(bundle)
        #expect(report.codes.contains("eventID.mismatch"))
        // The right hash, its digits in upper case: the ID is another text, and so no hash of this event.
        let right = try EPCISEvent.decode(payload: Fixtures.bundle.records[0].payload).eventID
        #expect(!(try Fixtures.verify(Fixtures.bundle)).codes.contains("eventID.mismatch"))
        event.eventID = "ni:///sha-256;" + right.dropFirst(14).prefix(64).uppercased() + "?ver=CBV2.0"
        #expect(event.eventID.lowercased() == right.lowercased() && event.eventID != right)
        bundle.records[0] = try Fixtures.pki.signer(.honeyCoop).sign(event)
        let upper = try Fixtures.verify(bundle)
        #expect(upper.findings.filter { $0.code == .eventIDMismatch }.map(\.record) == [bundle.records[0].digest])
        #expect(upper.findings.first { $0.code == .eventIDMismatch }?.message.contains("which is \(right)") == true)
    }

    @Test("Python's number and float forms are reproduced", arguments: [
        ("20", "20"), ("20.0", "20"), ("-0.0", "0"), ("1e3", "1000"), ("0.5", "0.5"), ("1.50", "1.5"), ("0.0001", "0.0001"),
        ("0.00001", "1e-05"), ("1_000", "1000"), ("12345678901234567890", "12345678901234567168"), ("nan", "nan"),
        ("1e16", "10000000000000000"), ("1.5e16", "15000000000000000"), ("123.456e-10", "1.23456e-08"), ("abc", "abc"), ("1__0", "1__0"),
    ])
    func pythonNumbers(input: String, expected: String) throws {
        #expect(try PreHashValue.canonical(input) == expected)
    }

    @Test("a search without case finds a needle wherever a plain search of the lowered bytes finds it, with a caseless byte or without")
    func searchWithoutCase() {
        let needles: [StaticString] = ["urn:epcglobal:cbv:", "time", "offset", ":", "n:E", "ab"]
        let pieces = ["u", "U", "r", "R", "n", "N", ":", "e", "E", "pc", "global", "GLOBAL", "cbv", "CBV", "t", "ime", "TIME", "off", "set", "a", "B", "\u{E9}", "x"]
        func lowered(_ bytes: some Sequence<UInt8>) -> [UInt8] { bytes.map { (65...90).contains($0) ? $0 + 32 : $0 } }
        var random = SystemRandomNumberGenerator()
        for round in 0..<3000 {
            let text = (0..<Int.random(in: 0...14, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
                + (round % 7 == 0 ? "URN:EPCglobal:cbv:" : "")
            for needle in needles {
                let pattern = lowered(UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)), hay = lowered(text.utf8)
                let expected = hay.count >= pattern.count && (0...(hay.count - pattern.count)).contains { Array(hay[$0..<$0 + pattern.count]) == pattern }
                #expect(text.withUTF8Bytes { PreHashValue.containsIgnoringCase($0, needle) } == expected, "\(text) \(needle)")
            }
        }
    }

    @Test("values told canonical at a glance are exactly those the full normalisation leaves unchanged")
    func canonicalAtAGlance() throws {
        let digest = "sha256:" + String(repeating: "0a", count: 32)
        var values = [digest, "shipping", "Infinity", "infinity", "nan", "NaN", "n", "i", "x", "N1", "a.b", "abc", "in_transit",
                      "xurn:epcglobal:cbv:bizstep:shipping", "aURN:EPCglobal:CBV:disp:active", "urn:epcglobal:cbv:bizstep:shipping",
                      "https://id.gs1.org/01/08936000120016/10/MV-1", "HTTPS://ID.GS1.ORG/01/08936000120016/10/MV-1",
                      "https://id.gs1.org/01/8936000120016/10/MV-1", "https://id.gs1.org/01/08936000120016/10/MV 1",
                      "https://id.gs1.org/01/08936000120016/10/MV-1/", "https://id.gs1.org/\u{301}01/08936000120016",
                      "https://example.com/01/08936000120016/10/MV-1", "https://ref.gs1.org/cbv/BizStep-shipping",
                      "https://ref.gs1.org/cbv/", "https://ref.gs1.org/cbv/BizStep-01", "https://ref.gs1.org/cbv/BizStep-x/01/08936000120016",
                      "https://ref.gs1.org/cbv/Disp-in_transit", "https://gs1.org/voc/Disp-active", "https://gs1.org/voc/gtin/08936000120016",
                      "https://gs1.org/voc/01/08936000120016/10/X", "https://ref.gs1.org/cbv/BizStep-\u{301}", "https://ref.gs1.org/cbvx/BizStep-a",
                      "https://ref.gs1.org/cbv/Disp-in_transit", "https://ref.gs1.org/cbv/x:urn:epcglobal:cbv:bizstep:y", "https://ref.gs1.org/cbv/1e5",
                      "https://ref.gs1.org/cbv/a%2F01%2F08936000120016", "https://ref.gs1.org/cbv/a?x=/01/08936000120016", "https://gs1.org/voc/ inf", "h", "hx.y",
                      "urn:epc:id:sgtin:4012345.011111.9876", "urn:epc:id:sgln:8936000.10000.0", "agt:inputs", " x", "x ", "é", "Ä.b",
                      "+07:00", "-05:30", "12:30", "2026-02-28", "1e-5", "1E+5", "-1e-5", "1_0e-5", "+1", "-1", "1-2", "1e5-3", "e-5",
                      "-inf", "+nan", "1 -2", "\u{661}\u{662}-\u{663}", "\u{661}e-\u{662}", "+07:00.5", "1:urn:epcglobal:cbv:bizstep:x", "-", "+", ":"]
        for record in Fixtures.bundle.records {
            let json = try OrderedJSON.parse(record.payload)
            func strings(_ value: OrderedJSON) -> [String] {
                switch value {
                case .string(let text): [text]
                case .array(let items): items.flatMap(strings)
                case .object(let members): members.flatMap { [$0.key] + strings($0.value) }
                default: []
                }
            }
            values += strings(json)
        }
        for value in values {  // an infinity throws on both paths
            let full = (try? PreHashValue.uncachedCanonical(value)) ?? "(refused)"
            #expect(((try? PreHashValue.canonical(value)) ?? "(refused)") == full, "\(value)")
        }
        // Zone offsets and dates, in every event and many ILMDs, are told without the cache.
        for value in ["+07:00", "-05:30", "12:30", "2026-02-28", "shipping", digest] {
            #expect(value.withUTF8Bytes(PreHashValue.isCanonicalAtAGlance), "\(value)")
        }
    }

    @Test("Digital Links told canonical by hand are exactly those the regular expressions keep as they are")
    func commonFormsByHand() throws {
        let bodies = ["01/08936000120016", "01/08936000120016/10/MV-2026-031", "01/08936000120016/21/S1", "00/089360001000000017",
                      "414/8936000100010", "417/8936000100010", "414/8936000100010/254/1", "01/8936000120016", "01/08936000120016/",
                      "01/08936000120016/10/", "01/08936000120016/10/" + String(repeating: "A", count: 21), "01/08936000120016/10/a b",
                      "01/08936000120016/10/a/b", "01/08936000120016/22/V1", "01/08936000120016/10/x/21/y", "414/8936000100010/254/",
                      "00/08936000100000001", "417/8936000100010/254/1", "02/08936000120016", "01/0893600012001x", "8003/08936000120016A",
                      "", "/", "01", "01/", "10/MV", "01/08936000120016/10/\u{E9}", "01/08936000120016/10/\"'-.;<=>_", "01/08936000120016/10/A?B"]
        for body in bodies {
            let uri = "https://id.gs1.org/" + body
            if DigitalLinkNormaliser.isCanonicalCommonForm(uri) { #expect(DigitalLinkNormaliser.digitalLink(uri) == uri, "\(uri)") }
        }
        let byHand = bodies.filter { DigitalLinkNormaliser.isCanonicalCommonForm("https://id.gs1.org/" + $0) }
        #expect(byHand == ["01/08936000120016", "01/08936000120016/10/MV-2026-031", "01/08936000120016/21/S1", "00/089360001000000017",
                           "414/8936000100010", "417/8936000100010", "414/8936000100010/254/1", "01/08936000120016/10/\"'-.;<=>_"])
        // A `?` begins a query, which the reference drops (its pre-hash, from `python3 -m epcis_event_hash_generator -p`).
        let document = #"{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-01-01T00:00:00.000+07:00","eventTimeZoneOffset":"+07:00","epcList":["https://id.gs1.org/01/08936000120016/21/A?B"],"action":"OBSERVE"}]}}"#
        #expect(try EventHash.preHashes(ofDocument: Data(document.utf8)).map { try $0.get() } == [
            "eventType=ObjectEventeventTime=2025-12-31T17:00:00.000ZeventTimeZoneOffset=+07:00epcListepc=https://id.gs1.org/01/08936000120016/21/Aaction=OBSERVE",
        ])
    }

    @Test("EPC URIs and Digital Links normalise as the reference does", arguments: [
        ("urn:epc:id:sgtin:4012345.011111.9876", "https://id.gs1.org/01/04012345111118/21/9876"),
        ("urn:epc:id:sscc:4012345.0000000001", "https://id.gs1.org/00/040123450000000016"),
        ("urn:epc:id:sgln:4012345.00001.0", "https://id.gs1.org/414/4012345000016"),
        ("urn:epc:class:lgtin:4012345.012345.998877", "https://id.gs1.org/01/04012345123456/10/998877"),
        ("urn:epc:idpat:sgtin:4012345.011111.*", "https://id.gs1.org/01/04012345111118"),
        ("https://example.com/gtin/9506000134352/lot/ABC?x=1", "https://id.gs1.org/01/09506000134352/10/ABC"),
        ("https://id.gs1.org/01/09506000134352/10/ABC/21/123", "https://id.gs1.org/01/09506000134352/21/123"),
        ("https://id.gs1.org/01/09506000134352/22/V1/21/123", "https://id.gs1.org/01/09506000134352/21/123"),
    ])
    func normaliser(input: String, expected: String) {
        #expect(DigitalLinkNormaliser.normalise(input) == expected)
    }

    @Test("times become UTC milliseconds with banker's rounding; non-times stay as they are", arguments: [
        ("2005-04-03T20:33:31.116000-06:00", "2005-04-04T02:33:31.116Z"), ("2019-10-21T14:45:00Z", "2019-10-21T14:45:00.000Z"),
        ("2020-01-01T00:00:00.0005+00:00", "2020-01-01T00:00:00.000Z"), ("2020-01-01T00:00:00.0015Z", "2020-01-01T00:00:00.002Z"),
        ("yesterday", "yesterday"), ("10000-01-01T00:00:00Z", "10000-01-01T00:00:00Z"), ("0099-12-31T23:59:59.999-01:00", "0100-01-01T00:59:59.999Z"),
        ("9999-12-31T23:30:00-01:00", "10000-01-01T00:30:00.000Z"),
    ])
    func times(input: String, expected: String) throws {
        #expect(try PreHashValue.timestamp(input) == expected)
        // Appended in place as `=` and the same bytes, or nothing for a non-time.
        var out: [UInt8] = Array("t".utf8)
        let appended = try PreHashValue.appendTimestamp(input, into: &out)
        #expect(appended == (PreHashValue.parseISO8601(input) != nil))
        #expect(String(decoding: out, as: UTF8.self) == (appended ? "t=" + expected : "t"))
    }

    @Test("a time that rounds up to a full second is refused, written or appended")
    func timeRoundingUpIsRefused() {
        var out: [UInt8] = []
        #expect(throws: TraceError.self) { try PreHashValue.timestamp("2020-01-01T00:00:00.9996Z") }
        #expect(throws: TraceError.self) { try PreHashValue.appendTimestamp("2020-01-01T00:00:00.9996Z", into: &out) }
        #expect(out.isEmpty)
    }
}

@Suite("Digital Link normaliser against the reference")
struct NormaliserDifferentialTests {
    /// EPC URIs and Digital Links of every scheme, with company prefixes of every length, odd
    /// characters and broken forms.
    static func corpus() -> [String] {
        var uris: [String] = []
        let serials = ["1", "9876", "A!B(C)*+,:D", "x.y", "%2F12", "ABCDEFGHIJKLMNOPQRSTU", "'q'", "a b"]
        for length in 6...12 {
            let cp = String("40123459876543".prefix(length))
            let item = String("0111111111111".prefix(13 - length))
            let loc = String("000011111111".prefix(12 - length))
            for serial in serials {
                uris += ["urn:epc:id:sgtin:\(cp).\(item).\(serial)", "urn:epc:class:lgtin:\(cp).\(item).\(serial)",
                         "urn:epc:id:sgln:\(cp).\(loc).\(serial)", "urn:epc:id:grai:\(cp).\(loc).\(serial)",
                         "urn:epc:id:giai:\(cp).\(serial)", "urn:epc:id:gdti:\(cp).\(loc).\(serial)", "urn:epc:id:ginc:\(cp).\(serial)",
                         "urn:epc:id:upui:\(cp).\(item).\(serial)", "urn:epc:id:itip:\(cp).\(item).01.02.\(serial)"]
            }
            uris += ["urn:epc:id:sscc:\(cp).\(String("01234567890123456".prefix(17 - length)))", "urn:epc:id:sgln:\(cp).\(loc).0",
                     "urn:epc:id:gsrn:\(cp).\(String("01234567890123456".prefix(17 - length)))",
                     "urn:epc:id:gsrnp:\(cp).\(String("01234567890123456".prefix(17 - length)))",
                     "urn:epc:id:gsin:\(cp).\(String("0123456789012345".prefix(16 - length)))", "urn:epc:id:pgln:\(cp).\(loc)",
                     "urn:epc:id:sgcn:\(cp).\(loc).4711", "urn:epc:id:cpi:\(cp).AB-12.123", "urn:epc:idpat:sgtin:\(cp).\(item).*",
                     "urn:epc:idpat:grai:\(cp).\(loc).*", "urn:epc:idpat:gdti:\(cp).\(loc).*", "urn:epc:idpat:cpi:\(cp).X1.*",
                     "urn:epc:idpat:itip:\(cp).\(item).01.02.*", "urn:epc:idpat:upui:\(cp).\(item).*",
                     "urn:epc:id:sgtin:\(cp).\(item)", "urn:epc:id:sscc:\(cp).1"]
        }
        for host in ["https://id.gs1.org", "https://example.com/some/path", "http://id.gs1.org"] {
            uris += ["\(host)/01/09506000134352", "\(host)/gtin/9506000134352/lot/ABC", "\(host)/01/09506000134352/10/ABC/21/123?a=b#x",
                     "\(host)/01/09506000134352/22/V1/10/L1", "\(host)/01/9506000134352", "\(host)/01/95060001", "\(host)/00/095060001343520005",
                     "\(host)/414/9506000134352/254/7", "\(host)/417/9506000134352", "\(host)/8004/9506000134352XYZ", "\(host)/sscc/095060001343520005",
                     "\(host)/01/09506000134352/21/%2F1", "\(host)/253/9506000134352ABC", "\(host)/8003/09506000134352AB", "\(host)/gln/9506000134352",
                     "\(host)/01/09506000134352/22/V1", "\(host)/8006/095060001343520102/21/x", "\(host)/01/0950", "\(host)/99/1234567"]
        }
        return uris + ["", "no dots", "urn:epc:id:sgtin:", "https://id.gs1.org/", "mailto:a.b@c.d"]
    }

    /// What the reference's normaliser (PyPI) makes of each of `uris`; nil where it declines.
    static func referenceForms(of uris: [String]) throws -> [String?] {
        let input = try temporaryDirectory().appendingPathComponent("uris.json")
        try JSONEncoder().encode(uris).write(to: input)
        let script = repositoryRoot.appendingPathComponent("Tests/Support/dl_normalise.py").path
        let result = try run(["sh", "-c", "python3 '\(script)' < '\(input.path)'"])
        #expect(result.status == 0, "\(result.output.prefix(2000))")
        let theirs = try JSONDecoder().decode([String?].self, from: Data(result.output.utf8))
        #expect(theirs.count == uris.count)
        return theirs
    }

    @Test("our normaliser and the reference agree on hundreds of URIs")
    func agreesWithReference() throws {
        let uris = Self.corpus()
        #expect(uris.count > 500)
        for (uri, reference) in zip(uris, try Self.referenceForms(of: uris)) {
            #expect(DigitalLinkNormaliser.normalise(uri) == reference, "\(uri)")
        }
    }
}

@Suite("Event ID form")
struct EventIDFormTests {
    static let hex = String(repeating: "0123456789abcdef", count: 4)

    @Test("a CBV 2.0 hash ID or a UUID URN is well formed", arguments: [
        "ni:///sha-256;\(hex)?ver=CBV2.0",
        "ni:///sha-256;\(hex.uppercased())?ver=CBV2.0",
        "urn:uuid:6fa459ea-ee8a-3ca4-894e-db77e160355e",
    ])
    func wellFormed(id: String) {
        #expect(EventFormCheck.isWellFormedEventID(id))
    }

    @Test("anything else is not", arguments: [
        "", "ni:///sha-256;?ver=CBV2.0",
        "ni:///sha-256;\(hex.dropLast())?ver=CBV2.0",            // 63 digits
        "ni:///sha-256;\(hex)0?ver=CBV2.0",                       // 65 digits
        "ni:///sha-256;\(hex.dropLast())g?ver=CBV2.0",           // not hex
        "ni:///sha-256;\(hex.dropLast())é?ver=CBV2.0",           // not ASCII, same length in characters
        "ni:///sha-384;\(hex)?ver=CBV2.0", "ni:///sha-256;\(hex)?ver=CBV2.1", "ni:///sha-256;\(hex)",
        " ni:///sha-256;\(hex)?ver=CBV2.0", "urn:uuid:not-a-uuid", "urn:uuid:",
    ])
    func malformed(id: String) {
        #expect(!EventFormCheck.isWellFormedEventID(id))
    }

    @Test("every ASCII character in a digit's place, first, middle or last, is accepted exactly when it is a hex digit")
    func eachCharacter() {
        let hexDigits = Set("0123456789abcdefABCDEF".utf8)
        for position in [0, 31, 63] {
            for byte in UInt8(0)...UInt8(127) {
                var digits = Array(Self.hex.utf8)
                digits[position] = byte
                let id = "ni:///sha-256;" + String(decoding: digits, as: UTF8.self) + "?ver=CBV2.0"
                #expect(EventFormCheck.isWellFormedEventID(id) == hexDigits.contains(byte), "byte \(byte) at \(position)")
            }
        }
    }
}
