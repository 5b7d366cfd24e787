import Foundation
import RemitCore
import RemitRuntime
import Testing

/// The agent developer's journey by command line: make a market, run the research agent paying
/// per query, read the wallet. Uses a small fortune file made here, not the Debian packages.
@Suite("remit market / agent / wallet")
struct AgentCLITests {
    /// The sample quotes and one without an author (credited to the shared community contributor).
    static let fortunes = SampleFortunes.text + """
        An unattributed quote about the weather and the cat.
        %

        """

    @Test("market init, agent run research, wallet receipts")
    func journey() throws {
        let dir = try RemitProcess.temporaryDirectory()
        try Data(AgentCLITests.fortunes.utf8).write(to: dir.appendingPathComponent("quotes.txt"))
        let made = try RemitProcess.run(["market", "init", "m", "--from", "quotes.txt", "--price-rows", "200", "--kdf", "minimum"], in: dir)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("fortunes: 7 quotes"))
        let shown = try RemitProcess.run(["market", "show", "--market", "m/market.yaml", "--json"], in: dir)
        #expect(shown.status == 0, "\(shown.stderr)")
        let listings = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [[String: Any]]
        #expect(Set(listings?.compactMap { $0["name"] as? String } ?? []) == ["fortune-qa", "fortune-lm", "fortune-trace", "price-direction"])

        let policies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Policies")
        let research = try RemitProcess.run([
            "agent", "run", "research", "--market", "m/market.yaml", "--wallet", "m/wallets/r", "--demo-password", "--fund", "1",
            "--policy", policies.appendingPathComponent("research-default.yaml").path, "--topic", "the weather", "--out", "r.md",
        ], in: dir)
        #expect(research.status == 0, "\(research.stderr)")
        #expect(research.stdout.contains("# Research report: the weather"))
        #expect(research.stdout.contains("Mark Twain"))
        #expect(research.stdout.contains("Total spent: **"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("r.md").path))

        let receipts = try RemitProcess.run(["wallet", "receipts", "--wallet", "m/wallets/r", "--json"], in: dir)
        #expect(receipts.status == 0, "\(receipts.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(receipts.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 4)
        #expect(rows?.allSatisfy { ($0["contributors"] as? [Any])?.isEmpty == false } == true)
        let show = try RemitProcess.run(["wallet", "show", "--wallet", "m/wallets/r"], in: dir)
        #expect(show.stdout.contains("receipts 4"))
        // The market's ledger replays after the run, settlement included.
        let verify = try RemitProcess.run(["ledger", "verify", "--path", "m/remit.ledger"], in: dir)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        // No datanet's holding period is over yet: nothing is released and the ledger is unchanged.
        let bonds = try RemitProcess.run(["ledger", "release-bonds", "--path", "m/remit.ledger", "--json"], in: dir)
        #expect(bonds.status == 0, "\(bonds.stderr)")
        let released = try JSONSerialization.jsonObject(with: Data(bonds.stdout.utf8)) as? [String: Any]
        #expect(released?["released"] as? Int == 0)
        let badDatanet = try RemitProcess.run(["ledger", "release-bonds", "--path", "m/remit.ledger", "--datanet", "xyz"], in: dir)
        #expect(badDatanet.status == 2)
        #expect(badDatanet.stderr.contains("xyz"))
    }
}
