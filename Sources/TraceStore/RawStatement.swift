import Foundation
import GRDB
internal import GRDBSQLite

/// One prepared SQLite statement driven through the C API, for the registry's bulk writes: a
/// registration stores several rows per event, and binding values one by one costs a fraction
/// of building `StatementArguments` for each row (GRDB's own documentation allows the raw API
/// inside its transactions). Values are copied by SQLite when bound.
final class RawStatement {
    private let connection: OpaquePointer
    private let statement: OpaquePointer
    private let sql: String
    /// The statement's `?` parameters: a run must have bound exactly this many values.
    private let parameterCount: Int32
    private var index: Int32 = 0
    /// The first binding SQLite refused since the last run (too many values, too long a value).
    private var bindFailure: Int32?

    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "closed database") }
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.connection = connection
        self.statement = prepared
        self.sql = sql
        self.parameterCount = sqlite3_bind_parameter_count(prepared)
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds the values of one row, in the order of the statement's parameters.
    @discardableResult func bind(_ value: Int64) -> Self { next { sqlite3_bind_int64(statement, $0, value) } }
    @discardableResult func bind(_ value: Double) -> Self { next { sqlite3_bind_double(statement, $0, value) } }
    @discardableResult func bind(_ value: Bool) -> Self { bind(Int64(value ? 1 : 0)) }

    @discardableResult func bind(_ value: String?) -> Self {
        next { index in
            guard let value else { return sqlite3_bind_null(statement, index) }
            return value.withUTF8Bytes { bytes in
                // A non-null pointer even for "": a null one would bind NULL.
                sqlite3_bind_text(statement, index, bytes.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(Self.empty),
                                  Int32(bytes.count), Self.transient)
            }
        }
    }

    @discardableResult func bind(_ value: some ContiguousBytes) -> Self {
        next { index in
            value.withUnsafeBytes { bytes in
                // A non-null pointer even when empty: a null one would bind NULL.
                sqlite3_bind_blob(statement, index, bytes.baseAddress ?? UnsafeRawPointer(Self.empty), Int32(bytes.count), Self.transient)
            }
        }
    }

    /// Runs the statement with the values bound since the last run: whether it gave a row (a
    /// query) or not (a write). Every parameter must have been bound anew (so no value of the
    /// previous row is ever reused, and the bindings need no clearing).
    @discardableResult func run() throws -> Bool {
        defer {
            sqlite3_reset(statement)
            index = 0
            bindFailure = nil
        }
        if let bindFailure {
            throw DatabaseError(resultCode: ResultCode(rawValue: bindFailure), message: "value \(index) could not be bound", sql: sql)
        }
        guard index == parameterCount else {
            throw DatabaseError(resultCode: .SQLITE_RANGE, message: "\(index) values bound for \(parameterCount) parameters", sql: sql)
        }
        switch sqlite3_step(statement) {
        case SQLITE_DONE: return false
        case SQLITE_ROW: return true
        case let code: throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
    }

    private func next(_ bind: (Int32) -> Int32) -> Self {
        index += 1
        let code = bind(index)
        if code != SQLITE_OK, bindFailure == nil { bindFailure = code }
        return self
    }

    /// SQLite copies a value bound with this destructor before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    private static var empty: UnsafePointer<UInt8> { ("" as StaticString).utf8Start }
}
