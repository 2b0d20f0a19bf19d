import AgriTrace
import Foundation
import GRDB
import TraceCrypto

/// A party's local store of signed records and master data, in SQLite (WAL). Every write is
/// one transaction; records are append-only.
public final class Registry: Sendable {
    let pool: DatabasePool
    private let checkpointer: BackgroundCheckpointer

    /// Opens the registry at `path` and brings its schema up to date; creates it, unless
    /// `mustExist`. A workspace's registry must exist: were it lost or emptied, a new one would
    /// start the party's history afresh, and records signed into it would link to nothing before.
    /// `busyTimeout`: how long a write waits for another command writing to the same registry.
    public init(path: String, mustExist: Bool = false, busyTimeout: TimeInterval = Registry.defaultBusyTimeout) throws {
        self.busyTimeout = busyTimeout
        if mustExist {
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
            guard size > 0 else { throw Self.missing(path, "is missing or empty") }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // A new registry's page size (an existing one keeps the size it was made with), then
            // 32 MiB of page cache: the indexes of large registries stay in memory. The log is
            // copied into the database by the background checkpointer, not after each commit.
            try db.execute(sql: """
                PRAGMA page_size = \(Self.pageSize); PRAGMA cache_size = -32768;
                PRAGMA wal_autocheckpoint = \(BackgroundCheckpointer.writerThreshold)
                """)
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            if mustExist, try !pool.read({ try $0.tableExists("grdb_migrations") }) { throw Self.missing(path, "holds no AgriTrace registry") }
            try RegistrySchema.migrator.migrate(pool)
            checkpointer = try BackgroundCheckpointer(path: path)
        } catch let error as TraceError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw Self.busy(busyTimeout)
        } catch let error as DatabaseError {
            throw TraceError("registry.unreadable", "cannot open the registry at \(path): \(Self.reason(error))")
        } catch {
            throw TraceError("registry.unreadable", "cannot open the registry at \(path): \(error)")
        }
    }

    /// The page size of a new registry: 8 KiB. A record (its row some 1.8 KiB in the benchmark:
    /// an envelope of 1.3 KiB, its digest, time and signer) then shares a page with more of its
    /// neighbours, so registering writes fewer pages to the log and to the file, in fewer system
    /// calls (A/B runs of `agritrace-bench --registry-only 100000`: 6–9% more events per second
    /// than 4 KiB).
    static let pageSize = 8192

    /// What an SQLite failure means for the person at the keyboard, with SQLite's own words.
    static func reason(_ error: DatabaseError) -> String {
        let meaning: String? = switch error.resultCode {
        case .SQLITE_READONLY: "the file or its folder is read-only for this user"
        case .SQLITE_FULL: "the disk is full"
        case .SQLITE_NOTADB: "the file is not an SQLite database"
        case .SQLITE_CORRUPT: "the file is damaged; restore it from a backup"
        case .SQLITE_CANTOPEN, .SQLITE_PERM: "the file cannot be opened by this user"
        case .SQLITE_IOERR: "the disk could not be read or written"
        default: nil
        }
        let sqlite = "SQLite error \(error.resultCode.rawValue): \(error.message ?? "\(error.resultCode)")"
        return meaning.map { "\($0) (\(sqlite))" } ?? sqlite
    }

    /// How long a command waits, by default, for another one writing to the same registry
    /// (SQLite has one writer at a time; a bulk registration holds it for its one transaction).
    public static let defaultBusyTimeout: TimeInterval = 30
    private let busyTimeout: TimeInterval

    static func busy(_ timeout: TimeInterval) -> TraceError {
        TraceError("registry.busy", "another agritrace command has been writing to this workspace for over "
                   + "\(timeout.formatted(.number.precision(.fractionLength(0...1)))) s; nothing was written: run this again when it has finished")
    }

    private static func missing(_ path: String, _ what: String) -> TraceError {
        TraceError("registry.missing", "\(path) \(what): this workspace's records are not there. Restore the file from a backup; nothing was written")
    }

    /// A command's last checkpoint finishes before the registry closes, so the database file
    /// holds what the command wrote even if the process then ends at once.
    deinit {
        checkpointer.wait()
    }

    /// Waits for the background checkpoint, if one is running or queued.
    func waitForBackgroundCheckpoint() {
        checkpointer.wait()
    }

    // MARK: Records

    /// Appends records (and the certificates and CRLs that vouch for them) in one transaction.
    /// Records already present are skipped, so appending the same bundle twice is harmless.
    /// Returns the digests newly added.
    @discardableResult
    public func append(_ envelopes: [Envelope], certificates: [Certificate] = [], crls: [CertificateRevocationList] = [],
                       imported: Bool = false) throws -> [String] {
        try appendInParts(envelopes.count, certificates: certificates, crls: crls, imported: imported) { Array(envelopes[$0]) }
    }

    /// ``append(_:certificates:crls:imported:)`` of records given as their JSON, as a bundle holds
    /// them: each part parsed, decoded and stored in turn, so that a large bundle is not held in
    /// memory as JSON, envelopes and rows at once.
    /// `check` sees the digests newly added and the identifiers they name, in the same
    /// transaction: what it throws stores nothing.
    @discardableResult
    public func append(json records: [Data], certificates: [Certificate] = [], crls: [CertificateRevocationList] = [],
                       imported: Bool = false, check: (RegistryTransaction, _ added: [String], _ identifiers: Set<String>) throws -> Void = { _, _, _ in })
    throws -> [String] {
        try appendInParts(records.count, certificates: certificates, crls: crls, imported: imported, check: check) {
            try Array(records[$0]).concurrentMap(throwing: Envelope.parse)
        }
    }

    /// Records decoded and stored at a time by ``append(json:certificates:crls:imported:)``.
    static let appendPartSize = 4096

    /// Stores the envelopes `part` gives for each run of ``appendPartSize`` positions, decoded on
    /// all cores, all in one transaction.
    private func appendInParts(_ count: Int, certificates: [Certificate], crls: [CertificateRevocationList], imported: Bool,
                               check: (RegistryTransaction, [String], Set<String>) throws -> Void = { _, _, _ in },
                               _ part: (Range<Int>) throws -> [Envelope]) throws -> [String] {
        try write { db in
            try Self.insert(certificates: certificates, crls: crls, db: db)
            let inserter = try RecordInserter(db: db)
            var added: [String] = [], identifiers = Set<String>()
            for start in stride(from: 0, to: count, by: Self.appendPartSize) {
                let rows = try RecordRow.rows(decoding: try part(start..<min(start + Self.appendPartSize, count)))
                let new = try inserter.insert(rows, imported: imported)
                if !new.isEmpty {
                    let stored = Set(new)
                    for row in rows where stored.contains(row.digest) { identifiers.formUnion(row.identifiers) }
                }
                added += new
            }
            try check(RegistryTransaction(db: db), added, identifiers)
            return added
        }
    }

    /// Signs `events` with `signer` on all cores and appends them, with the signer's chain, in one
    /// transaction (see ``RegistryTransaction/register(_:by:progress:)``).
    /// Returns the envelopes, in the order of `events`.
    @discardableResult
    public func register(_ events: [EPCISEvent], by signer: Signer) throws -> [Envelope] {
        try transaction { try $0.register(events, by: signer) }
    }

    /// Registers a stream of batches, each like ``register(_:by:)``: signed on all cores and
    /// appended in a transaction of its own, in order. But the next batch is taken from `batches`
    /// as soon as one is stored, and is signed while that one commits: the cores do not wait for
    /// the commit, nor the commit for them. A batch's events may link to records committed before
    /// the batch ahead of it was taken, not to that batch's. `committed` hears each batch's
    /// envelopes, in order, once its transaction has committed. The first failure (of signing,
    /// storing, committing, or `committed`) ends the stream and is thrown: the batches committed
    /// before it stay, and nothing of the failing batch or of the one taken after it is stored.
    public func register(_ batches: some Sequence<RegistrationBatch>, committed: ([Envelope]) throws -> Void) throws {
        var iterator = batches.makeIterator()
        var job = iterator.next().map(SigningJob.init)
        while let current = job {
            var next: SigningJob?
            do {
                let envelopes = try write { db in
                    let envelopes = try RegistryTransaction(db: db).store(current)
                    next = iterator.next().map(SigningJob.init)  // signed during the commit
                    return envelopes
                }
                try committed(envelopes)
            } catch {
                next?.stop()
                throw error
            }
            job = next
        }
    }

    /// Runs `body` in one write transaction; what it throws rolls everything back.
    public func transaction<T>(_ body: (RegistryTransaction) throws -> T) throws -> T {
        try write { db in try body(RegistryTransaction(db: db)) }
    }

    /// Runs `body` on a snapshot of the registry, for a command that only reads: it waits for
    /// no writer, and no writer waits for it.
    func read<T>(_ body: (RegistryTransaction) throws -> T) throws -> T {
        try pool.read { db in try body(RegistryTransaction(db: db)) }
    }

    /// Copies the write-ahead log into the database file and empties it, waiting for it (SQLite
    /// and the background checkpointer do this as the log grows; this is for the end of a bulk
    /// job, or before copying the file).
    public func checkpoint() throws {
        waitForBackgroundCheckpoint()
        // Another connection's checkpoint (another command's background copy) holds SQLite's
        // checkpoint lock for a moment, and SQLite does not wait for that lock: try again, for as
        // long as a write would wait.
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
                return
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(5_000)
            }
        }
    }

    /// One write transaction, then a background checkpoint. Another command writing for longer
    /// than ``busyTimeout`` is ``busy``, not SQLite's own words.
    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        let result: T
        do { result = try pool.write(body) } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw Self.busy(busyTimeout)
        } catch let error as DatabaseError {
            throw TraceError("registry.writeFailed", "the registry could not be written, so nothing was: \(Self.reason(error))")
        }
        checkpointer.request()
        return result
    }

    /// Stores the certificates and CRLs that vouch for records (ignoring any already stored).
    static func insert(certificates: [Certificate], crls: [CertificateRevocationList], db: Database) throws {
        for certificate in certificates {
            try db.execute(sql: "INSERT OR IGNORE INTO certificate (keyid, der) VALUES (?, ?)",
                           arguments: [certificate.fingerprint.hexString, certificate.derRepresentation])
        }
        for crl in crls {
            try db.execute(sql: "INSERT OR IGNORE INTO crl (sha256, der) VALUES (?, ?)",
                           arguments: [Digest.sha256(crl.derRepresentation).hexString, crl.derRepresentation])
        }
    }

    /// Every record, in the order they were stored (predecessors first).
    public func allRecords() throws -> [StoredRecord] {
        try pool.read { db in try StoredRecord.fetchAll(db, sql: "SELECT * FROM record ORDER BY seq", arguments: []) }
    }

    /// Every record's envelope JSON, in stored order, as a bundle carries it: for re-verifying
    /// the whole registry. Rows stored as bytes are written as JSON on all cores; a row that is
    /// neither (damaged) is given as it is, for the verifier to say what is wrong with it.
    public func allEnvelopeJSON() throws -> [Data] {
        try pool.read { db in try Data.fetchAll(db, sql: "SELECT envelope FROM record ORDER BY seq") }.concurrentMap(StoredEnvelope.json)
    }

    /// The records whose event time is in `from ..< to` (either end open when nil), in stored
    /// order; read through the time index, so a day's records cost a day's reading.
    public func records(from: Date?, to: Date?) throws -> [StoredRecord] {
        try pool.read { db in
            try StoredRecord.fetchAll(db, sql: "SELECT * FROM record WHERE event_time >= ? AND event_time < ? ORDER BY seq",
                                      arguments: [from?.timeIntervalSince1970 ?? -Double.infinity, to?.timeIntervalSince1970 ?? Double.infinity])
        }
    }

    /// The records with these digests, in stored order.
    public func records(_ digests: Set<String>) throws -> [StoredRecord] {
        guard !digests.isEmpty else { return [] }
        return try pool.read { db in
            try StoredRecord.fetchAll(db, sql: """
                SELECT * FROM record WHERE digest_key IN (SELECT value FROM json_each(?1)) AND digest IN (SELECT value FROM json_each(?2))
                ORDER BY seq
                """, arguments: try Self.keysAndDigests(Array(digests)))
        }
    }

    /// How many records the registry holds.
    public func count() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM record") ?? 0 }
    }

    /// The digests of every record naming `identifier` (a lot, item or logistic unit).
    public func digests(concerning identifier: String) throws -> [String] {
        try pool.read { db in try RegistryTransaction(db: db).digests(concerning: identifier) }
    }

    /// The record naming `gtin`'s product (``RegistryTransaction/namingRecord(ofGTIN:)``).
    public func namingRecord(ofGTIN gtin: GTIN) throws -> StoredRecord? {
        try read { try $0.namingRecord(ofGTIN: gtin) }
    }

    /// `digests` and everything upstream of them, following `agt:inputs` links.
    public func upstream(of digests: [String]) throws -> Set<String> {
        try pool.read { db in
            try Self.closure(of: digests, db: db, sql: """
                SELECT l.input FROM record r JOIN link l ON l.seq = r.seq
                WHERE r.digest_key IN (SELECT value FROM json_each(?1)) AND r.digest IN (SELECT value FROM json_each(?2))
                """)
        }
    }

    /// `digests` and everything downstream of them: every record that links to one of them, transitively.
    public func downstream(of digests: [String]) throws -> Set<String> {
        try pool.read { db in
            try Self.closure(of: digests, db: db, sql: """
                SELECT r.digest FROM link l JOIN record r ON r.seq = l.seq
                WHERE l.input_key IN (SELECT value FROM json_each(?1)) AND l.input IN (SELECT value FROM json_each(?2))
                """)
        }
    }

    /// Breadth-first closure over the link table, one indexed query per level; `sql` takes the
    /// frontier's ``DigestKey``s and digests.
    static func closure(of start: [String], db: Database, sql: String) throws -> Set<String> {
        var seen = Set(start)
        var frontier = start
        while !frontier.isEmpty {
            let next = try String.fetchAll(db, sql: sql, arguments: try keysAndDigests(frontier))
            frontier = next.filter { seen.insert($0).inserted }
        }
        return seen
    }

    /// Two JSON arrays for `json_each`: the digests' keys and the digests themselves.
    static func keysAndDigests(_ digests: [String]) throws -> StatementArguments {
        let encoder = JSONEncoder()
        return [String(decoding: try encoder.encode(digests.map(DigestKey.of)), as: UTF8.self),
                String(decoding: try encoder.encode(digests), as: UTF8.self)]
    }

    /// The certificates stored (signers' and their authorities'), without the CRLs: what names
    /// parties in a trace or a report.
    public func certificates() throws -> [Certificate] {
        try pool.read(Self.certificates)
    }

    /// The parties' names by signer keyid and by GLN, from the certificates stored (its own
    /// signers' and those of partners whose bundles passed the trust anchors on import); where two
    /// certificates of one GLN differ, the first name in byte order, the same each time.
    public func partyNames() throws -> (bySigner: [String: String], byGLN: [String: String]) {
        let certificates = try certificates()
        return (Dictionary(certificates.map { ($0.fingerprint.hexString, $0.partyName) }, uniquingKeysWith: { first, _ in first }),
                Dictionary(certificates.compactMap { certificate in certificate.gln.map { ($0, certificate.partyName) } }, uniquingKeysWith: min))
    }

    /// Every certificate and CRL the registry holds, read in one transaction.
    public func certificatesAndCRLs() throws -> ([Certificate], [CertificateRevocationList]) {
        try read { tx in (try Self.certificates(tx.db), try tx.revocationLists()) }
    }

    private static func certificates(_ db: Database) throws -> [Certificate] {
        try Data.fetchAll(db, sql: "SELECT der FROM certificate").map { try Certificate(der: $0) }
    }
}

/// One stored record.
public struct StoredRecord: Sendable {
    public let seq: Int64
    public let digest: String
    public let envelope: Envelope
    public let event: EPCISEvent
    public let signerKeyid: String
    public let imported: Bool

    /// A row's columns, read while the statement runs; decoded afterwards, on all cores.
    private struct Columns: Sendable {
        let seq: Int64, digest: String, envelope: Data, signerKeyid: String, imported: Bool
    }

    private init(_ columns: Columns) throws {
        seq = columns.seq
        digest = columns.digest
        envelope = try StoredEnvelope.envelope(columns.envelope)
        event = try EPCISEvent.decode(payload: envelope.payload)
        signerKeyid = columns.signerKeyid
        imported = columns.imported
    }

    /// The records the query selects (`SELECT *` of the record table), decoded on all cores. The
    /// statement is prepared once per connection and kept: registering a spreadsheet looks records
    /// up row after row, and preparing each lookup anew cost more than the lookup.
    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments) throws -> [StoredRecord] {
        let columns = try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
            Columns(seq: row["seq"], digest: row["digest"], envelope: row["envelope"], signerKeyid: row["signer_keyid"], imported: row["imported"])
        }
        return try columns.concurrentMap(throwing: StoredRecord.init)
    }
}

/// Events to register, signed by one signer: one transaction of
/// ``Registry/register(_:committed:)``.
public struct RegistrationBatch: Sendable {
    public var events: [EPCISEvent]
    public var signer: Signer

    public init(_ events: [EPCISEvent], by signer: Signer) {
        self.events = events
        self.signer = signer
    }
}
