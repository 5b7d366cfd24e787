import Foundation
import RemitCore
@testable import RemitLedger
import Testing

@Suite("ledger: crash safety")
struct CrashTests {
    @Test("SIGKILL at many points during settlement batches: every reopen verifies and no batch is half-applied", arguments: StoreKind.available)
    func killAndReopen(_ kind: StoreKind) async throws {
        let location = try TestLocation.fresh(kind, file: true, name: "crash")
        // Different kill points: after 0, 1 or 2 committed batches, then 0...350 ms into the next one.
        let plan: [(batches: Int, milliseconds: Int)] = [(0, 0), (0, 40), (1, 5), (1, 90), (2, 0), (0, 150), (1, 230), (2, 350), (0, 15), (1, 60)]
        var lastHead: UInt64 = 0
        for (round, point) in plan.enumerated() {
            let child = try ChildProcess(["ledger", "_soak", "--ledger", location.argument, "--channels", "8", "--receipts", "40"])
            #expect(try await child.wait(for: "ready"), "round \(round): the child did not start: \(child.stderr)")
            if point.batches > 0 { _ = try await child.wait(for: "committed", count: point.batches) }
            try await Task.sleep(for: .milliseconds(point.milliseconds))
            #expect(child.kill(), "round \(round): the child was not killed by the signal")

            let (report, state) = try await location.withStore { store in (await LedgerVerifier(store: store).run(), try await store.loadState()) }
            #expect(report.ok, "round \(round): \(report.text)")
            #expect(state.head.sequence >= lastHead, "round \(round): committed entries were lost")
            lastHead = state.head.sequence
            // A batch opens and settles its channels in one transaction; a one-by-one batch can leave
            // at most the channel whose claim had not been applied yet.
            #expect(state.channels.values.filter { $0.status == .open }.count <= 1, "round \(round): a half-applied batch")
            #expect(try state.totalBalance() == state.genesis.supply.units)
        }
        #expect(lastHead > 100, "the children committed too little to exercise the kill points (head \(lastHead))")
    }
}
