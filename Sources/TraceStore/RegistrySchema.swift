import GRDB

/// The registry's tables. Records, their identifiers and their links are append-only, enforced
/// by triggers in the database itself, not by convention.
///
/// Version 2 keys everything by a record's sequence number and finds a record by ``DigestKey``,
/// a 64-bit integer, instead of by its 71-character digest: the indexes a registration touches
/// at random are then a fraction of the size, and a transaction rewrites that many fewer pages.
/// A lookup always compares the full digest too, so two records whose keys collide stay apart.
///
/// A record's `envelope` column holds its envelope in ``StoredEnvelope``'s form (bytes), or, in
/// rows written before that form, the envelope's JSON: both read alike, so no migration rewrites them.
enum RegistrySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE record (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    digest TEXT NOT NULL UNIQUE,
                    envelope BLOB NOT NULL,
                    event_type TEXT NOT NULL,
                    biz_step TEXT,
                    event_time REAL NOT NULL,
                    event_time_text TEXT NOT NULL,
                    signer_keyid TEXT NOT NULL,
                    imported INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX record_by_time ON record(event_time);
                CREATE TABLE record_identifier (
                    digest TEXT NOT NULL REFERENCES record(digest),
                    identifier TEXT NOT NULL,
                    PRIMARY KEY (digest, identifier)
                ) WITHOUT ROWID;
                CREATE INDEX record_identifier_by_identifier ON record_identifier(identifier);
                CREATE TABLE link (
                    digest TEXT NOT NULL REFERENCES record(digest),
                    input TEXT NOT NULL,
                    lot TEXT NOT NULL
                );
                CREATE INDEX link_by_digest ON link(digest);
                CREATE INDEX link_by_input ON link(input);
                CREATE TABLE certificate (keyid TEXT PRIMARY KEY, der BLOB NOT NULL);
                CREATE TABLE crl (sha256 TEXT PRIMARY KEY, der BLOB NOT NULL);
                CREATE TABLE product (
                    gtin TEXT PRIMARY KEY, name_vi TEXT NOT NULL, name_en TEXT NOT NULL, name_zh TEXT, name_th TEXT,
                    category TEXT NOT NULL, unit TEXT NOT NULL
                );
                CREATE TABLE plot (id TEXT PRIMARY KEY, name TEXT NOT NULL, geometry TEXT NOT NULL, area_ha TEXT, organic_since TEXT);
                CREATE TABLE held_certificate (number TEXT PRIMARY KEY, body TEXT NOT NULL, valid_from TEXT NOT NULL, valid_until TEXT NOT NULL);
                """)
            try appendOnly(db)
        }
        migrator.registerMigration("v2") { db in
            // The version 1 tables step aside (their triggers and indexes go with them), the new
            // ones are filled from them in stored order, and the old ones are dropped.
            try db.execute(sql: """
                DROP INDEX record_by_time;
                DROP INDEX record_identifier_by_identifier;
                DROP INDEX link_by_digest;
                DROP INDEX link_by_input;
                ALTER TABLE link RENAME TO v1_link;
                ALTER TABLE record_identifier RENAME TO v1_record_identifier;
                ALTER TABLE record RENAME TO v1_record;
                CREATE TABLE record (
                    seq INTEGER PRIMARY KEY,
                    digest_key INTEGER NOT NULL,
                    digest TEXT NOT NULL,
                    envelope BLOB NOT NULL,
                    event_type TEXT NOT NULL,
                    biz_step TEXT,
                    event_time REAL NOT NULL,
                    event_time_text TEXT NOT NULL,
                    signer_keyid TEXT NOT NULL,
                    imported INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX record_by_digest_key ON record(digest_key);
                CREATE INDEX record_by_time ON record(event_time);
                CREATE TABLE record_identifier (
                    identifier TEXT NOT NULL,
                    seq INTEGER NOT NULL REFERENCES record(seq),
                    PRIMARY KEY (identifier, seq)
                ) WITHOUT ROWID;
                CREATE TABLE link (
                    seq INTEGER NOT NULL REFERENCES record(seq),
                    input_key INTEGER NOT NULL,
                    input TEXT NOT NULL,
                    lot TEXT NOT NULL
                );
                CREATE INDEX link_by_seq ON link(seq);
                CREATE INDEX link_by_input_key ON link(input_key);
                """)
            db.add(function: DatabaseFunction("agritrace_digest_key", argumentCount: 1, pure: true) { values in
                String.fromDatabaseValue(values[0]).map(DigestKey.of)
            })
            try db.execute(sql: """
                INSERT INTO record (seq, digest_key, digest, envelope, event_type, biz_step, event_time, event_time_text, signer_keyid, imported)
                    SELECT seq, agritrace_digest_key(digest), digest, envelope, event_type, biz_step, event_time, event_time_text, signer_keyid, imported
                    FROM v1_record ORDER BY seq;
                INSERT INTO record_identifier (identifier, seq)
                    SELECT i.identifier, r.seq FROM v1_record_identifier i JOIN v1_record r ON r.digest = i.digest;
                INSERT INTO link (seq, input_key, input, lot)
                    SELECT r.seq, agritrace_digest_key(l.input), l.input, l.lot FROM v1_link l JOIN v1_record r ON r.digest = l.digest ORDER BY l.rowid;
                DROP TABLE v1_link;
                DROP TABLE v1_record_identifier;
                DROP TABLE v1_record;
                """)
            try appendOnly(db)
        }
        return migrator
    }

    /// No record, identifier or link may be changed or removed.
    private static func appendOnly(_ db: Database) throws {
        for table in ["record", "record_identifier", "link"] {
            for operation in ["UPDATE", "DELETE"] {
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_no_\(operation.lowercased()) BEFORE \(operation) ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;
                    """)
            }
        }
    }
}
