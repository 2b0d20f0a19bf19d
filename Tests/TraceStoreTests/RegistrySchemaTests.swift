import AgriTrace
import Foundation
import GRDB
import Testing
import TestSupport
@testable import TraceStore

@Suite("Registry schema: migration and digest keys")
struct RegistrySchemaTests {
    /// The honey scenario's records: harvest to receiving, linked.
    static let records: [Envelope] = {
        do { return try HoneyScenario(pki: Parties.pki).records() } catch { fatalError("honey records: \(error)") }
    }()

    /// Writes `envelopes` into a registry still at schema version 1, the way version 1 stored them.
    static func versionOneRegistry(with envelopes: [Envelope]) throws -> String {
        let path = try temporaryDirectory().appendingPathComponent("v1.sqlite").path
        let pool = try DatabasePool(path: path)
        try RegistrySchema.migrator.migrate(pool, upTo: "v1")
        try pool.write { db in
            for envelope in envelopes {
                let event = try EPCISEvent.decode(payload: envelope.payload)
                try db.execute(sql: """
                    INSERT INTO record (digest, envelope, event_type, biz_step, event_time, event_time_text, signer_keyid)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [envelope.digest, envelope.jsonBytes(), event.type.rawValue, event.bizStepWord,
                                     event.eventTime.date.timeIntervalSince1970, event.eventTime.description, envelope.signatures[0].keyid])
                for identifier in event.concernedIdentifiers {
                    try db.execute(sql: "INSERT INTO record_identifier (digest, identifier) VALUES (?, ?)", arguments: [envelope.digest, identifier])
                }
                for link in event.inputs {
                    try db.execute(sql: "INSERT INTO link (digest, input, lot) VALUES (?, ?, ?)", arguments: [envelope.digest, link.record, link.lot])
                }
            }
        }
        return path
    }

    @Test("a workspace whose registry is missing, empty or another database is refused, not started afresh; its files stay as they were")
    func lostRegistryRefused() throws {
        let directory = try temporaryDirectory().appendingPathComponent("ws")
        _ = try Workspace.create(at: directory, config: .init(organization: "Coop", gln: try GLN("8936000100018")), trustAnchors: [])
        let registry = directory.appendingPathComponent("registry.sqlite")
        #expect(try Workspace.open(at: directory).registry.count() == 0)  // made by init: opens
        func refusal() -> String? {
            do { _ = try Workspace.open(at: directory); return nil } catch { return (error as? TraceError).map { "\($0.code)" } }
        }
        try FileManager.default.removeItem(at: registry)
        #expect(refusal() == "registry.missing")
        #expect(!FileManager.default.fileExists(atPath: registry.path))  // not created by the attempt
        try Data().write(to: registry)
        #expect(refusal() == "registry.missing")
        #expect(try Data(contentsOf: registry).isEmpty)
        try FileManager.default.removeItem(at: registry)
        let foreign = try DatabaseQueue(path: registry.path)
        try foreign.write { try $0.execute(sql: "CREATE TABLE t (x)") }
        try foreign.close()
        #expect(refusal() == "registry.missing")
        #expect(try DatabaseQueue(path: registry.path).read { try $0.tableExists("record") } == false)
        // A library caller that asks for a new registry still gets one.
        #expect(try Registry(path: try temporaryDirectory().appendingPathComponent("new.sqlite").path).count() == 0)
    }

    @Test("a configuration whose time zone, GLN, name, resolver or version no record could carry is refused on opening, and by init",
          arguments: [("offsetMinutes", "99999999999", "offsetMinutes"), ("offsetMinutes", "-1000", "offsetMinutes"),
                      ("gln", "\"8936000100019\"", "gln"), ("organization", "\"A\\u001b[2J\"", "organization"), ("organization", "\"\"", "organization"),
                      ("resolverDomain", "\"javascript:alert(1)\"", "resolverDomain"), ("agritraceWorkspace", "2", "version 2")])
    func brokenConfigurationRefused(key: String, value: String, named: String) throws {
        let directory = try temporaryDirectory().appendingPathComponent("ws")
        _ = try Workspace.create(at: directory, config: .init(organization: "Coop", gln: try GLN("8936000100018")), trustAnchors: [])
        let file = directory.appendingPathComponent("config.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        json[key] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        #expect {
            try Workspace.open(at: directory)
        } throws: { error in
            let error = error as? TraceError
            return error?.code == "workspace.corrupt" && error?.message.contains(named) == true
        }
    }

    @Test("init refuses a configuration no record could carry, and makes nothing")
    func initRefusesBrokenConfiguration() throws {
        let directory = try temporaryDirectory().appendingPathComponent("ws")
        var config = Workspace.Config(organization: "Coop", gln: try GLN("8936000100018"))
        config.offsetMinutes = 24 * 60
        #expect(throws: TraceError.self) { try Workspace.create(at: directory, config: config, trustAnchors: []) }
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        config.offsetMinutes = 14 * 60
        #expect(try Workspace.create(at: directory, config: config, trustAnchors: []).config.offsetMinutes == 840)
    }

    @Test("a write that waits too long for another command's is refused as registry.busy, writes nothing, and succeeds once the other is done")
    func busyRegistry() throws {
        let path = try temporaryDirectory().appendingPathComponent("r.sqlite").path
        let holder = try Registry(path: path), waiter = try Registry(path: path, mustExist: true, busyTimeout: 0.2)
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? holder.transaction { _ in
                holding.signal()
                release.wait()
            }
            done.signal()
        }
        holding.wait()
        let record = Self.records[0]
        #expect {
            try waiter.append([record])
        } throws: { error in
            let error = error as? TraceError
            return error?.code == "registry.busy" && error?.message.contains("for over 0.2 s; nothing was written") == true
        }
        release.signal()
        done.wait()
        #expect(try waiter.count() == 0)
        #expect(try waiter.append([record]) == [record.digest])
    }

    @Test("SQLite's failures are told in the reader's words, with SQLite's own after them")
    func sqliteFailuresExplained() {
        #expect(Registry.reason(DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full"))
                == "the disk is full (SQLite error 13: database or disk is full)")
        #expect(Registry.reason(DatabaseError(resultCode: .SQLITE_READONLY, message: "attempt to write a readonly database"))
                .hasPrefix("the file or its folder is read-only for this user (SQLite error 8"))
        #expect(Registry.reason(DatabaseError(resultCode: .SQLITE_MISMATCH, message: "datatype mismatch")) == "SQLite error 20: datatype mismatch")
    }

    @Test("a version 1 registry opens migrated, with every record, identifier and link, still append-only")
    func versionOneMigrates() throws {
        let path = try Self.versionOneRegistry(with: Self.records)
        let registry = try Registry(path: path)
        let digests = Self.records.map(\.digest)
        #expect(try registry.allRecords().map(\.digest) == digests)
        #expect(try registry.digests(concerning: HoneyScenario.lot) == digests.filter { digest in
            Self.records.first { $0.digest == digest }.map { (try? EPCISEvent.decode(payload: $0.payload))?.concernedIdentifiers.contains(HoneyScenario.lot) == true } == true
        })
        #expect(try registry.upstream(of: [digests.last!]) == Set(digests))
        #expect(try registry.downstream(of: [digests[0]]) == Set(digests))
        #expect(try registry.append(Self.records).isEmpty)  // already there
        #expect(try registry.pool.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") } == ["v1", "v2"])
        // An older registry keeps the page size it was made with; a new one has 8 KiB pages.
        #expect(try registry.pool.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 4096)
        let fresh = try Registry(path: try temporaryDirectory().appendingPathComponent("new.sqlite").path)
        #expect(try fresh.pool.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 8192)
        #expect(try fresh.append(Self.records).count == Self.records.count)
        #expect(throws: DatabaseError.self) { try registry.pool.write { try $0.execute(sql: "DELETE FROM link") } }
        #expect(throws: DatabaseError.self) { try registry.pool.write { try $0.execute(sql: "UPDATE record SET digest = 'x'") } }
    }

    @Test("a digest's key is its first 64 bits; other text is keyed by its hash")
    func digestKeys() {
        let digest = "sha256:" + "0123456789abcdef" + String(repeating: "0", count: 48)
        #expect(DigestKey.of(digest) == 0x0123_4567_89ab_cdef)
        #expect(DigestKey.of("sha256:" + "ffffffffffffffff" + String(repeating: "0", count: 48)) == -1)
        #expect(DigestKey.of("sha256:" + "0123456789abcdeg" + String(repeating: "0", count: 48)) != 0x0123_4567_89ab_cdef)
        #expect(DigestKey.of("urn:uuid:1") == DigestKey.of("urn:uuid:1"))
        #expect(DigestKey.of("urn:uuid:1") != DigestKey.of("urn:uuid:2"))
    }

    @Test("records appended as JSON are stored in parts, in order, each once; a broken one in a later part stores nothing")
    func appendInParts() throws {
        let signer = try Parties.pki.signer(.honeyCoop)
        let time = EPCISTime(date: Date(timeIntervalSince1970: 1_775_000_000))
        let events = try (0..<(Registry.appendPartSize + 5)).map { index in
            EventFactory.harvest(lot: "https://id.gs1.org/01/08936000120016/10/P\(index)", quantity: 5, uom: "KGM", at: time,
                                 location: try GLN(SampleActor.honeyCoop.gln), harvestDate: "2026-03-31", plots: [])
        }
        let json = try signer.sign(events).map { $0.envelope.jsonBytes() }
        let broken = try Registry(path: try temporaryDirectory().appendingPathComponent("b.sqlite").path)
        #expect(throws: (any Error).self) { try broken.append(json: json + [Data("{".utf8)]) }
        #expect(try broken.count() == 0)
        let registry = try Registry(path: try temporaryDirectory().appendingPathComponent("r.sqlite").path)
        let digests = try json.map { RecordDigest.of(try Envelope.parse($0).payload) }
        #expect(try registry.append(json: json + json.prefix(3)) == digests)  // the repeated three are stored once
        #expect(try registry.allRecords().map(\.digest) == digests)
    }

    @Test("records whose digest keys collide stay apart: found, linked and stored by their full digest")
    func collidingKeysStayApart() throws {
        let registry = try Registry(path: try temporaryDirectory().appendingPathComponent("r.sqlite").path)
        let records = Self.records
        let target = records[1]
        // A forged row sharing the target's key but not its digest, stored first, with a link and an identifier of its own.
        var forged = Array(target.digest)
        forged[forged.count - 1] = forged.last == "0" ? "1" : "0"
        let forgedDigest = String(forged)
        #expect(DigestKey.of(forgedDigest) == DigestKey.of(target.digest))
        try registry.pool.write { db in
            try db.execute(sql: """
                INSERT INTO record (digest_key, digest, envelope, event_type, event_time, event_time_text, signer_keyid)
                VALUES (?, ?, ?, 'ObjectEvent', 0, '1970-01-01T00:00:00Z', 'x')
                """, arguments: [DigestKey.of(forgedDigest), forgedDigest, target.jsonBytes()])
            let seq = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO link (seq, input_key, input, lot) VALUES (?, ?, ?, 'x')",
                           arguments: [seq, DigestKey.of(records[0].digest), records[0].digest])
            try db.execute(sql: "INSERT INTO record_identifier (identifier, seq) VALUES ('forged-lot', ?)", arguments: [seq])
        }
        // The real record is stored all the same, not taken for the forged one.
        #expect(try registry.append(records) == records.map(\.digest))
        #expect(try registry.records([target.digest]).map(\.digest) == [target.digest])
        #expect(try registry.upstream(of: [target.digest]) == [target.digest, records[0].digest])
        #expect(try !registry.upstream(of: [records.last!.digest]).contains(forgedDigest))
        #expect(try registry.downstream(of: [records[0].digest]).contains(forgedDigest))  // it does link there
        #expect(try !registry.downstream(of: [target.digest]).contains(forgedDigest))
        #expect(try registry.digests(concerning: "forged-lot") == [forgedDigest])
    }
}

@Suite("Registry checkpoints")
struct RegistryCheckpointTests {
    @Test("after a write the log is copied into the database file in the background: the file alone holds every record")
    func backgroundCheckpoint() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("r.sqlite").path
        let registry = try Registry(path: path)
        let records = RegistrySchemaTests.records
        try registry.append(records)
        registry.waitForBackgroundCheckpoint()
        // A copy of the database file without its log, as a careless backup would take it.
        let copy = directory.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        #expect(try Registry(path: copy).allRecords().map(\.digest) == records.map(\.digest))
        #expect(try registry.count() == records.count)
    }

    @Test("two registries open on one file (two commands at once) both write, read and checkpoint")
    func twoOpenRegistries() throws {
        let path = try temporaryDirectory().appendingPathComponent("r.sqlite").path
        let records = RegistrySchemaTests.records
        let first = try Registry(path: path), second = try Registry(path: path)
        let half = records.count / 2
        let parts = [(first, Array(records[..<half])), (second, Array(records[half...]))]
        for outcome in parts.concurrentMap({ part in Result { try part.0.append(part.1) } }) { _ = try outcome.get() }
        try first.checkpoint()
        try second.checkpoint()
        #expect(Set(try first.allRecords().map(\.digest)) == Set(records.map(\.digest)))
        #expect(try second.count() == records.count)
        #expect(try second.append(records).isEmpty)
    }
}

