import AgriTrace
import Foundation
import Testing
import TestSupport
import TraceCrypto
@testable import TraceStore

@Suite("EPCIS import and export")
struct EPCISImportTests {
    /// A record of the source system that its events name as their history.
    static let sourceRecord = "sha256:" + String(repeating: "5e", count: 32)
    static let vectors = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors/epcis-event-hash/documents")

    @Test("export then import keeps every eventID, and the importing registry checks sound; importing the document again adds nothing")
    func roundTrip() throws {
        let coop = try Parties.cooperativeWithHarvest()
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 100)], to: try GLN(SampleActor.exporter.gln), time: Parties.day.addingTimeInterval(60))
        let events = try coop.workspace.registry.allRecords().map(\.event)
        let document = try EPCISDocument.make(events: events)
        let exporter = try Parties.workspace(.exporter)
        let imported = try exporter.importEPCIS(document, source: "erp.jsonld").envelopes
        let ids = try imported.map { try EPCISEvent.decode(payload: $0.payload) }
        #expect(ids.map(\.eventID) == events.map(\.eventID))
        #expect(ids.filter { !$0.isImported }.isEmpty)
        #expect(ids[1].inputs.map(\.record) == [imported[0].digest])  // the shipment links to the imported harvest
        #expect(try exporter.workspace.check().findings.filter { $0.severity == .error }.isEmpty)
        // The same document again changes nothing: its events are already there (it was refused,
        // or doubled the shipment, before).
        let count = try exporter.workspace.registry.count()
        let again = try exporter.importEPCIS(document, source: "erp.jsonld")
        #expect(again.envelopes.isEmpty && again.alreadyStored == events.count)
        #expect(try exporter.workspace.registry.count() == count)
    }

    @Test("a recall another EPCIS system recorded, imported, refuses the lot for buyers, said as attested")
    func importedRecall() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let harvest = try #require(try coop.workspace.registry.allRecords().last?.digest)
        let document = try EPCISDocument.make(events: [EventFactory.recall(lot: Parties.lot, previous: harvest, at: EPCISTime(date: Parties.day.addingTimeInterval(60)),
                                                                         location: try GLN(SampleActor.honeyCoop.gln), reason: "ERP: sealed drums leaking")])
        #expect(try coop.importEPCIS(document, source: "erp.jsonld").envelopes.count == 1)
        let report = BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: Parties.day.addingTimeInterval(3600)))
            .verify(data: try coop.workspace.exportBundle(subject: Parties.lot).jsonData())
        #expect(report.findings.contains { $0.code == "lot.recalled"
            && $0.message == "another EPCIS system, as \(SampleActor.honeyCoop.organization) attests, recalled \(Parties.lot) on 2026-04-12: ERP: sealed drums leaking" },
                "\(report.findings)")
    }

    @Test("history older than this party's certificate imports, attested now: verifiers judge the signature at its attestation; a future event is refused")
    func importedTimes() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let location = try GLN(SampleActor.honeyCoop.gln), harvest = try #require(try coop.workspace.registry.allRecords().last?.digest)
        // A lot of the source system's own (the registry's lot was harvested in 2026: an event
        // of 2025 on it would precede its harvest, which the registry refuses).
        let old = DigitalLink.lot(Parties.honey, lot: "MV-2025-9").uri
        func document(_ times: [Date]) throws -> Data {
            try EPCISDocument.make(events: times.map { time in
                EventFactory.inspection(lot: old, previous: harvest, at: EPCISTime(date: time), location: location, conformant: true)
            })
        }
        let before = try coop.workspace.registry.count()
        #expect { try coop.importEPCIS(try document([Date(timeIntervalSince1970: 1_790_000_000)]), source: "erp") } throws: { error in
            (error as? TraceError)?.message.contains("is in the future") == true
        }
        #expect(try coop.workspace.registry.count() == before)
        // An event of 2025, before the sample certificates (valid from 2026), attested on 2026-05-28.
        let early = try EPCISTime(parsing: "2025-12-20T07:00:00+07:00").date
        let imported = try coop.importEPCIS(try document([early]), source: "erp").envelopes
        let event = try EPCISEvent.decode(payload: try #require(imported.first).payload)
        #expect(event.importedAt?.date == Date(timeIntervalSince1970: 1_780_000_000) && event.signingTime.date > event.eventTime.date)
        let verifier = BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: Date(timeIntervalSince1970: 1_780_000_100)),
                                      checks: [SignerChainCheck(), EventFormCheck()])
        let bundle = ProvenanceBundle(subject: old, records: imported, certificates: [try coop.workspace.signer(passphrase: nil).certificate.derRepresentation,
                                                                                                Parties.pki.issuing.certificate.derRepresentation],
                                      crls: [Parties.pki.crl.derRepresentation])
        #expect(verifier.verify(data: try bundle.jsonData()).findings.isEmpty)
        // Its attestation claimed after the verification time is a future event.
        #expect(BundleVerifier(options: VerificationOptions(trustAnchors: [Parties.pki.root.certificate], at: Date(timeIntervalSince1970: 1_779_000_000)),
                               checks: [EventFormCheck()]).verify(data: try bundle.jsonData()).codes == ["event.future"])
    }

    @Test("a document of 3,000 events on one lot imports as a chain: each links to the one before, the first to the registry's last record")
    func chainOfEvents() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let harvest = try #require(try coop.workspace.registry.allRecords().last?.digest)
        let location = try GLN(SampleActor.honeyCoop.gln)
        func document(_ count: Int, from offset: Int) throws -> Data {
            try EPCISDocument.make(events: (0..<count).map { n in
                var event = EventFactory.inspection(lot: Parties.lot, previous: harvest, at: EPCISTime(date: Parties.day.addingTimeInterval(Double(offset + n + 1))),
                                                    location: location, conformant: true)
                event.eventID = "urn:uuid:00000000-0000-4000-8000-\(String(format: "%012d", offset + n))"
                return event
            })
        }
        let first = try coop.importEPCIS(try document(3000, from: 0), source: "erp").envelopes
        let links = try first.map { try EPCISEvent.decode(payload: $0.payload).inputs.map(\.record) }
        #expect(links == [[harvest]] + first.dropLast().map { [$0.digest] })
        // A second document goes on from where the first ended, found in the registry.
        let second = try coop.importEPCIS(try document(1, from: 3000), source: "erp").envelopes
        #expect(try EPCISEvent.decode(payload: second[0].payload).inputs.map(\.record) == [first.last?.digest])
        #expect(try coop.workspace.check().findings.filter { $0.severity == .error }.isEmpty)
    }

    @Test("a document listing events out of time order imports them linked in the order they happened; one dated before the registry's record of its lot by more than the skew verifiers allow, or shipping more than the lot holds, is refused, nothing written")
    func eventsOutOfOrder() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let location = try GLN(SampleActor.honeyCoop.gln), exporter = try GLN(SampleActor.exporter.gln)
        let lot = DigitalLink.lot(Parties.honey, lot: "ERP-7").uri
        let harvest = EventFactory.harvest(lot: lot, quantity: 100, uom: "KGM", at: EPCISTime(date: Parties.day.addingTimeInterval(3600)), location: location,
                                           harvestDate: "2026-04-12", plots: [], category: "honey")
        let inspection = EventFactory.inspection(lot: lot, previous: Self.sourceRecord, at: EPCISTime(date: Parties.day.addingTimeInterval(7200)), location: location, conformant: true)
        let shipment = EventFactory.ship(quantities: [QuantityElement(epcClass: lot, quantity: 100, uom: "KGM")], previous: [],
                                         at: EPCISTime(date: Parties.day.addingTimeInterval(10_800)), from: location, to: exporter)
        // Newest first, as a query may answer.
        let imported = try coop.importEPCIS(try EPCISDocument.make(events: [shipment, inspection, harvest]), source: "erp").envelopes
        let events = try imported.map { try EPCISEvent.decode(payload: $0.payload) }
        #expect(events.map { $0.bizStepWord ?? "" } == ["commissioning", "inspecting", "shipping"])
        #expect(events[0].inputs.isEmpty && events[1].inputs.map(\.record) == [imported[0].digest] && events[2].inputs.map(\.record) == [imported[1].digest])
        #expect(try coop.workspace.check().findings.filter { $0.severity == .error }.isEmpty)
        let handOver = try coop.workspace.handOverReport(of: try coop.workspace.exportBundle(subject: lot))
        #expect(handOver.level == .trusted, "\(handOver.findings)")
        // An inspection of the registry's own lot ten minutes before its harvest: refused, by its place in the document.
        let count = try coop.workspace.registry.count()
        let early = EventFactory.inspection(lot: Parties.lot, previous: Self.sourceRecord, at: EPCISTime(date: Parties.day.addingTimeInterval(-600)), location: location, conformant: true)
        #expect { try coop.importEPCIS(try EPCISDocument.make(events: [inspection, early]), source: "erp") } throws: { error in
            let error = error as? TraceError
            return error?.code == "time.order" && error?.message.hasPrefix("$.epcisBody.eventList[1]:") == true
        }
        #expect(try coop.workspace.registry.count() == count)
        // A document shipping more of a lot than it harvested, or more than the registry's harvest holds: refused whole.
        let over = EventFactory.ship(quantities: [QuantityElement(epcClass: lot, quantity: 1, uom: "KGM")], previous: [],
                                     at: EPCISTime(date: Parties.day.addingTimeInterval(14_400)), from: location, to: exporter)
        let tooMuch = EventFactory.ship(quantities: [QuantityElement(epcClass: Parties.lot, quantity: 1201, uom: "KGM")], previous: [],
                                        at: EPCISTime(date: Parties.day.addingTimeInterval(14_400)), from: location, to: exporter)
        let sound = EventFactory.inspection(lot: Parties.lot, previous: Self.sourceRecord, at: EPCISTime(date: Parties.day.addingTimeInterval(600)),
                                            location: location, conformant: true)
        for (events, index) in [([over], 0), ([sound, tooMuch], 1)] {
            #expect { try coop.importEPCIS(try EPCISDocument.make(events: events), source: "erp") } throws: { error in
                let error = error as? TraceError
                return error?.code == "massBalance.exceeded" && error?.message.hasPrefix("$.epcisBody.eventList[\(index)]:") == true
            }
        }
        #expect(try coop.workspace.registry.count() == count)
        #expect(try coop.workspace.check().findings.filter { $0.severity == .error }.isEmpty)
    }

    @Test("an event whose readings are dated after it, or before the record of its lot it follows, is refused whole, naming it; nothing is written")
    func readingTimes() throws {
        let coop = try Parties.cooperativeWithHarvest()  // harvested at Parties.day
        let location = try GLN(SampleActor.honeyCoop.gln)
        func inspection(readAt offset: TimeInterval) -> EPCISEvent {
            EventFactory.inspection(lot: Parties.lot, previous: Self.sourceRecord, at: EPCISTime(date: Parties.day.addingTimeInterval(3600)), location: location,
                                    conformant: true, measurements: [Measurement("moisture", 17, "P1", time: EPCISTime(date: Parties.day.addingTimeInterval(offset)).description)])
        }
        let count = try coop.workspace.registry.count()
        for (offset, wrong) in [(7200.0, "a time after the record itself"), (-3600, "a time before the goods came to be where they were measured")] {
            #expect { try coop.importEPCIS(try EPCISDocument.make(events: [inspection(readAt: 1800), inspection(readAt: offset)]), source: "erp") } throws: { error in
                let error = error as? TraceError
                return error?.code == "measurement.timeOrder" && error?.message.hasPrefix("$.epcisBody.eventList[1]: its reading has \(wrong)") == true
            }
        }
        #expect(try coop.workspace.registry.count() == count)
        #expect(try coop.importEPCIS(try EPCISDocument.make(events: [inspection(readAt: 1800)]), source: "erp").envelopes.count == 1)
    }

    @Test("a GS1 reference document imports with its events' hashes as eventIDs")
    func referenceDocument() throws {
        let importer = try Parties.workspace(.importerBangkok)
        let data = try Data(contentsOf: Self.vectors.appendingPathComponent("epcisDocWithSingleEvent.jsonld"))
        let imported = try importer.importEPCIS(data, source: "gs1").envelopes
        #expect(imported.count == 1)
        let expected = try EventHash.preHashes(ofDocument: data).map { EventHash.hash(preHash: try $0.get()) }
        let event = try EPCISEvent.decode(payload: imported[0].payload)
        #expect(event.eventID == expected[0] || event.eventID.hasPrefix("ni:///") || event.eventID.hasPrefix("urn:uuid:"))
    }

    @Test("invalid documents are refused whole, naming the JSON path; nothing is written", arguments: [
        (#"{"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-04-12T07:30:00Z","eventTimeZoneOffset":"+00:00","action":"ADD","quantityList":[{"epcClass":"x","quantity":"ten"}]}]}}"#,
         "$.epcisBody.eventList[0]: quantityList[0].quantity must be a number"),
        (#"{"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-04-12T07:30:00Z","eventTimeZoneOffset":"+07:00","action":"ADD"}]}}"#,
         "$.epcisBody.eventList[0]: eventTimeZoneOffset"),
        (#"{"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-04-12T07:30:00Z","eventTimeZoneOffset":"+00:00","action":"ADD"},{"type":"TeleportEvent"}]}}"#,
         "$.epcisBody.eventList[1]"),
        (#"{"type":"EPCISDocument","epcisBody":{"eventList":{}}}"#, "$.epcisBody.eventList must be an array"),
        (#"{"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-04-12T07:30:00Z","eventTimeZoneOffset":"+00:00","action":"OBSERVE","quantityList":[{"epcClass":"https://id.gs1.org/01/08936000120016/10/N1","quantity":-5,"uom":"KGM"}]}]}}"#,
         "$.epcisBody.eventList[0]: quantity -5 of https://id.gs1.org/01/08936000120016/10/N1 is negative"),
        (#"{"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-02-30T07:30:00Z","eventTimeZoneOffset":"+00:00","action":"ADD"}]}}"#,
         "$.epcisBody.eventList[0]"),
        (#"{"type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-04-12T07:30:00Z","eventTimeZoneOffset":"+00:00","action":"OBSERVE","epcList":["https://id.gs1.org/01/08936000120016/10/Mật"]}]}}"#,
         "$.epcisBody.eventList[0]: epcList[0] is not ASCII"),
        (#"{"type":"Invoice"}"#, "$.type"),
        (#"[1,2"#, "epcis.malformed: not valid JSON at byte 4"),  // the code and words `epcis hash` gives
    ])
    func invalidDocuments(json: String, expected: String) throws {
        let importer = try Parties.workspace(.importerBangkok)
        #expect { try importer.importEPCIS(Data(json.utf8), source: "bad") } throws: { "\($0)".contains(expected) }
        #expect(try importer.workspace.registry.count() == 0)
    }

    @Test("a document with more events than allowed is refused before anything is signed")
    func hugeLists() throws {
        let importer = try Parties.workspace(.importerBangkok)
        let event = #"{"type":"ObjectEvent","eventTime":"2026-04-12T07:30:00Z","eventTimeZoneOffset":"+00:00","action":"OBSERVE","epcList":["https://id.gs1.org/00/089360001000000018"]}"#
        let json = #"{"type":"EPCISDocument","epcisBody":{"eventList":["# + Array(repeating: event, count: 1001).joined(separator: ",") + "]}}"
        #expect { try importer.importEPCIS(Data(json.utf8), source: "big", maxEvents: 1000) } throws: { ($0 as? TraceError)?.code == "epcis.tooLarge" }
        #expect(try importer.workspace.registry.count() == 0)
    }
}
