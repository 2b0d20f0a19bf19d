import AgriTrace
import Foundation
import GRDB
import Testing
import TestSupport
import TraceCrypto
@testable import TraceStore

@Suite("Registry: events, refusals and integrity")
struct RegistryTests {
    @Test("a harvest is stored signed, with its identifiers, and verifies")
    func harvestStored() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let records = try coop.workspace.registry.allRecords()
        #expect(records.count == 1)
        #expect(records[0].event.isCommissioning && records[0].event.productCategory == "honey")
        #expect(try coop.workspace.registry.digests(concerning: Parties.lot) == [records[0].digest])
        #expect(records[0].event.eventID == (try EventHash.eventID(for: records[0].event)))
        #expect(try coop.workspace.check().findings.isEmpty)
    }

    @Test("bulk harvests are checked first, signed in parallel, and stored all or nothing")
    func bulkHarvests() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let before = try coop.workspace.registry.count()
        func request(_ lot: String) -> EventRecorder.HarvestRequest {
            .init(gtin: Parties.honey, lot: lot, quantity: 5, unit: nil, plots: ["P1"], harvestDate: "2026-04-10", organicCertificate: nil)
        }
        #expect(throws: TraceError.self) { try coop.harvestAll([request("D-1"), request("D-2"), request("D-1")]) { _, _ in } }
        #expect(throws: TraceError.self) { try coop.harvestAll([request("D-3"), request("MV-1")]) { _, _ in } }  // MV-1 is stored already
        #expect(try coop.workspace.registry.count() == before)
        var reported: [Int] = []
        try coop.harvestAll((0..<300).map { request("B-\($0)") }) { done, total in
            #expect(total == 300)
            reported.append(done)
        }
        #expect(reported.last == 300 && reported == reported.sorted())
        #expect(try coop.workspace.registry.count() == before + 300)
        #expect(try coop.workspace.check().findings.isEmpty)
    }

    @Test("a batch registered at once is signed, stored and linked in order, all or nothing")
    func batchRegistration() throws {
        let coop = try Parties.workspace(.honeyCoop)
        let registry = coop.workspace.registry, signer = try Parties.pki.signer(.honeyCoop)
        let gln = try GLN(SampleActor.honeyCoop.gln), exporter = try GLN(SampleActor.exporter.gln)
        func lot(_ i: Int) -> String { "https://id.gs1.org/01/08936000120016/10/B\(i)" }
        let harvests = (0..<600).map { i in
            EventFactory.harvest(lot: lot(i), quantity: 10, uom: "KGM", at: EPCISTime(date: Parties.day.addingTimeInterval(Double(i))),
                                 location: gln, harvestDate: "2026-04-10", plots: [], category: "honey")
        }
        let envelopes = try registry.register(harvests, by: signer)
        #expect(envelopes.count == 600)
        #expect(try registry.allRecords().map(\.digest) == envelopes.map(\.digest))  // stored in the order of the events
        for (i, envelope) in envelopes.enumerated() where i % 97 == 0 {
            let event = try EPCISEvent.decode(payload: envelope.payload)
            #expect(event.quantityList?.first?.epcClass == lot(i))
            #expect(event.eventID == (try EventHash.eventID(for: event)))
            #expect(try registry.digests(concerning: lot(i)) == [envelope.digest])
        }
        // The second batch links to the first; one event in it cannot be hashed, so none of it is stored.
        var ships = (0..<600).map { i in
            EventFactory.ship(quantities: [QuantityElement(epcClass: lot(i), quantity: 10, uom: "KGM")],
                              previous: [InputLink(record: envelopes[i].digest, lot: lot(i))],
                              at: EPCISTime(date: Parties.day.addingTimeInterval(86_400 + Double(i))), from: gln, to: exporter)
        }
        ships[450].extensions["agt:note"] = .string("Infinity")  // the CBV hash refuses infinite numbers
        #expect(throws: TraceError.self) { try registry.register(ships, by: signer) }
        #expect(try registry.count() == 600)
        ships[450].extensions = [:]
        let shipped = try registry.register(ships, by: signer)
        #expect(try registry.count() == 1200)
        #expect(try registry.downstream(of: [envelopes[7].digest]) == [envelopes[7].digest, shipped[7].digest])
        #expect(try coop.workspace.check().findings.isEmpty)
    }

    /// Batches for the stream tests: `count` harvests of lots `prefix`0… (or inspections of them,
    /// linked to `harvests`), by the cooperative (or the laboratory).
    static func streamBatch(_ prefix: String, _ count: Int, inspecting harvests: [Envelope] = []) throws -> RegistrationBatch {
        let coop = try GLN(SampleActor.honeyCoop.gln), lab = try GLN(SampleActor.laboratory.gln)
        func lot(_ i: Int) -> String { "https://id.gs1.org/01/08936000120016/10/\(prefix)\(i)" }
        if harvests.isEmpty {
            let events = (0..<count).map { i in
                EventFactory.harvest(lot: lot(i), quantity: 10, uom: "KGM", at: EPCISTime(date: Parties.day.addingTimeInterval(Double(i))),
                                     location: coop, harvestDate: "2026-04-10", plots: [], category: "honey")
            }
            return RegistrationBatch(events, by: try Parties.pki.signer(.honeyCoop))
        }
        let events = (0..<count).map { i in
            EventFactory.inspection(lot: lot(i), previous: harvests[i].digest, at: EPCISTime(date: Parties.day.addingTimeInterval(3600 + Double(i))),
                                    location: lab, conformant: true, measurements: [Measurement("moisture", 18, "P1")])
        }
        return RegistrationBatch(events, by: try Parties.pki.signer(.laboratory))
    }

    @Test("a stream of batches is stored a transaction each, in order, and each is heard once committed")
    func streamedRegistration() throws {
        let coop = try Parties.workspace(.honeyCoop)
        let registry = coop.workspace.registry
        let first = try Self.streamBatch("S", 300), second = try Self.streamBatch("T", 200)
        var heard: [[Envelope]] = []
        // The third batch is taken once the second is stored, after the first has committed: it may link to the first.
        let batches = sequence(state: 0) { (taken: inout Int) -> RegistrationBatch? in
            defer { taken += 1 }
            switch taken {
            case 0: return first
            case 1: return second
            case 2: return try? Self.streamBatch("S", 300, inspecting: heard[0])
            default: return nil
            }
        }
        try registry.register(batches) { envelopes in
            heard.append(envelopes)
            // Heard after the commit: another connection already reads every record heard so far.
            let stored = try registry.count()
            #expect(stored == heard.map(\.count).reduce(0, +))
        }
        #expect(heard.map(\.count) == [300, 200, 300])
        #expect(try registry.allRecords().map(\.digest) == heard.joined().map(\.digest))
        for i in [0, 151, 299] {
            #expect(try registry.digests(concerning: "https://id.gs1.org/01/08936000120016/10/S\(i)") == [heard[0][i].digest, heard[2][i].digest])
            #expect(try EPCISEvent.decode(payload: heard[2][i].payload).bizStep == "inspecting")
        }
        #expect(try coop.workspace.check().findings.isEmpty)
    }

    @Test("a failure ends a stream: the batches committed before it stay, nothing of the failing batch or the next is stored",
          arguments: ["signing", "hearing"])
    func streamFailure(failing: String) throws {
        let coop = try Parties.workspace(.honeyCoop)
        let registry = coop.workspace.registry
        var second = try Self.streamBatch("U", 200)
        if failing == "signing" { second.events[120].extensions["agt:note"] = .string("Infinity") }  // the CBV hash refuses it
        let batches = [try Self.streamBatch("S", 100), second, try Self.streamBatch("V", 400), try Self.streamBatch("W", 50)]
        var heard = 0
        #expect(throws: TraceError.self) {
            try registry.register(batches) { envelopes in
                heard += 1
                if failing == "hearing", heard == 2 { throw TraceError("test.stop", "the caller stops after the second batch") }
            }
        }
        // Signing: the second batch fails and nothing of it is stored. Hearing: the second batch had
        // committed when its caller failed; the third, taken and being signed meanwhile, is not stored.
        #expect(heard == (failing == "signing" ? 1 : 2))
        #expect(try registry.count() == (failing == "signing" ? 100 : 300))
        #expect(try registry.digests(concerning: "https://id.gs1.org/01/08936000120016/10/V0").isEmpty)
        #expect(try coop.workspace.check().findings.isEmpty)
    }

    @Test("an empty stream registers nothing and hears nothing")
    func emptyStream() throws {
        let coop = try Parties.workspace(.honeyCoop)
        var heard = 0
        try coop.workspace.registry.register([RegistrationBatch]()) { _ in heard += 1 }
        #expect(heard == 0)
        #expect(try coop.workspace.registry.count() == 0)
    }

    @Test("what cannot be true is refused with its code, and nothing is written", arguments: [
        "lot.exists", "product.unknown", "plot.unknown", "time.future", "argument.invalid", "quantity.exceeded", "lot.unknown", "quantity.unit",
    ])
    func refusals(code: String) throws {
        let coop = try Parties.cooperativeWithHarvest()
        let before = try coop.workspace.registry.count()
        let exporter = try GLN(SampleActor.exporter.gln)
        #expect {
            switch code {
            case "lot.exists": try coop.harvest(gtin: Parties.honey, lot: "MV-1", quantity: 5, plots: [], harvestDate: "2026-04-10", time: Parties.day)
            case "product.unknown": try coop.harvest(gtin: try GTIN("08936000120023"), lot: "X", quantity: 5, plots: [], harvestDate: "2026-04-10")
            case "plot.unknown": try coop.harvest(gtin: Parties.honey, lot: "MV-2", quantity: 5, plots: ["nowhere"], harvestDate: "2026-04-10")
            case "time.future": try coop.harvest(gtin: Parties.honey, lot: "MV-2", quantity: 5, plots: [], harvestDate: "2027-01-01")
            case "argument.invalid": try coop.harvest(gtin: Parties.honey, lot: "MV-2", quantity: 0, plots: [], harvestDate: "2026-04-10")
            case "quantity.exceeded": try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 1201)], to: exporter)
            case "lot.unknown": try coop.ship(amounts: [.init(lot: Parties.lot + "9", quantity: 1)], to: exporter)
            default: try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 1, unit: "LTR")], to: exporter)
            }
        } throws: { ($0 as? TraceError)?.code.rawValue == code }
        #expect(try coop.workspace.registry.count() == before)
    }

    @Test("a bundle sound on its own that does not fit the registry's records is refused whole: another party's harvest of a lot held here would make every export of it invalid")
    func importMustFitTheRegistry() throws {
        let coop = try Parties.cooperativeWithHarvest()
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 600)], to: try GLN(SampleActor.exporter.gln), time: Parties.day.addingTimeInterval(60))
        let exporter = try Parties.handedOver(from: coop, to: .exporter)
        let before = try exporter.workspace.registry.count()
        // Another producer harvests the same GTIN and lot number and ships it to the exporter.
        let other = try Parties.workspace(.orangeCoop)
        try other.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: Parties.honey, nameVi: "Mật ong", nameEn: "Honey", category: "honey", unit: "KGM"))
        }
        try other.harvest(gtin: Parties.honey, lot: "MV-1", quantity: 100, plots: [], harvestDate: "2026-04-12", time: Parties.day.addingTimeInterval(120))
        try other.ship(amounts: [.init(lot: Parties.lot, quantity: 100)], to: try GLN(SampleActor.exporter.gln), time: Parties.day.addingTimeInterval(180))
        let file = try temporaryDirectory().appendingPathComponent("same-lot.provenance.json")
        let bundle = try other.workspace.exportBundle(subject: Parties.lot)
        #expect(try other.workspace.handOverReport(of: bundle).level == .trusted)  // sound on its own
        try bundle.write(to: file)
        #expect { try exporter.workspace.importBundle(at: file) } throws: { error in
            let error = error as? TraceError
            return error?.code == "import.refused" && error?.message.contains("massBalance.recreated") == true
        }
        #expect(try exporter.workspace.registry.count() == before)
        #expect(try exporter.workspace.handOverReport(of: try exporter.workspace.exportBundle(subject: Parties.lot)).level == .trusted)
        // A bundle that fits (the cooperative's own, handed over again) still imports, harmlessly.
        let again = try temporaryDirectory().appendingPathComponent("again.provenance.json")
        try coop.workspace.exportBundle(subject: Parties.lot).write(to: again)
        #expect(try exporter.workspace.importBundle(at: again).added == 0)
    }

    @Test("a partner's clock a few minutes fast does not stop the next step, as verifiers allow that skew; a step dated further before the record it follows is refused (time.order)")
    func clockSkewBetweenParties() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let shipped = Parties.day.addingTimeInterval(3600)
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 600)], to: try GLN(SampleActor.exporter.gln), time: shipped)
        let exporter = try Parties.handedOver(from: coop, to: .exporter)
        let from = try GLN(SampleActor.honeyCoop.gln)
        // The exporter's clock reads ten minutes before the cooperative's shipment: refused, nothing written.
        #expect { try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: 600)], from: from, time: shipped.addingTimeInterval(-600)) } throws: { error in
            let error = error as? TraceError
            return error?.code == "time.order" && error?.message.contains("before") == true
        }
        #expect(try exporter.workspace.registry.count() == 2)
        // Two minutes before it (the cooperative's clock runs fast): received, and the buyer's verifier agrees.
        try exporter.receive(amounts: [.init(lot: Parties.lot, quantity: 600)], from: from, time: shipped.addingTimeInterval(-120))
        let report = try exporter.workspace.handOverReport(of: try exporter.workspace.exportBundle(subject: Parties.lot))
        #expect(report.level == .trusted && report.findings.isEmpty, "\(report.findings)")
    }

    @Test("the registry signs nothing its certificate chain could not sign at the event's time: before it was valid, or after its revocation")
    func signerValidity() throws {
        let collector = try Parties.workspace(.revokedHerbs)  // revoked on 2026-03-01 by the CRL the workspace holds
        try collector.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: Parties.honey, nameVi: "Mật ong", nameEn: "Honey", category: "honey", unit: "KGM"))
        }
        func harvest(_ lot: String, _ time: String) throws {
            try collector.harvest(gtin: Parties.honey, lot: lot, quantity: 5, plots: [], harvestDate: String(time.prefix(10)), time: try EPCISTime(parsing: time).date)
        }
        try harvest("Q-1", "2026-02-15T07:00:00+07:00")  // before the revocation: a verifier notes it, and accepts it
        #expect { try harvest("Q-2", "2026-04-12T07:00:00+07:00") } throws: { error in
            let error = error as? TraceError
            return error?.code == "certificate.revoked" && error?.message.contains("was revoked on 2026-03-01T00:00:00Z") == true
        }
        #expect { try harvest("Q-3", "2025-12-20T07:00:00+07:00") } throws: { ($0 as? TraceError)?.code == "certificate.notYetValid" }
        // A spreadsheet's rows are held to it too, all or none.
        let rows = ["Q-4", "Q-5"].map {
            EventRecorder.HarvestRequest(gtin: Parties.honey, lot: $0, quantity: 5, unit: nil, plots: [], harvestDate: "2026-04-10", organicCertificate: nil)
        }
        #expect { try collector.harvestAll(rows) { _, _ in } } throws: { ($0 as? TraceError)?.code == "certificate.revoked" }
        #expect(try collector.workspace.registry.count() == 1)
    }

    @Test("harvest dates are days that exist, not after the day of the record in its own time zone")
    func harvestDates() throws {
        let coop = try Parties.workspace(.honeyCoop)
        try coop.workspace.registry.transaction { tx in
            try tx.addProduct(try Product(gtin: Parties.honey, nameVi: "Mật ong", nameEn: "Honey", category: "honey", unit: "KGM"))
        }
        for (date, code) in [("2026-02-30", "argument.invalid"), ("2026-02-29", "argument.invalid"), ("2026-4-1", "argument.invalid"),
                             ("2026-04-13", "time.future")] {
            #expect("\(date)") {
                try coop.harvest(gtin: Parties.honey, lot: "D1", quantity: 5, plots: [], harvestDate: date, time: Parties.day)
            } throws: { ($0 as? TraceError)?.code.rawValue == code }
        }
        #expect(try coop.workspace.registry.count() == 0)
        // 06:00 on 12 April in Viet Nam is still 11 April in UTC: a harvest of the 12th is recorded.
        let morning = try EPCISTime(parsing: "2026-04-12T06:00:00+07:00").date
        try coop.harvest(gtin: Parties.honey, lot: "D2", quantity: 5, plots: [], harvestDate: "2026-04-12", time: morning)
        try coop.harvest(gtin: Parties.honey, lot: "D3", quantity: 5, plots: [], harvestDate: "2024-02-29", time: morning)
        #expect(try coop.workspace.registry.count() == 2)
        #expect(throws: TraceError.self) { try HeldCertificate(number: "C1", body: "B", validFrom: "2026-02-29", validUntil: "2027-01-01") }
        #expect(throws: TraceError.self) {
            try StoredPlot(id: "P", name: "N", geometryJSON: #"{"type":"Point","coordinates":[105,23]}"#, organicSince: "2026-02-30")
        }
    }

    /// Check re-verifies the records as stored, in the form this version writes (bytes) or the
    /// JSON form registries wrote before: a payload altered behind the database's back, and a row
    /// that no longer reads (JSON broken, bytes cut short), are findings on them.
    @Test("check re-verifies the records as stored: one altered behind the database's back, and one that no longer reads, are findings on them",
          arguments: ["bytes", "JSON"])
    func checkFindsAlteredRecords(form: String) throws {
        let coop = try Parties.cooperativeWithHarvest()
        let exporter = try GLN(SampleActor.exporter.gln)
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 1)], to: exporter, time: Parties.day.addingTimeInterval(60))
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 2)], to: exporter, time: Parties.day.addingTimeInterval(120))
        #expect(try coop.workspace.check().findings.isEmpty)
        let registry = coop.workspace.registry
        let stored = try registry.allRecords()
        let rows = try registry.pool.read { try Data.fetchAll($0, sql: "SELECT envelope FROM record ORDER BY seq") }
        #expect(rows.allSatisfy { $0.first == StoredEnvelope.eventForm })  // what this version writes
        var altered = stored[1].envelope
        altered.payload = Data(String(decoding: altered.payload, as: UTF8.self).replacingOccurrences(of: "\"quantity\":1,", with: "\"quantity\":9,").utf8)
        #expect(altered.payload != stored[1].envelope.payload)
        let (alteredRow, brokenRow) = form == "JSON" ? (altered.jsonBytes(), Data("{not json".utf8)) : (Data(StoredEnvelope.bytes(of: altered)), rows[2].dropLast(3))
        // Another program writes to the file with the append-only trigger dropped.
        try registry.pool.write { db in
            try db.execute(sql: "DROP TRIGGER record_no_update")
            try db.execute(sql: "UPDATE record SET envelope = ? WHERE seq = ?", arguments: [alteredRow, stored[1].seq])
            try db.execute(sql: "UPDATE record SET envelope = ? WHERE seq = ?", arguments: [brokenRow, stored[2].seq])
        }
        let report = try coop.workspace.check()
        #expect(report.level == .invalid)
        #expect(report.findings.contains { $0.code == .signatureInvalid })
        #expect(report.findings.contains { $0.code == .recordMalformed && $0.record == "records[2]" })
        #expect(report.records.count == 2)  // the two that still read
        #expect(throws: TraceError.self) { try registry.allRecords() }  // reading the broken one is an error, not a crash
    }

    @Test("the database itself refuses to update or delete a record")
    func appendOnly() throws {
        let coop = try Parties.cooperativeWithHarvest()
        try coop.ship(amounts: [.init(lot: Parties.lot, quantity: 1)], to: try GLN(SampleActor.exporter.gln), time: Parties.day.addingTimeInterval(60))
        for sql in ["UPDATE record SET biz_step = 'shipping'", "DELETE FROM record", "DELETE FROM link", "UPDATE link SET lot = 'x'",
                    "UPDATE record_identifier SET identifier = 'x'", "DELETE FROM record_identifier"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try coop.workspace.registry.pool.write { try $0.execute(sql: sql) } }
        }
        #expect(try coop.workspace.registry.count() == 2)
    }

    @Test("import verifies first: an untrusted bundle changes nothing; the same bundle twice adds nothing")
    func importing() throws {
        let coop = try Parties.cooperativeWithHarvest()
        let file = try temporaryDirectory().appendingPathComponent("harvest.provenance.json")
        try coop.workspace.exportBundle(subject: Parties.lot).write(to: file)
        let certifier = try Parties.workspace(.certifier)
        #expect(try certifier.workspace.importBundle(at: file).added == 1)
        #expect(try certifier.workspace.importBundle(at: file).added == 0)
        // A workspace trusting another root refuses the same bundle.
        let stranger = try Workspace.create(at: try temporaryDirectory().appendingPathComponent("ws"),
                                            config: .init(organization: "Other", gln: try GLN(SampleActor.importerBangkok.gln)),
                                            trustAnchors: [try TamperedSample.impostorRoot()])
        #expect { try stranger.importBundle(at: file) } throws: { ($0 as? TraceError)?.code == "import.refused" }
        #expect(try stranger.registry.count() == 0)
        // Its anchors file gone or broken: an error naming the file, not a refusal blaming the bundle.
        let anchors = stranger.directory.appendingPathComponent("trust-anchors.pem")
        for damage in ["missing", "junk", "empty"] {
            try? FileManager.default.removeItem(at: anchors)
            if damage == "junk" { try Data("junk".utf8).write(to: anchors) }
            if damage == "empty" { try Data().write(to: anchors) }  // made without --trust: trusts no one
            #expect {
                try stranger.importBundle(at: file)
            } throws: { error in
                let error = error as? TraceError
                return damage == "empty" ? error?.code == "import.refused" && error?.message.hasSuffix("it was made without --trust)") == true
                    : error?.code == "workspace.corrupt" && error?.message.contains("trust-anchors.pem") == true
            }
        }
        #expect(try stranger.registry.count() == 0)
        // A tampered bundle is refused too.
        var tampered = try coop.workspace.exportBundle(subject: Parties.lot)
        tampered.records[0].signatures[0].sig[8] ^= 0x01
        try tampered.write(to: file)
        let lab = try Parties.workspace(.laboratory)
        #expect(throws: TraceError.self) { try lab.workspace.importBundle(at: file) }
        #expect(try lab.workspace.registry.count() == 0)
    }

    @Test("an identity's status warns a month before its chain expires, and names an expired chain and a revocation list past due")
    func identityStatusOverTime() throws {
        let coop = try Parties.workspace(.honeyCoop)
        #expect(try IdentityStatus.of(coop.workspace, now: Parties.day).findings.isEmpty)
        let soon = try IdentityStatus.of(coop.workspace, now: date("2045-12-20T00:00:00Z"))
        #expect(soon.findings.map(\.code) == ["certificate.expiresSoon"] && !soon.hasProblems, "\(soon.findings)")
        let late = try IdentityStatus.of(coop.workspace, now: date("2046-02-01T00:00:00Z"))
        #expect(late.hasProblems && late.findings.map(\.code) == ["certificate.expired", "certificate.revocationUnknown"], "\(late.findings)")
    }
}
