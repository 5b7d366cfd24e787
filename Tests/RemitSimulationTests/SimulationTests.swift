import Foundation
import RemitCore
import RemitSimulation
import Testing

@Suite("Simulated economies")
struct SimulationTests {
    static var economies: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples/economies")
    }

    static func folder() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("remit-sim-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @Test("the same scenario and seed give the identical ledger head; another seed does not")
    func determinism() async throws {
        let scenario = try ScenarioFile.load(path: SimulationTests.economies.appendingPathComponent("small.yaml").path)[0].scenario
        let first = try await SimulationEngine.run(scenario, options: .init(folder: SimulationTests.folder()))
        let second = try await SimulationEngine.run(scenario, options: .init(folder: SimulationTests.folder()))
        #expect(first.summary.ledgerHead == second.summary.ledgerHead)
        #expect(first.summary.ledgerEntries == second.summary.ledgerEntries)
        #expect(first.summary.paidQueries == second.summary.paidQueries)
        var other = scenario
        other.seed += 1
        let third = try await SimulationEngine.run(other, options: .init(folder: SimulationTests.folder()))
        #expect(third.summary.ledgerHead != first.summary.ledgerHead)
    }

    @Test("a small scenario runs end to end: payments, settlement, a verified ledger, earnings as settled")
    func endToEnd() async throws {
        let scenario = try ScenarioFile.load(path: SimulationTests.economies.appendingPathComponent("small.yaml").path)[0].scenario
        let folder = SimulationTests.folder()
        let result = try await SimulationEngine.run(scenario, options: .init(folder: folder))
        let s = result.summary
        #expect(s.paidQueries > 100)
        #expect(s.ledgerVerified == true)
        #expect(s.earningsMatchLedger)
        #expect(s.settledChannels == s.agents)  // every agent here pays one owner: one channel each
        #expect(s.duplicatesRefused > 0)
        #expect(s.contributionsRemoved > 0)
        #expect(s.contributorEarnings > 0 && s.ownerEarnings > 0 && s.treasuryEarnings > 0)
        #expect(abs(s.contributorEarnings + s.ownerEarnings + s.treasuryEarnings - s.volume) < 1e-9)
        #expect(result.steps.count == scenario.steps)
        #expect(s.gini > 0 && s.gini < 1)
        try result.write(to: folder)
        for file in ["metrics.csv", "metrics.json", "contributors.csv", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(file)"))
        }
    }
}
