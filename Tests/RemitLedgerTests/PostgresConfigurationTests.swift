import RemitCore
import RemitLedgerPostgres
import Testing

/// `--ledger postgres://…` parsing; no server needed.
@Suite("ledger: PostgreSQL URLs")
struct PostgresConfigurationTests {
    @Test("a full URL: user, password, host, port, database, schema, TLS, pool; printed without the password")
    func full() throws {
        let c = try PostgresLedgerStore.Configuration(url: "postgres://alice:s%40cret@db.internal:6543/ledgers?schema=node_a&sslmode=disable&pool=3", environment: [:])
        #expect(c.username == "alice" && c.password == "s@cret")
        #expect(c.host == "db.internal" && c.port == 6543 && c.database == "ledgers")
        #expect(c.schema == "node_a" && c.tls == .disable && c.maximumConnections == 3)
        #expect(c.description == "postgres://alice@db.internal:6543/ledgers?schema=node_a&sslmode=disable&pool=3")
        #expect(!c.description.contains("cret"))
    }

    @Test("defaults: port 5432, database = user, schema public, sslmode prefer; PGUSER and PGPASSWORD fill in")
    func defaults() throws {
        let c = try PostgresLedgerStore.Configuration(url: "postgresql://127.0.0.1", environment: ["PGUSER": "bob", "PGPASSWORD": "pw"])
        #expect(c.username == "bob" && c.password == "pw" && c.database == "bob" && c.port == 5432)
        #expect(c.schema == "public" && c.tls == .prefer && c.socketDirectory == nil)
        let socket = try PostgresLedgerStore.Configuration(url: "postgres://remit@localhost/remit?host=/tmp/pg&sslmode=verify-full", environment: [:])
        #expect(socket.socketDirectory == "/tmp/pg" && socket.tls == .verifyFull)
        #expect(PostgresLedgerStore.Configuration.isURL("postgres://x") && !PostgresLedgerStore.Configuration.isURL("remit.ledger"))
    }

    @Test("refused: not a URL, a bad schema, an unknown option, a bad sslmode or port; the password never shows", arguments: [
        "remit.ledger", "postgres://u:hunter2@h/db?schema=Bad-Name", "postgres://u:hunter2@h/db?colour=blue",
        "postgres://u:hunter2@h/db?sslmode=maybe", "postgres://u:hunter2@h/a/b", "postgres://u:hunter2@h:0/db",
    ])
    func refused(url: String) {
        do {
            _ = try PostgresLedgerStore.Configuration(url: url, environment: [:])
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.code == .ledgerBadURL)
            #expect(!error.message.contains("hunter2"), "\(error.message)")
        }
    }
}
