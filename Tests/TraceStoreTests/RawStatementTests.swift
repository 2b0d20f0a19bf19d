import Foundation
import GRDB
import Testing
@testable import TraceStore

@Suite("Raw statements: values bound through the C API")
struct RawStatementTests {
    /// A table `t` of `columns` in a fresh in-memory database, and a statement inserting into it.
    @discardableResult
    private func withTable(_ columns: String, _ body: (Database, RawStatement) throws -> Void) throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (\(columns))")
            let count = columns.split(separator: ",").count
            try body(db, try RawStatement(db, sql: "INSERT INTO t VALUES (\(Array(repeating: "?", count: count).joined(separator: ", ")))"))
        }
        return queue
    }

    @Test("empty text and blobs stay empty, nil is NULL, text with a NUL keeps all its bytes, numbers round-trip")
    func valuesRoundTrip() throws {
        try withTable("a TEXT, b TEXT, c BLOB, d BLOB, e INTEGER, f REAL, g TEXT") { db, insert throws in
            for _ in 0..<2 {  // the second row proves the statement runs again with its new values
                #expect(try insert.bind("").bind(nil as String?).bind(Data()).bind(Data([0, 1, 2])).bind(Int64.min).bind(0.1)
                    .bind("Mật ong\u{0}x").run() == false)
            }
            let rows = try Row.fetchAll(db, sql: "SELECT a, b, c, d, e, f, g, typeof(a) AS ta, typeof(b) AS tb, typeof(c) AS tc, CAST(g AS BLOB) AS gb FROM t")
            #expect(rows.count == 2)
            for row in rows {
                #expect(row["a"] as String? == "" && row["ta"] as String == "text")
                #expect(row["tb"] as String == "null")
                #expect(row["c"] as Data? == Data() && row["tc"] as String == "blob")
                #expect(row["d"] as Data == Data([0, 1, 2]))
                #expect(row["e"] as Int64 == .min && row["f"] as Double == 0.1)
                #expect(row["gb"] as Data == Data("Mật ong\u{0}x".utf8))  // all of it, past the NUL
            }
            let select = try RawStatement(db, sql: "SELECT 1 FROM t WHERE e = ?")
            #expect(try select.bind(Int64.min).run() == true)
            #expect(try select.bind(Int64(1)).run() == false)
        }
    }

    @Test("a value too many or too few, or a constraint broken, is an error naming the statement, and nothing is written")
    func failuresThrow() throws {
        let queue = try withTable("a TEXT NOT NULL, b TEXT") { db, insert throws in
            #expect(throws: DatabaseError.self) { try insert.bind("x").bind("y").bind("z").run() }
            #expect(throws: DatabaseError.self) { try insert.bind(nil as String?).bind("b").run() }
            #expect(try insert.bind("first").bind("kept?").run() == false)
            // One value short: the previous row's second value must not be reused.
            #expect(throws: DatabaseError.self) { try insert.bind("second").run() }
            #expect(try insert.bind("third").bind(nil as String?).run() == false)  // usable again after a failure
            #expect(try Row.fetchAll(db, sql: "SELECT a, b FROM t").map { [$0["a"] as String?, $0["b"] as String?] } == [["first", "kept?"], ["third", nil]])
        }
        #expect(throws: DatabaseError.self) { try queue.write { db in _ = try RawStatement(db, sql: "INSERT INTO nowhere VALUES (?)") } }
    }
}
