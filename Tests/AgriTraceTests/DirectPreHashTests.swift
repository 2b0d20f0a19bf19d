import Foundation
import Testing
@testable import AgriTrace
import TestSupport

/// ``DirectPreHash`` writes the pre-hash from an event's fields; the generic algorithm reads the
/// event's payload. They must never differ: every eventID AgriTrace signs, and every one the
/// verifier checks, goes through the direct writer when it covers the event.
@Suite("CBV 2.0 event hash written directly from the event")
struct DirectPreHashTests {
    /// The generic algorithm over the event's own payload.
    static func generic(_ event: EPCISEvent) throws -> String {
        try EventHash.preHash(ofEventJSON: try event.payloadBytes())
    }

    /// The generated events of the reference test, each also in variants with what users' data
    /// puts into sources, destinations, documents, identifiers and extensions.
    static func events(count: Int) throws -> [EPCISEvent] {
        var random = SystemRandomNumberGenerator()
        let odd = ["", "  padded  ", "trailing\t", "owning_party", "possessing_party", "inv", "po", "urn:epcglobal:cbv:btt:po", "shipping", "agt:thing",
                   "urn:epc:id:sgln:8936000.10001.0", "https://id.gs1.org/417/8936000100018", "https://ref.gs1.org/cbv/SDT-location",
                   "https://gs1.org/voc/Disp-active", "agt:\u{301}mark", "https://gs1.org/vo\u{107}", "12.50", "Mật ong", "urn:epc:id:sgtin:0614141.107346.2017", "ADD",
                   "2026-02-28", "-05:30", "1e-5", "+1", "10:30",
                   // One text in three spellings (NFC, NFD, the Ångström sign): hashed each as written.
                   "1 \u{00C5}.", "1 A\u{030A}.", "1 \u{212B}."]
        func pick() -> String { odd.randomElement(using: &random) ?? "" }
        var events: [EPCISEvent] = []
        for event in try EventHashDifferentialTests.generatedEvents(count: count) {
            events.append(event)
            var variant = event
            variant.sourceList = (0..<Int.random(in: 0...3, using: &random)).map { _ in Source(type: pick(), source: pick()) }
            variant.destinationList = (0..<Int.random(in: 0...2, using: &random)).map { _ in Destination(type: pick(), destination: pick()) }
            variant.bizTransactionList = (0..<Int.random(in: 0...2, using: &random)).map { _ in BizTransaction(type: pick(), bizTransaction: pick()) }
            variant.epcList = Bool.random(using: &random) ? (0..<Int.random(in: 0...4, using: &random)).map { _ in pick() } : nil
            variant.parentID = Bool.random(using: &random) ? pick() : variant.parentID
            variant.bizStep = Bool.random(using: &random) ? pick() : variant.bizStep
            variant.disposition = Bool.random(using: &random) ? pick() : variant.disposition
            variant.readPoint = Bool.random(using: &random) ? Location(id: pick()) : variant.readPoint
            if Bool.random(using: &random) { variant.certificationInfo = .string(pick()) }
            if Bool.random(using: &random) {
                variant.ilmd = ["agt:grade": .string(pick()), "bizStep": .string(pick()), "agt:list": [.string(pick()), .number(3), ["type": .string(pick())]]]
            }
            if Bool.random(using: &random) {
                // Names and shapes the tree code treats specially, one at a time, beside plain ones.
                let special: [(String, JSONValue)] = [
                    ("comment", "left out"), ("rdfs:comment", "left out"), ("#text", .string(pick())), ("nested", [[.number(1), .number(2)], [.string(pick())]]),
                    ("quantity", ["a": .number(1)]), ("agt:subList", [.string(pick())]), ("inputEPC", .string(pick())), ("source", .string(pick())),
                    ("type", .string(pick())), ("flag", .bool(false)), ("nothing", .null), ("", .string(pick())),
                ]
                let (name, value) = special.randomElement(using: &random) ?? ("x", .null)
                variant.ilmd = ["agt:plain": ["agt:when": "2026-04-10", "geometry": ["type": "Point", "coordinates": [.number(105.41), .number(23.17)]]],
                                name: value, "agt:words": [.string(pick()), .string(pick())]]
            }
            if Int.random(in: 0...3, using: &random) == 0 {
                // Objects wider and narrower than the few members the direct writer sorts by swaps.
                var wide: [String: JSONValue] = [:]
                for index in 0..<Int.random(in: 2...40, using: &random) { wide["agt:" + pick() + String(index)] = .string(pick()) }
                variant.ilmd = ["agt:wide": .object(wide), "agt:grade": .string(pick())]
            }
            if Bool.random(using: &random) {
                variant.extensions["agt:parts"] = [["source": .string(pick()), "type": .string(pick())], .string(pick()), []]
                variant.extensions["example:empty"] = [:]
            }
            if Bool.random(using: &random) {
                // Sensor data with what the order does not cover: extensions, a metadata element
                // holding only an extension, several elements, bare measurement types.
                let report: JSONValue = ["type": .string(pick()), "value": .number(Decimal(Int.random(in: 0...99, using: &random))), "uom": .string(pick()),
                                         "agt:note": .string(pick()), "time": "2026-04-18T14:20:00.5+07:00",
                                         "exception": .string(["ALARM_CONDITION", "ERROR_CONDITION", pick()].randomElement(using: &random) ?? "")]
                variant.sensorElementList = [
                    ["sensorMetadata": ["agt:reportSHA256": .string(pick())], "sensorReport": [report, ["type": "Temperature", "component": "x"]]],
                    ["sensorMetadata": ["time": "2026-04-18T14:20:00.000+07:00", "deviceID": .string(pick())], "agt:extra": .string(pick())],
                ]
                if Bool.random(using: &random) {
                    // The shapes the direct sensor writer covers: metadata and reports of scalars,
                    // fields of the order and extensions, in several elements and reports.
                    func scalar() -> JSONValue {
                        [.string(pick()), .number(Decimal(Int.random(in: -5...500, using: &random)) / 10), .bool(Bool.random(using: &random)), .null,
                         "2026-04-18T14:20:00.123456+07:00", "", "  "].randomElement(using: &random) ?? .null
                    }
                    func fields(_ names: [String]) -> JSONValue {
                        var members: [String: JSONValue] = [:]
                        for name in names where Int.random(in: 0...2, using: &random) == 0 { members[name] = scalar() }
                        return .object(members)
                    }
                    let metadataNames = PreHashOrder.sensorMetadataFields + ["agt:reportSHA256", "agt:lab", "example:x"]
                    let reportNames = PreHashOrder.sensorReportFields + ["agt:note", "agt:method"]
                    variant.sensorElementList = .array((0..<Int.random(in: 1...3, using: &random)).map { _ in
                        var element: [String: JSONValue] = [:]
                        if Bool.random(using: &random) { element["sensorMetadata"] = fields(metadataNames) }
                        if Int.random(in: 0...3, using: &random) > 0 {
                            element["sensorReport"] = .array((0..<Int.random(in: 0...3, using: &random)).map { _ in fields(reportNames) })
                        }
                        return .object(element)
                    })
                }
            }
            variant.quantityList = variant.quantityList.map { list in
                list + [QuantityElement(epcClass: pick()), QuantityElement(epcClass: pick(), quantity: Decimal(string: "0.10") ?? 0, uom: pick())]
            }
            events.append(variant)
        }
        return events
    }

    @Test("on thousands of generated events and their variants, the direct pre-hash is the generic one")
    func agreesWithGeneric() throws {
        var covered = 0
        let events = try Self.events(count: 1200)
        for (index, event) in events.enumerated() {
            let direct = try DirectPreHash.preHash(of: event)
            guard let direct else { continue }
            covered += 1
            let generic = try Self.generic(event)
            if direct != generic {
                Issue.record("event \(index): direct\n\(direct)\ngeneric\n\(generic)")
                break
            }
        }
        #expect(covered == events.count, "covered \(covered) of \(events.count)")
    }

    @Test("every sample event's direct pre-hash is the generic one")
    func agreesOnSamples() throws {
        let pki = Fixtures.pki
        let bundles = try CleanSample.allCases.map { try $0.make(pki: pki) } + FraudSample.allCases.map { try $0.make(pki: pki) }
        var covered = 0
        for record in bundles.flatMap(\.records) {
            let event = try EPCISEvent.decode(payload: record.payload)
            guard let direct = try DirectPreHash.preHash(of: event) else { continue }
            covered += 1
            #expect(direct == (try EventHash.preHash(ofEventJSON: record.payload)))
        }
        #expect(covered == bundles.flatMap(\.records).count)
    }

    @Test("a recall's direct pre-hash is the generic one, its reason included")
    func recallAgrees() throws {
        let recall = EventFactory.recall(lot: HoneyScenario.lot, previous: "sha256:" + String(repeating: "ab", count: 32),
                                         at: try EPCISTime(parsing: "2026-05-10T09:00:00.000+07:00"), location: try GLN("8936000100018"),
                                         reason: "HMF 52 mg/kg: \"retained\" sample, lot MV-2026-031")
        let direct = try #require(try DirectPreHash.preHash(of: recall))
        #expect(direct == (try Self.generic(recall)) && direct.contains("HMF 52 mg/kg"), "\(direct)")
    }

    @Test("a write-off's direct pre-hash is the generic one, its quantities and reason included")
    func writeOffAgrees() throws {
        let discard = EventFactory.discard(quantities: [QuantityElement(epcClass: HoneyScenario.lot, quantity: Decimal(string: "12.50") ?? 0, uom: "KGM")],
                                           previous: [InputLink(record: "sha256:" + String(repeating: "cd", count: 32), lot: HoneyScenario.lot)],
                                           at: try EPCISTime(parsing: "2026-05-10T09:00:00.000+07:00"), location: try GLN("8936000100070"),
                                           reason: "jars broken: \"pallet 3\" dropped")
        let direct = try #require(try DirectPreHash.preHash(of: discard))
        #expect(direct == (try Self.generic(discard)) && direct.contains("destroying") && direct.contains("pallet 3"), "\(direct)")
    }

    @Test("a carrier's logged readings, with and without their times, hash as the generic algorithm hashes them")
    func timedReadingsAgree() throws {
        let readings = [TemperatureReading(celsius: Decimal(string: "2.80") ?? 0, time: try EPCISTime(parsing: "2026-04-12T11:00:00.000+07:00")),
                        TemperatureReading(celsius: 5, time: try EPCISTime(parsing: "2026-04-12T04:30:00.000Z")), TemperatureReading(celsius: -1)]
        let transport = EventFactory.transport(units: ["https://id.gs1.org/00/089360001000000018"],
                                               previous: [InputLink(record: "sha256:" + String(repeating: "ef", count: 32), lot: "https://id.gs1.org/00/089360001000000018")],
                                               at: try EPCISTime(parsing: "2026-04-12T19:00:00.000+07:00"), location: try GLN("8936000100087"), readings: readings)
        let direct = try #require(try DirectPreHash.preHash(of: transport))
        #expect(direct == (try Self.generic(transport)) && direct.contains("2026-04-12T04:30:00.000Z"), "\(direct)")
        #expect(transport.measurements.map(\.time) == ["2026-04-12T11:00:00.000+07:00", "2026-04-12T04:30:00.000Z", nil])
    }

    @Test("shapes the direct writer does not cover take the generic path", arguments: [
        "another context", "an object as certificationInfo", "a transaction without type", "an extension list name",
        "an ignoreFields member", "an unprefixed extension", "a list name after a prepended mark",
    ])
    func declines(shape: String) throws {
        var event = try EPCISEvent.decode(payload: Fixtures.bundle.records[3].payload)
        #expect(try DirectPreHash.preHash(of: event) != nil)
        switch shape {
        case "another context": event.context = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
        case "an object as certificationInfo": event.certificationInfo = ["id": "x"]
        case "a transaction without type": event.bizTransactionList = [BizTransaction(type: nil, bizTransaction: "urn:x:1")]
        case "an extension list name": event.extensions["agt:plotList"] = ["a"]
        case "an ignoreFields member": event.ilmd = ["agt:ignoreFields": ["bizStep"]]
        // U+0600 joins the `L` after it into one Character, so `hasSuffix("List")` says no; the
        // reference compares code points and takes the member for a list, as the generic path does.
        case "a list name after a prepended mark": event.extensions["agt:\u{0600}List"] = ["a"]
        default: event.extensions["transformationID"] = "urn:x"
        }
        #expect(try DirectPreHash.preHash(of: event) == nil)
        // …and the eventID still comes out right, or fails as the generic algorithm fails.
        let generic = Result { try Self.generic(event) }
        let viaEvent = Result { try EventHash.preHash(of: event) }
        #expect((try? generic.get()) == (try? viaEvent.get()))
    }

    @Test("a vocabulary word is known by its code points: a Kelvin sign for its K adds no IRI that another value then ends, as in the generic algorithm")
    func vocabularyWordByCodePoint() throws {
        var event = try EPCISEvent.decode(payload: Fixtures.bundle.records[0].payload)
        event.sensorElementList = [["sensorReport": [["type": "\u{212A}inematicViscosity", "value": .number(1)]]]]
        event.extensions["agt:note"] = "KinematicViscosity"  // would take the IRI, were it found
        let direct = try DirectPreHash.preHash(of: event), generic = try Self.generic(event)
        #expect(direct != nil)
        #expect(direct == generic, "\(direct ?? "nil")\n\(generic)")
    }

    @Test("open JSON members are put in code point order of their names, few or many, the values moving with them")
    func membersSortedByName() {
        var random = SystemRandomNumberGenerator()
        let names = ["b", "a", "agt:x", "ä", "a\u{308}", "Z", "", "\u{212A}", "K", "agt:\u{301}y", "zz", "z"]
        for count in [0, 1, 2, 5, 16, 17, 40] {
            for _ in 0..<50 {
                var members = (0..<count).map { index in
                    OrderedJSON.Member(key: (names.randomElement(using: &random) ?? "") + String(index % 3), value: .number(String(index)))
                }
                let expected = members.enumerated().sorted { a, b in
                    let order = CodePointOrder.compare(a.element.key, b.element.key)
                    return order != 0 ? order < 0 : a.offset < b.offset  // repeats (not in JSON objects) only to check the values move
                }.map(\.element)
                OrderedJSON.sortByName(&members)
                #expect(members.map(\.key).map { Array($0.utf8) } == expected.map(\.key).map { Array($0.utf8) })
                func pairs(_ list: [OrderedJSON.Member]) -> [[UInt8]] {  // by bytes: Swift's Set would join `ä` and `a` + U+0308
                    list.map { Array(($0.key + "=" + $0.value.jsonText).utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
                }
                #expect(pairs(members) == pairs(expected))
            }
        }
    }

    @Test("member names are compared as code points, as the reference compares them: a prepended mark before `List` still makes a list")
    func namesByCodePoint() throws {
        var event = try EPCISEvent.decode(payload: Fixtures.bundle.records[0].payload)
        event.ilmd = ["agt:\u{0600}List": ["a", "b"], "agt:plain": "y"]
        let direct = try DirectPreHash.preHash(of: event), generic = try Self.generic(event)
        #expect(direct == generic, "\(direct ?? "nil")\n\(generic)")
        // An `ignoreFields` name after the mark: the generic path, which reads it as the reference does.
        event.ilmd = ["agt:\u{0600}ignoreFields": "x"]
        #expect(try DirectPreHash.preHash(of: event) == nil)
        #expect(try EventHash.preHash(of: event) == (try Self.generic(event)))
    }

    @Test("a payload that is not its event's canonical encoding is hashed from its own JSON")
    func nonCanonicalPayload() throws {
        let signer = try Fixtures.pki.signer(.honeyCoop)
        let record = Fixtures.bundle.records[3]
        // The same event with a quantity written 1200.0 and spaces: a different payload, the same hash.
        let text = String(decoding: record.payload, as: UTF8.self).replacingOccurrences(of: "\"quantity\":1200,", with: "\"quantity\" : 1200.0 ,")
        #expect(text != String(decoding: record.payload, as: UTF8.self))
        var bundle = Fixtures.bundle
        bundle.records[3] = try signer.sign(payload: Data(text.utf8))
        let report = try Fixtures.verify(bundle)
        #expect(!report.codes.contains("eventID.mismatch"))
        // Changing a member the decoded event does not keep apart (a number's value) is caught.
        let changed = text.replacingOccurrences(of: "1200.0", with: "1200.5")
        bundle.records[3] = try signer.sign(payload: Data(changed.utf8))
        #expect(try Fixtures.verify(bundle).codes.contains("eventID.mismatch"))
    }
}

/// The pre-hash's sorted runs are written one after another into the output and put in order
/// there; what comes before them stays where it is.
@Suite("Runs sorted in place")
struct SortedRunsTests {
    /// `runs` written after `head` and sorted; what each step wrote is ended as one run.
    static func sorted(_ runs: [String], after head: String = "head:") -> String {
        var out = Array(head.utf8)
        var sorted = SortedRuns(startingAt: out, count: runs.count)
        for run in runs {
            out += run.utf8
            sorted.endRun(out)
        }
        sorted.sort(&out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("runs come out in byte order, a run before a longer one it begins, and bytes over 0x7F after ASCII")
    func byteOrder() {
        #expect(Self.sorted(["b", "ab", "a", "", "abc", "é", "z"]) == "head:aababcbzé")
        #expect(Self.sorted(["a=1", "a", "a=1"], after: "") == "aa=1a=1")
        // As Array.lexicographicallyPrecedes orders them, on many random runs.
        var random = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let runs = (0..<Int.random(in: 0...9, using: &random)).map { _ in
                String((0..<Int.random(in: 0...4, using: &random)).map { _ in "ab=é{".randomElement(using: &random) ?? "a" })
            }
            let expected = runs.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }.map { String(decoding: $0, as: UTF8.self) }.joined()
            #expect(Self.sorted(runs) == "head:" + expected, "\(runs)")
        }
    }

    @Test("runs already in order, and a single run, are left as written")
    func inOrder() {
        #expect(Self.sorted(["a", "b", "c"]) == "head:abc")
        #expect(Self.sorted(["zzz"]) == "head:zzz")
        #expect(Self.sorted([]) == "head:")
    }

    @Test("a rollback forgets the runs and bytes written since its mark, and later runs sort as if they had never been")
    func rollBack() {
        var out = Array("head:".utf8)
        var runs = SortedRuns(startingAt: out, count: 4)
        out += "x".utf8
        runs.endRun(out)
        let mark = runs.mark
        out += "zzzz".utf8
        runs.endRun(out)
        out += "partial".utf8  // a run given up half way
        runs.rollBack(&out, to: mark)
        #expect(String(decoding: out, as: UTF8.self) == "head:x")
        out += "a".utf8
        runs.endRun(out)
        out += "w".utf8
        runs.endRun(out)
        runs.sort(&out)
        #expect(String(decoding: out, as: UTF8.self) == "head:awx")
    }
}
