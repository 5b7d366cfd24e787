import Foundation
import RemitCore
import RemitCrypto
@testable import RemitLedger
import Testing

@Suite("remit ledger (command line)")
struct LedgerCLITests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("init, faucet, transfer, balance, history, checkpoint, proof, verify-proof and verify, with exit codes", arguments: StoreKind.available)
    func journey(_ kind: StoreKind) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("remit-ledger-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // $REMIT_LEDGER names the ledger: a file, or a PostgreSQL URL with a schema of this test's own.
        let location = kind == .sqlite ? "demo.ledger" : try TestLocation.fresh(.postgres).argument
        let env = ["REMIT_PW": "pw", "REMIT_LEDGER": location]
        func remit(_ arguments: String...) async throws -> ChildProcess.Output { try await ChildProcess.run(arguments, in: dir, environment: env) }

        let made = try await remit("ledger", "init", "--supply", "1000", "--password-env", "REMIT_PW", "--kdf", "minimum", "--json")
        #expect(made.status == 0, "\(made.stderr)")
        let info = try LedgerCLITests.json(made.stdout)
        #expect(info["supply"] as? String == "1000")
        let again = try await remit("ledger", "init", "--password-env", "REMIT_PW")
        #expect(again.status == 2, "\(again.stderr)")
        let alice = try LedgerCLITests.json(try await remit("keys", "new", "--out", "alice.key", "--password-env", "REMIT_PW", "--kdf", "minimum", "--json").stdout)["accountID"] as! String
        let op = info["operatorAccount"] as! String

        #expect(try await remit("ledger", "faucet", alice, "--amount", "12.5", "--password-env", "REMIT_PW").status == 0)
        for _ in 0..<3 { #expect(try await remit("ledger", "transfer", "--key", "alice.key", "--password-env", "REMIT_PW", "--to", op, "--amount", "1").status == 0) }
        let over = try await remit("ledger", "transfer", "--key", "alice.key", "--password-env", "REMIT_PW", "--to", op, "--amount", "100")
        #expect(over.status == 1)
        #expect(over.stderr.contains("ledger.insufficient_funds"))
        let balance = try LedgerCLITests.json(try await remit("ledger", "balance", alice, "--json").stdout)
        #expect(balance["balance"] as? String == "9500000000")

        let page1 = try LedgerCLITests.json(try await remit("ledger", "history", alice, "--limit", "2", "--json").stdout)
        #expect((page1["items"] as? [[String: Any]])?.map { $0["entry"] as? Int } == [5, 4])
        let next = try #require(page1["next"] as? Int)
        let page2 = try LedgerCLITests.json(try await remit("ledger", "history", alice, "--limit", "2", "--before", "\(next)", "--json").stdout)
        #expect((page2["items"] as? [[String: Any]])?.map { $0["delta"] as? Int } == [-1_000_000_000, 12_500_000_000])
        #expect(try LedgerCLITests.json(try await remit("ledger", "earnings", alice, "--json").stdout)["total"] as? String == "0")

        #expect(try await remit("ledger", "proof", "3").status == 1)
        #expect(try await remit("ledger", "checkpoint", "--password-env", "REMIT_PW").status == 0)
        #expect(try await remit("ledger", "proof", "3", "--out", "p3.json").status == 0)
        let checked = try await remit("ledger", "verify-proof", "p3.json", "--operator", op, "--json")
        #expect(checked.status == 0)
        #expect(try LedgerCLITests.json(checked.stdout)["entry"] as? Int == 3)
        #expect(try await remit("ledger", "verify-proof", "p3.json", "--operator", alice).status == 1)
        var text = try String(contentsOf: dir.appendingPathComponent("p3.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"sequence\" : 3", with: "\"sequence\" : 2")
        try Data(text.utf8).write(to: dir.appendingPathComponent("bad.json"))
        #expect(try await remit("ledger", "verify-proof", "bad.json").status == 1)

        let ok = try await remit("ledger", "verify")
        #expect(ok.status == 0)
        #expect(ok.stdout.hasPrefix("OK") && ok.stdout.contains("supply 1000 credits"))
        // --ledger names the same ledger explicitly; --path a missing file is bad input.
        let named = try await remit("ledger", "verify", "--ledger", location, "--json")
        #expect(named.status == 0, "\(named.stderr)")
        #expect(try await remit("ledger", "verify", "--path", "missing.ledger").status == 2)
        #expect(try await remit("ledger", "verify", "--ledger", location, "--path", "x").status == 64)
        if kind == .postgres {
            let empty = try await remit("ledger", "verify", "--ledger", try TestLocation.fresh(.postgres).argument)
            #expect(empty.status == 2 && empty.stderr.contains("holds no ledger"), "\(empty.stderr)")
            #expect(try await remit("ledger", "verify", "--ledger", "postgres://u@127.0.0.1:1/db?colour=blue").stderr.contains("ledger.bad_url"))
            // Nothing listens on port 1: a clear error at once, not a minute of pool retries.
            let refused = try await remit("ledger", "verify", "--ledger", "postgres://remit@127.0.0.1:1/remit")
            #expect(refused.status == 2 && refused.stderr.contains("cannot connect to PostgreSQL"), "\(refused.stderr)")
        }
    }

    @Test("a row edited with the sqlite3 shell: verify names the first bad entry and exits 1")
    func tamperWithShell() async throws {
        let sqlite3 = ["/usr/bin/sqlite3", "/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("remit-ledger-tamper-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try await LedgerFixture.with(at: .sqlite(path: dir.appendingPathComponent("t.ledger").path)) { f in
            for _ in 0..<5 { try await f.fund(f.payer.publicKey, credits("2")) }
        }
        #expect(try await ChildProcess.run(["ledger", "verify", "--path", "t.ledger"], in: dir).status == 0)
        let sql = "UPDATE entries SET body = substr(body, 1, 130) || X'00' || substr(body, 132) WHERE sequence = 4;"
        if let sqlite3 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sqlite3)
            process.arguments = [dir.appendingPathComponent("t.ledger").path, sql]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        } else {
            try VerifyTests.tamper(dir.appendingPathComponent("t.ledger").path, sql)
        }
        let result = try await ChildProcess.run(["ledger", "verify", "--path", "t.ledger", "--json"], in: dir)
        #expect(result.status == 1)
        let report = try LedgerCLITests.json(result.stdout)
        #expect(report["ok"] as? Bool == false)
        #expect(report["firstBadEntry"] as? Int == 4)
        let text = try await ChildProcess.run(["ledger", "verify", "--path", "t.ledger"], in: dir)
        #expect(text.stdout.hasPrefix("FAILED  first bad entry 4"))
    }
}

@Suite("remit bench ledger")
struct LedgerBenchTests {
    @Test("--json prints the figures, the floor and the ratios, on either store", arguments: StoreKind.available)
    func benchJSON(_ kind: StoreKind) async throws {
        let dir = FileManager.default.temporaryDirectory
        let store = kind == .sqlite ? [] : ["--ledger", try #require(StoreKind.postgresURL)]
        let result = try await ChildProcess.run(["bench", "ledger", "--json", "--scale", "0.01"] + store, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Double]])
        let figures = try #require(object["figures"])
        let ratios = try #require(object["ratios"])
        for key in ["batched_postings_per_s", "settle_100k_receipts_s", "raw_insert_rows_per_s", "single_postings_per_s", "batched_postings_per_s_engine",
                    "settle_receipts_per_s", "verify_entries_per_s"] {
            #expect((figures[key] ?? 0) > 0, "figure \(key)")
        }
        #expect((ratios["batched_vs_raw_insert"] ?? 0) > 0)
    }
}
