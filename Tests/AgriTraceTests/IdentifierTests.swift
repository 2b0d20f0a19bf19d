import Foundation
import Testing
@testable import AgriTrace
import TestSupport

@Suite("GS1 identifiers")
struct IdentifierTests {
    @Test("GTINs of every length normalise to GTIN-14; wrong check digits are refused")
    func gtins() throws {
        #expect(try GTIN("08936000120016").value == "08936000120016")
        #expect(try GTIN("8936000120016").value == "08936000120016")
        #expect(try GTIN("96385074").value == "00000096385074")
        #expect(try GTIN("036000291452").value == "00036000291452")
        for bad in ["08936000120013", "0893600012001", "abcdefghijklm", "", "089360001200160"] {
            #expect(throws: IdentifierError.self) { try GTIN(bad) }
        }
    }

    @Test("GLNs and SSCCs need the right length and check digit")
    func glnAndSSCC() throws {
        #expect(try GLN("8936000100018").partyURI == "https://id.gs1.org/417/8936000100018")
        #expect(throws: IdentifierError.self) { try GLN("8936000100019") }
        #expect(try SSCC("089360001000000018").value.count == 18)
        #expect(throws: IdentifierError.self) { try SSCC("089360001000000017") }
    }

    @Test("a party's GLN is read from its Digital Link: thirteen ASCII digits after /417/ or /414/", arguments: [
        ("https://id.gs1.org/417/8936000100018", "8936000100018"), ("https://id.gs1.org/414/8936000100070/254/2", "8936000100070"),
        ("https://example.com/x/417/8936000100018?q=1", "8936000100018"), ("https://id.gs1.org/417/893600010001", nil),
        ("https://id.gs1.org/417/89360001000189", nil), ("https://id.gs1.org/417/٨٩٣٦٠٠٠١٠٠٠١٨", nil), ("urn:epc:id:sgln:8936000.10001.0", nil),
        // The first /417/ decides before /414/ is looked for; a key at the very end, or nothing, is none.
        ("https://x.org/417/12/414/8936000100070", "8936000100070"), ("https://x.org/417/12/417/8936000100018", nil),
        ("https://x.org/417/", nil), ("/414/8936000100070", "8936000100070"), ("", nil),
        // On GS1's resolver too: a /414/ path naming a /417/ later is read at the /417/.
        ("https://id.gs1.org/414/8936000100070/417/8936000100018", "8936000100018"), ("https://id.gs1.org/414/89360001000", nil),
    ] as [(String, String?)])
    func glnOfParty(uri: String, gln: String?) {
        #expect(EPCISEvent.gln(in: uri) == gln)
    }

    @Test("a shipment's parties are its owning parties (the CBV word bare or as its IRI), else its first source and destination")
    func owningParties() {
        var event = EPCISEvent(type: .objectEvent, eventTime: EPCISTime(date: Date(timeIntervalSince1970: 0)), eventID: "urn:uuid:00000000-0000-4000-8000-000000000000")
        let party = { (gln: String) in "https://id.gs1.org/417/\(gln)" }
        event.sourceList = [Source(type: "possessing_party", source: party("8936000100018")), Source(type: "https://ref.gs1.org/cbv/SDT-owning_party", source: party("8936000100025"))]
        event.destinationList = [Destination(type: "owning_party_x", destination: party("8936000100032")), Destination(type: "party", destination: party("8936000100049"))]
        #expect(event.sourceGLN == "8936000100025" && event.destinationGLN == "8936000100032")
        event.destinationList?.append(Destination(type: "owning_party", destination: party("8936000100056")))
        #expect(event.destinationGLN == "8936000100056")
        #expect(EPCISEvent.isOwningParty("owning_party") && !EPCISEvent.isOwningParty("wning_party") && !EPCISEvent.isOwningParty(""))
    }

    @Test("GS1 dates are days of the calendar: no 30 February, 29 February in leap years only, DD 00 where the AI allows it", arguments: [
        ("17", "280229", true), ("17", "270229", false), ("17", "260230", false), ("17", "260431", false), ("17", "261231", true),
        ("17", "260400", true), ("7007", "260400", false), ("7007", "260410", true), ("17", "261301", false),
        ("7250", "20000229", true), ("7250", "19000229", false), ("7250", "20260431", false),
    ])
    func gs1Dates(ai: String, value: String, valid: Bool) {
        #expect((GS1SyntaxDictionary.shared.validate(value, for: ai) == nil) == valid, "\(ai) \(value)")
    }

    @Test("Optional components the dictionary brackets before their linters: a harvest over days (7007), several countries (423)", arguments: [
        ("7007", "260401260420", true), ("7007", "260401", true), ("7007", "2604012604", false), ("7007", "260401261340", false),
        ("7007", "2604012604201", false), ("423", "704764", true), ("423", "704764418116156", true), ("423", "704764418116156104", false),
        ("8008", "2604101230", true), ("8008", "2604102460", false),
    ])
    func optionalBracketedComponents(ai: String, value: String, valid: Bool) {
        #expect((GS1SyntaxDictionary.shared.validate(value, for: ai) == nil) == valid, "\(ai) \(value)")
    }

    @Test("Digital Links round-trip and name the lot")
    func digitalLinks() throws {
        let lot = DigitalLink.lot(try GTIN("08936000120016"), lot: "MV-2026-031")
        #expect(lot.uri == "https://id.gs1.org/01/08936000120016/10/MV-2026-031")
        #expect(try DigitalLink(parsing: lot.uri) == lot)
        let item = try DigitalLink(parsing: "https://example.com/dl/01/08936000120016/10/MV%2F1/21/0042")
        #expect(item == .item(try GTIN("08936000120016"), lot: "MV/1", serial: "0042"))
        #expect(item.lotURI == "https://id.gs1.org/01/08936000120016/10/MV%2F1")
        #expect(try DigitalLink(parsing: "https://id.gs1.org/00/089360001000000018") == .logisticUnit(try SSCC("089360001000000018")))
        for bad in ["ftp://id.gs1.org/01/08936000120016", "https://id.gs1.org/", "https://id.gs1.org/01/08936000120013",
                    "https://id.gs1.org/01/08936000120016/10", "https://id.gs1.org/01/08936000120016/99/x"] {
            #expect(throws: IdentifierError.self) { try DigitalLink(parsing: bad) }
        }
    }

    @Test("a Digital Link's path holds at most a key's three AIs: four are refused, and so is a hostile path of hundreds of thousands, by their count")
    func digitalLinkPathBound() throws {
        let three = "https://id.gs1.org/01/08936000120016/10/MV-1/21/0042"
        #expect(try DigitalLink(parsing: three) == .item(try GTIN("08936000120016"), lot: "MV-1", serial: "0042"))
        func refusal(_ text: String) -> String {
            do { _ = try DigitalLink(parsing: text); return "accepted" } catch { return "\(error)" }
        }
        #expect(refusal(three + "/22/x").contains("more path AIs than any supported key"))
        let hostile = "https://id.gs1.org/01/08936000120016/10/" + Array(repeating: "abcdefgh", count: 400_001).joined(separator: "/")
        let hostileRefusedByCount = refusal(hostile).contains("more path AIs")  // not in the #expect: its text is megabytes
        #expect(hostileRefusedByCount)
        #expect(refusal("https://id.gs1.org/01/08936000120016/10/MV-1/99/x").contains("name no supported key"))
    }

    @Test("a lot number is 1 to 20 characters of GS1 set 82: ASCII letters, digits and its punctuation, nothing else")
    func lotNumbersOfSet82() throws {
        for good in ["MV-2026-031", "A", "!\"%&'()*+,-./:;<=>?_", String(repeating: "9", count: 20)] {
            #expect(try DigitalLink.checkedAI82(good, ai: "10", max: 20) == good)
        }
        // A space, '#', '~', letters with marks (composed or combining), a full-width digit, a line break, too long, empty.
        for bad in ["MV 1", "MV#1", "MV~1", "Lô-1", "Lo\u{302}-1", "１", "A\r\nB", String(repeating: "9", count: 21), ""] {
            #expect(throws: IdentifierError.self) { try DigitalLink.checkedAI82(bad, ai: "10", max: 20) }
        }
        #expect(DigitalLink.escape("MV/1 ~ô") == "MV%2F1%20~%C3%B4")
    }
}

@Suite("EPCIS events")
struct EventTests {
    @Test("EPCIS times parse with offsets and print in the zone they were recorded in")
    func times() throws {
        let time = try EPCISTime(parsing: "2026-04-12T07:30:00.250+07:00")
        #expect(time.date == date("2026-04-12T00:30:00.250Z"))
        #expect(time.description == "2026-04-12T07:30:00.250+07:00")
        #expect(try EPCISTime(parsing: "2026-04-12T00:30:00Z").offsetText == "+00:00")
        for bad in ["2026-04-12", "2026-13-12T07:30:00+07:00", "2026-04-12T07:30:00", "2026-04-12T07:30:00+7", "x".padding(toLength: 30, withPad: "x", startingAt: 0),
                    "2026-02-29T07:30:00Z", "2026-04-31T07:30:00Z", "2100-02-29T00:00:00Z"] {  // days that do not exist
            #expect(throws: TraceError.self) { try EPCISTime(parsing: bad) }
        }
    }

    @Test("times read and written by date arithmetic agree with Foundation's calendar, leap days and negative offsets included")
    func timesAgreeWithCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            // 1900 … 2200, any millisecond, offsets from -12:00 to +14:00 in quarter hours.
            let instant = Date(timeIntervalSince1970: Double(Int64.random(in: -2_208_988_800_000...7_258_118_400_000, using: &generator)) / 1000)
            let offset = Int.random(in: -48...56, using: &generator) * 15
            let time = EPCISTime(date: instant, offsetMinutes: offset)
            calendar.timeZone = try #require(TimeZone(secondsFromGMT: offset * 60))
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: time.date)
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
            #expect(time.description.hasPrefix(expected), "\(instant) at \(offset) min")
            let parsed = try EPCISTime(parsing: time.description)
            #expect(abs(parsed.date.timeIntervalSince(time.date)) < 0.0005 && parsed.offsetMinutes == offset, "\(time)")
        }
        #expect(CalendarDay.midnight("2000-02-29") == date("2000-02-29T00:00:00Z"))
        for bad in ["2026-02-29", "2100-02-29", "2026-04-31", "2026-00-10", "2026-4-10", "2026-04-1x", "+026-04-10"] {
            #expect(CalendarDay.midnight(bad) == nil, "\(bad)")
        }
        let leap = try EPCISTime(parsing: "2028-02-29T23:59:59.999-05:30")
        #expect(abs(leap.date.timeIntervalSince(date("2028-03-01T05:29:59.999Z"))) < 1e-6)
        #expect(leap.description == "2028-02-29T23:59:59.999-05:30")
    }

    @Test("an event survives encode and decode, unknown members included")
    func roundTrip() throws {
        var event = EventFactory.harvest(
            lot: "https://id.gs1.org/01/08936000120016/10/L1", quantity: 12.5, uom: "KGM",
            at: try EPCISTime(parsing: "2026-04-12T07:30:00.000+07:00"), location: try GLN("8936000100018"),
            harvestDate: "2026-04-10", plots: [Plot(id: "P1", name: "Lũng Pù", longitude: 105.41, latitude: 23.17)]
        )
        event.extensions["example:colour"] = "amber"
        let bytes = try event.payloadBytes()
        let back = try EPCISEvent.decode(payload: bytes)
        #expect(back == event)
        #expect(try back.payloadBytes() == bytes)
        #expect(back.isCommissioning)
        #expect(back.createdIdentifiers == ["https://id.gs1.org/01/08936000120016/10/L1"])
    }

    @Test("malformed events name what is wrong", arguments: [
        (#"{"eventTime":"2026-04-12T07:30:00Z","eventTimeZoneOffset":"+00:00","eventID":"x","action":"ADD"}"#, "no \"type\""),
        (#"{"type":"FooEvent","eventTime":"2026-04-12T07:30:00Z","eventTimeZoneOffset":"+00:00","eventID":"x"}"#, "FooEvent"),
        (#"{"type":"ObjectEvent","eventTime":"2026-04-12T07:30:00Z","eventTimeZoneOffset":"+07:00","eventID":"x","action":"ADD"}"#, "differs"),
        (#"{"type":"ObjectEvent","eventTime":"2026-04-12T07:30:00Z","eventTimeZoneOffset":"+00:00","eventID":"x"}"#, "needs an action"),
        (#"{"type":"ObjectEvent","eventTime":"2026-04-12T07:30:00Z","eventTimeZoneOffset":"+00:00","eventID":"x","action":"ADD","quantityList":"no"}"#, "quantityList"),
        (#"[1,2"#, "not valid JSON"),
    ])
    func malformedEvents(json: String, expected: String) {
        #expect { try EPCISEvent.decode(payload: Data(json.utf8)) } throws: { error in
            guard let error = error as? TraceError else { return false }
            return error.code == .eventInvalid && error.message.contains(expected)
        }
    }
}

@Suite("DSSE envelopes")
struct EnvelopeTests {
    @Test("PAE matches the DSSE specification's example")
    func paeVector() {
        let pae = Envelope.pae(payloadType: "http://example.com/HelloWorld", payload: Data("hello world".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
    }

    @Test("a record digest's every byte, in the prefix or a digit's place, is checked: only lower-case hex digits pass")
    func digestEachByte() {
        let digest = Envelope(payload: Data("abc".utf8)).digest, lowerHex = Set("0123456789abcdef".utf8)
        for position in [0, 6, 7, 38, 70] {
            for byte in UInt8(0)...UInt8(255) where byte < 0x80 {
                var bytes = Array(digest.utf8)
                let original = bytes[position]
                bytes[position] = byte
                let expected = position < 7 ? byte == original : lowerHex.contains(byte)
                #expect(RecordDigest.isWellFormed(String(decoding: bytes, as: UTF8.self)) == expected, "byte \(byte) at \(position)")
            }
        }
    }

    @Test("the record digest is SHA-256 of the exact payload bytes")
    func digest() {
        let envelope = Envelope(payload: Data("abc".utf8))
        #expect(envelope.digest == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(RecordDigest.isWellFormed(envelope.digest))
        #expect(!RecordDigest.isWellFormed("sha256:BA7816BF"))
        let hex = String(envelope.digest.dropFirst(7)), short = String(hex.dropLast())
        let bad: [String] = ["sha256:" + hex.uppercased(), "sha512:" + hex, "sha256:" + short, "sha256:" + hex + "0", "Sha256:" + hex,
                             "sha256:" + short + "g", "sha256:" + short + "é", "sha256-" + hex, hex + "sha256:"]
        for bad in bad {
            #expect(!RecordDigest.isWellFormed(bad), "\(bad)")
        }
        let bridged = NSString(string: envelope.digest) as String  // not native UTF-8: the byte-by-byte path
        #expect(RecordDigest.isWellFormed(bridged) && !RecordDigest.isWellFormed(NSString(string: "sha256:" + hex.uppercased()) as String))
    }

    @Test("a CBV value's bare word, from each of its spellings; a bare word or any other text as it is")
    func cbvWords() {
        for spelling in ["https://ref.gs1.org/cbv/BizStep-shipping", "urn:epcglobal:cbv:bizstep:shipping", "cbv:BizStep-shipping", "shipping"] {
            #expect(EPCISEvent.cbvWord(spelling) == "shipping", "\(spelling)")
        }
        for spelling in ["https://ref.gs1.org/cbv/Disp-in_transit", "urn:epcglobal:cbv:disp:in_transit", "cbv:Disp-in_transit"] {
            #expect(EPCISEvent.cbvWord(spelling) == "in_transit", "\(spelling)")
        }
        for other in ["urn:example:step:shipping", "https://example.com/BizStep-shipping", "", "cbv:Disp-\u{301}active"] {
            #expect(EPCISEvent.cbvWord(other) == other, "\(other)")
        }
    }

    @Test("the digest, worked out once, follows the payload: replaced whole or changed in place")
    func digestFollowsPayload() {
        var envelope = Envelope(payload: Data("abc".utf8))
        envelope.payload = Data("abd".utf8)
        #expect(envelope.digest == RecordDigest.of(Data("abd".utf8)))
        envelope.payload[2] = UInt8(ascii: "c")
        #expect(envelope.digest == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        envelope.payload.append(UInt8(ascii: "!"))
        #expect(envelope.digest == RecordDigest.of(Data("abc!".utf8)))
    }

    @Test("URL-safe unpadded base64 reads like standard base64; junk is record.malformed")
    func base64Forms() throws {
        let standard = #"{"payloadType":"t","payload":"+/8=","signatures":[{"keyid":"k","sig":"AA=="}]}"#
        let urlSafe = #"{"payloadType":"t","payload":"-_8","signatures":[{"keyid":"k","sig":"AA"}]}"#
        let a = try Envelope.parse(Data(standard.utf8))
        let b = try Envelope.parse(Data(urlSafe.utf8))
        #expect(a == b && a.payload == Data([0xfb, 0xff]))
        let junk = #"{"payloadType":"t","payload":"%%%","signatures":[]}"#
        #expect(throws: TraceError.self) { try Envelope.parse(Data(junk.utf8)) }
        #expect(throws: TraceError.self) { try Envelope.parse(Data(#"{"payloadType":"t","payload":"AA=="}"#.utf8)) }
    }

    @Test("base64url round-trips every length, without padding, and refuses what is not its alphabet")
    func base64URL() throws {
        var random = SystemRandomNumberGenerator()
        for length in 0...40 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(try Base64URL.decode(text, field: "s") == bytes)
            #expect(Base64URL.decodeEitherAlphabet(Data(bytes).base64EncodedString()) == Data(bytes))  // the standard form too
        }
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        for bad in ["+_8", "-_8=", "-_\u{301}8", "é", "-"] {
            #expect(throws: TraceError.self, "\(bad)") { try Base64URL.decode(bad, field: "s") }
        }
    }

    @Test("an event naming serialised items concerns their lots too; an identifier without a serial names no lot")
    func itemsConcernTheirLots() throws {
        let lot = "https://id.gs1.org/01/08936000120016/10/MV-2026-031"
        var event = EPCISEvent(type: .objectEvent, eventTime: try EPCISTime(parsing: "2026-04-10T08:00:00.000+07:00"), action: .observe)
        event.epcList = [lot + "/21/7", "https://id.gs1.org/00/089360001000000018"]
        #expect(event.concernedIdentifiers == [lot + "/21/7", lot, "https://id.gs1.org/00/089360001000000018"])
        #expect(event.concerns(lot) && !event.concerns("https://id.gs1.org/01/08936000120016/10/MV-2026-032"))
        #expect(EPCISEvent.lotOfItem(lot) == nil && EPCISEvent.lotOfItem("/21/") == nil && EPCISEvent.lotOfItem("x/21/") == "x")
        // On GS1's resolver: an item of a GTIN without a lot, and a path whose GTIN is no GTIN (a /21/ inside it counts).
        #expect(EPCISEvent.lotOfItem("https://id.gs1.org/01/08936000120016/21/7") == "https://id.gs1.org/01/08936000120016")
        #expect(EPCISEvent.lotOfItem("https://id.gs1.org/01/0/21/6000120016/10/L") == "https://id.gs1.org/01/0")
        // The list the registry stores: the same identifiers, each once, with few names or many.
        event.epcList = [lot + "/21/7", lot + "/21/8", lot + "/21/7"]
        #expect(event.identifiers == [lot + "/21/7", lot + "/21/8"] && event.concernedIdentifierList == [lot + "/21/7", lot + "/21/8", lot])
        event.epcList = [lot + "/21/7", lot + "/21/8", lot + "/21/7", lot + "/21/9", lot + "/21/8"]
        event.parentID = lot + "/21/9"
        #expect(event.identifiers == [lot + "/21/7", lot + "/21/8", lot + "/21/9"])
        event.parentID = nil
        event.epcList = (0..<20).map { "\(lot)/21/\($0 % 12)" } + ["https://id.gs1.org/00/089360001000000018"]
        #expect(Set(event.concernedIdentifierList) == event.concernedIdentifiers && event.concernedIdentifierList.count == 14)
        #expect(event.identifiers == (0..<12).map { "\(lot)/21/\($0)" } + ["https://id.gs1.org/00/089360001000000018"])
    }
}
