import Foundation
import RemitCore
@testable import RemitLedger
import Testing

/// Several processes, one PostgreSQL ledger (issue #9, item 4).
///
/// The nodes are `remit ledger _node` processes that write through the library, every channel
/// claimed on every node at once (settlement contention). `MultiNodeServeTests` runs the same
/// checks after three `remit serve` processes were paid over HTTP.
@Suite("ledger: several nodes on one PostgreSQL ledger")
struct MultiNodeTests {
    static let nodes = 3
    static let agents = 6
    static let channels = 8
    static let receipts = 5

    struct Report: Decodable {
        var node: Int
        var opened: [String]
        var transfers: Int
        var settled: [String]
        var alreadySettled: Int
        var waits: Int
    }

    /// Starts `remit arguments` with stdout and stderr in files, without waiting.
    static func start(_ arguments: [String], in dir: URL, name: String) throws -> Process {
        let process = Process()
        process.executableURL = ChildProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = dir
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("\(name).out").path, contents: nil)
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("\(name).err").path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: dir.appendingPathComponent("\(name).out"))
        process.standardError = try FileHandle(forWritingTo: dir.appendingPathComponent("\(name).err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("three processes open and settle channels at once on one ledger: verify passes, supply unchanged, no channel settled twice",
          .enabled(if: StoreKind.postgresURL != nil, "REMIT_TEST_POSTGRES_URL is not set: the multi-node test is SKIPPED"))
    func threeNodes() async throws {
        let location = try TestLocation.fresh(.postgres)
        let url = location.argument
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("remit-multinode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let shape = ["--nodes", "\(MultiNodeTests.nodes)", "--agents", "\(MultiNodeTests.agents)", "--channels", "\(MultiNodeTests.channels)",
                     "--receipts", "\(MultiNodeTests.receipts)"]

        let setup = try await ChildProcess.run(["ledger", "_node", "--ledger", url, "--setup"] + shape, in: dir)
        try #require(setup.status == 0, "setup: \(setup.stderr)")

        // All three nodes at once; each polls for the others' channels, so none may wait for another to finish.
        let processes = try (0..<MultiNodeTests.nodes).map { node in
            try MultiNodeTests.start(["ledger", "_node", "--ledger", url, "--node", "\(node)"] + shape, in: dir, name: "node\(node)")
        }
        let deadline = ContinuousClock.now + .seconds(300)
        while processes.contains(where: \.isRunning), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        for process in processes where process.isRunning { process.terminate() }

        var reports: [Report] = []
        for (node, process) in processes.enumerated() {
            process.waitUntilExit()
            let stderr = (try? String(contentsOf: dir.appendingPathComponent("node\(node).err"), encoding: .utf8)) ?? ""
            try #require(process.terminationStatus == 0, "node \(node) exited \(process.terminationStatus): \(stderr)")
            let stdout = try Data(contentsOf: dir.appendingPathComponent("node\(node).out"))
            reports.append(try JSONDecoder().decode(Report.self, from: stdout))
        }

        // Every channel was claimed on all three nodes and settled on exactly one.
        let total = MultiNodeTests.nodes * MultiNodeTests.channels
        let opened = Set(reports.flatMap(\.opened))
        let settled = reports.flatMap(\.settled)
        #expect(opened.count == total)
        #expect(settled.count == total, "settled \(settled.count) times for \(total) channels")
        #expect(Set(settled) == opened)
        #expect(reports.map(\.alreadySettled).reduce(0, +) == (MultiNodeTests.nodes - 1) * total)
        #expect(reports.map(\.transfers).reduce(0, +) == total)

        // `remit ledger verify` replays the shared journal from genesis.
        let verify = try await ChildProcess.run(["ledger", "verify", "--ledger", url, "--json"], in: dir)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any])
        #expect(report["ok"] as? Bool == true)

        try await location.withStore { store in
            let state = try await store.loadState()
            #expect(try state.totalBalance() == state.genesis.supply.units, "supply changed")
            #expect(state.genesis.supply == (try Amount(credits: 1_000_000_000)))
            let channels = state.channels.values.filter { opened.contains($0.channel.hex) }
            #expect(channels.count == total)
            #expect(channels.allSatisfy { $0.status == .closed && $0.closedEntry != nil })
            // The journal itself: one settle entry per channel, none twice.
            var settles: [String: Int] = [:]
            var next: UInt64 = 1
            while true {
                let page = try await store.entries(from: next, limit: 1_000)
                guard let last = page.last else { break }
                for stored in page where stored.kind == EntryKind.channelSettle.rawValue {
                    if case .channelSettle(let bundle) = try LedgerEntry(canonicalBytes: stored.body).payload {
                        settles[bundle.claim.message.channel.hex, default: 0] += 1
                    }
                }
                next = last.sequence + 1
            }
            #expect(settles.count == total)
            #expect(settles.values.allSatisfy { $0 == 1 }, "a channel settled twice: \(settles.filter { $0.value > 1 })")
        }
    }
}
