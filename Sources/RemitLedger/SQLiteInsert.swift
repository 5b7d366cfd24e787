import GRDB
internal import GRDBSQLite
import RemitCrypto

/// One INSERT prepared straight on a GRDB connection's SQLite handle, bound with the C API and
/// stepped once per row: no per-row argument boxing or `Data` copies on the hot path of
/// ``SQLiteLedgerStore/append(_:)``. Used only inside one write transaction, then finalised.
final class SQLiteInsert {
    private let connection: OpaquePointer
    private let statement: OpaquePointer
    private let sql: String

    /// SQLite copies bound bytes before `bind` returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(message: "the database connection is closed") }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.connection = connection
        self.statement = statement
        self.sql = sql
    }

    deinit { sqlite3_finalize(statement) }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(statement, index, value) }

    func bind(_ index: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), SQLiteInsert.transient) }
    }

    func bind(_ index: Int32, _ digest: Digest32) {
        _ = digest.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, 32, SQLiteInsert.transient) }
    }

    func bindNull(_ index: Int32) { sqlite3_bind_null(statement, index) }

    /// Runs the statement with the values bound since the last run.
    func run() throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
    }
}
