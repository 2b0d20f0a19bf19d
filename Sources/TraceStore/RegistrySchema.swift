import GRDB

/// The registry's tables. Records, their identifiers and their links are append-only, enforced
/// by triggers in the database itself, not by convention.
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
            for table in ["record", "record_identifier", "link"] {
                for operation in ["UPDATE", "DELETE"] {
                    try db.execute(sql: """
                        CREATE TRIGGER \(table)_no_\(operation.lowercased()) BEFORE \(operation) ON \(table)
                        BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;
                        """)
                }
            }
        }
        return migrator
    }
}
