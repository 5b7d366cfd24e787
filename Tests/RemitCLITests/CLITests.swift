import Foundation
import RemitCore
import Testing

@Suite("remit command line")
struct CLITests {
    @Test("--version names the version and protocol")
    func version() throws {
        let result = try RemitProcess.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "remit \(RemitVersion.string) (protocol v1)")
    }

    @Test("keys new writes a 0600 keystore that keys show reads without the password")
    func keys() throws {
        let dir = try RemitProcess.temporaryDirectory()
        let env = ["REMIT_TEST_PW": "s3cret"]
        let made = try RemitProcess.run(["keys", "new", "--out", "a.key", "--password-env", "REMIT_TEST_PW", "--kdf", "minimum", "--json"], in: dir, environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        let info = try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any]
        let account = try #require(info?["accountID"] as? String)
        #expect(try AccountID(account).description == account)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("a.key").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((attributes[.size] as? NSNumber)?.intValue == 178)

        let shown = try RemitProcess.run(["keys", "show", "a.key"], in: dir)
        #expect(shown.status == 0)
        #expect(shown.stdout.contains(account))

        let again = try RemitProcess.run(["keys", "new", "--out", "a.key", "--password-env", "REMIT_TEST_PW"], in: dir, environment: env)
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists"))

        let noPassword = try RemitProcess.run(["keys", "new", "--out", "b.key"], in: dir)
        #expect(noPassword.status == 2)
        #expect(noPassword.stderr.contains("--password-file"))

        let unsetEnv = try RemitProcess.run(["keys", "new", "--out", "b.key", "--password-env", "REMIT_NOT_SET_ANYWHERE"], in: dir)
        #expect(unsetEnv.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("b.key").path))

        try Data("garbage".utf8).write(to: dir.appendingPathComponent("bad.key"))
        let bad = try RemitProcess.run(["keys", "show", "bad.key"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("keystore.not_a_keystore"))
    }

    @Test("verify: 0 for a good message, 1 with the reason for a tampered one, 2 for a missing file")
    func verify() throws {
        let dir = try RemitProcess.temporaryDirectory()
        let voucher = Signed(signing: ProtocolVectors.voucher, with: ProtocolVectors.key(0x02))
        try Data(voucher.jsonBytes()).write(to: dir.appendingPathComponent("v.json"))
        let good = try RemitProcess.run(["verify", "v.json", "--ledger", ProtocolVectors.ledger.hex], in: dir)
        #expect(good.status == 0)
        #expect(good.stdout.hasPrefix("OK"))

        var text = String(decoding: voucher.jsonBytes(), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"sequence\" : 3", with: "\"sequence\" : 4")
        try Data(text.utf8).write(to: dir.appendingPathComponent("t.json"))
        let tampered = try RemitProcess.run(["verify", "t.json", "--json"], in: dir)
        #expect(tampered.status == 1)
        let result = try JSONSerialization.jsonObject(with: Data(tampered.stdout.utf8)) as? [String: Any]
        #expect(result?["valid"] as? Bool == false)
        #expect(result?["errorCode"] as? String == "message.bad_signature")

        let otherLedger = try RemitProcess.run(["verify", "v.json", "--ledger", String(repeating: "ab", count: 32)], in: dir)
        #expect(otherLedger.status == 1)
        #expect(otherLedger.stdout.contains("message.wrong_ledger"))

        let missing = try RemitProcess.run(["verify", "nope.json"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("does not exist"))

        let usage = try RemitProcess.run(["verify"], in: dir)
        #expect(usage.status == 64)
    }

    @Test("bench crypto --json prints figures and the four ratios")
    func benchJSON() throws {
        let result = try RemitProcess.run(["bench", "crypto", "--json", "--scale", "0.005"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Double]]
        let ratios = try #require(object?["ratios"])
        #expect(Set(ratios.keys) == ["sign", "verify", "blake2b", "blake2b_four_lanes"])
        #expect(ratios.values.allSatisfy { $0 > 0 })
        #expect((object?["figures"]?["sign_per_s"] ?? 0) > 0)
    }

    @Test("bench channel --json prints the figures and ratios issue 4 names, and the storage floor")
    func benchChannelJSON() throws {
        let result = try RemitProcess.run(["bench", "channel", "--json", "--scale", "0.01", "--agents", "4"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Double]]
        let figures = try #require(object?["figures"])
        let ratios = try #require(object?["ratios"])
        for key in ["paid_queries_per_s", "p99_us", "tick_payments_per_s_per_core", "commit_floor_cpu_us", "batched_row_floor_cpu_us", "payments_per_payee_commit"] {
            #expect((figures[key] ?? 0) > 0, "figure \(key)")
        }
        for key in ["paid_query_vs_floor", "paid_query_vs_floor_1_agent", "one_agent_ceiling_two_commits", "batched_ceiling_two_rows"] {
            let ratio = ratios[key] ?? 0
            #expect(ratio > 0 && ratio < 10, "ratio \(key) = \(ratio)")
        }
        // A ceiling leaves room only for the crypto and two rows: it is below 1 by construction.
        #expect((ratios["one_agent_ceiling_two_commits"] ?? 1) < 1)
    }

    @Test("the demo runs end to end and twice: HTTP endpoint, agents paying, settlement table, verified ledger, report")
    func demo() throws {
        let dir = try RemitProcess.temporaryDirectory()
        try Data(AgentCLITests.fortunes.utf8).write(to: dir.appendingPathComponent("quotes.txt"))
        for run in 0..<2 {
            let result = try RemitProcess.run(["demo", "--from", "quotes.txt", "--kdf", "minimum", "--price-rows", "200", "--trading-steps", "8",
                                               "--topic", "the weather", "--topic", "the cat"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains(run == 0 ? "Creating a market" : "Reusing the market"))
            #expect(result.stdout.contains("http://127.0.0.1:"))
            #expect(result.stdout.contains("trading: 8 paid queries"))
            #expect(result.stdout.contains("Settlement: who earned what"))
            #expect(result.stdout.contains("every unit paid out, none invented"))
            #expect(result.stdout.split(separator: "\n").contains { $0.contains("Mark Twain (fortunes)") && $0.contains("rm1") })
            #expect(result.stdout.contains("OK: "))
        }
        let report = try String(contentsOf: dir.appendingPathComponent("demo-output/demo-report.html"), encoding: .utf8)
        #expect(report.contains("<svg") && report.contains("Who earned what") && !report.contains("<script"))
        let verified = try RemitProcess.run(["ledger", "verify", "--path", "demo-output/market/remit.ledger"], in: dir)
        #expect(verified.status == 0, "\(verified.stderr)")
    }

    @Test("protocol vectors print the Markdown the document holds")
    func vectors() throws {
        let result = try RemitProcess.run(["protocol", "vectors"])
        #expect(result.status == 0)
        #expect(result.stdout == ProtocolVectors.markdown())
    }
}
