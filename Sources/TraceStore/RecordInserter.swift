import Foundation
import GRDB

/// The statements that store records and their identifiers and links, prepared once and used
/// for every row a transaction writes (a registration stores its events a run at a time).
struct RecordInserter {
    private let db: Database
    // A record already stored (same digest) is skipped; one whose key merely collides is not.
    private let findRecord: RawStatement
    private let insertRecord: RawStatement
    private let insertIdentifier: RawStatement
    private let insertLink: RawStatement

    init(db: Database) throws {
        self.db = db
        findRecord = try RawStatement(db, sql: "SELECT 1 FROM record WHERE digest_key = ? AND digest = ?")
        insertRecord = try RawStatement(db, sql: """
            INSERT INTO record (digest_key, digest, envelope, event_type, biz_step, event_time, event_time_text, signer_keyid, imported)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertIdentifier = try RawStatement(db, sql: "INSERT INTO record_identifier (identifier, seq) VALUES (?, ?)")
        insertLink = try RawStatement(db, sql: "INSERT INTO link (seq, input_key, input, lot) VALUES (?, ?, ?, ?)")
    }

    /// Stores `rows` not stored yet; returns the digests of those it stored.
    func insert(_ rows: [RecordRow], imported: Bool) throws -> [String] {
        var added: [String] = []
        added.reserveCapacity(rows.count)
        for row in rows {
            let key = DigestKey.of(row.digest)
            guard try !findRecord.bind(key).bind(row.digest).run() else { continue }  // stored already
            try insertRecord.bind(key).bind(row.digest).bind(row.storedEnvelope).bind(row.eventType).bind(row.bizStep).bind(row.eventTime)
                .bind(row.eventTimeText).bind(row.signerKeyid).bind(imported).run()
            let seq = db.lastInsertedRowID
            for identifier in row.identifiers {
                try insertIdentifier.bind(identifier).bind(seq).run()
            }
            for link in row.links {
                try insertLink.bind(seq).bind(DigestKey.of(link.record)).bind(link.record).bind(link.lot).run()
            }
            added.append(row.digest)
        }
        return added
    }
}
