import ArgumentParser
import Foundation
import RemitBenchmarks
import RemitCore
import RemitCrypto
import RemitLedger

extension LedgerCommand {
    /// Hidden: the crash test's child. Creates (or reopens) a ledger with fixed keys and settles
    /// batches of channels until killed, printing `committed N` to stderr after each batch.
    struct Soak: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "_soak", abstract: "Test helper: settle batches until killed.", shouldDisplay: false)

        @OptionGroup var location: Location

        @Option(name: .long, help: "Batches to run.")
        var batches: Int = 1_000

        @Option(name: .long, help: "Channels per batch.")
        var channels: Int = 10

        @Option(name: .long, help: "Receipts per channel.")
        var receipts: Int = 50

        func run() async throws {
            let workload = LedgerWorkload()
            try await location.withStore(creating: true) { store in
                let ledger: Ledger
                if try await store.genesis() != nil {
                    ledger = try await Ledger.open(store: store)
                } else {
                    ledger = try await Ledger.create(store: store, operatorKey: workload.operatorKey.publicKey, supply: try Amount(credits: 1_000_000_000))
                    try await workload.setUp(ledger)
                }
                FileHandle.standardError.write(Data("ready\n".utf8))
                for _ in 0..<batches {
                    let head = await ledger.head()
                    let operations = workload.settlements(ledger.id, firstNonce: head.sequence * 1_000, channels: channels, receipts: receipts, now: ledger.clock.now())
                    // Every other batch goes one operation per transaction, so kills land in both paths.
                    if head.sequence % 2 == 0 {
                        for result in try await ledger.submit(operations) { _ = try result.get() }
                    } else {
                        for operation in operations { try await ledger.apply(operation) }
                    }
                    FileHandle.standardError.write(Data("committed \(await ledger.head().sequence)\n".utf8))
                }
            }
        }
    }
}
