import ArgumentParser
import Foundation
import RemitBenchmarks
import RemitCore
import RemitCrypto
import RemitLedger

extension LedgerCommand {
    /// Hidden: one node of the multi-node test (several processes, one ledger). With `--setup`
    /// it creates the ledger with the workload's fixed keys and funds the agents. Otherwise it
    /// opens `--channels` channels for the agents living on `--node` (each followed by a transfer
    /// to an agent of the next node), then tries to settle every node's channels, all nodes in
    /// the same order so that their claims race, and prints a JSON report: what it opened, which channels it settled, how
    /// many it found already settled by another node.
    struct Node: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "_node", abstract: "Test helper: one node of a multi-node ledger run.", shouldDisplay: false)

        @OptionGroup var location: Location

        @Flag(name: .long, help: "Create the ledger and fund the agents, then exit.")
        var setup = false

        @Option(name: .long, help: "This node's index.")
        var node: Int = 0

        @Option(name: .long, help: "How many nodes share the ledger.")
        var nodes: Int = 3

        @Option(name: .long, help: "Agents, spread over the nodes by index.")
        var agents: Int = 6

        @Option(name: .long, help: "Channels each node opens.")
        var channels: Int = 10

        @Option(name: .long, help: "Receipts per channel.")
        var receipts: Int = 5

        @Option(name: .long, help: "Seconds to wait for other nodes' channels to appear.")
        var timeout: Double = 120

        struct Report: Encodable {
            var node: Int
            var opened: [String] = []
            var transfers = 0
            var settled: [String] = []
            var alreadySettled = 0
            var waits = 0
        }

        func validate() throws {
            guard nodes >= 1, (0..<nodes).contains(node), agents >= nodes, channels >= 0, receipts >= 1 else {
                throw ValidationError("need nodes >= 1, 0 <= node < nodes, agents >= nodes, receipts >= 1")
            }
        }

        func run() async throws {
            let workload = LedgerWorkload()
            try await location.withStore(creating: setup) { store in
                if setup {
                    let ledger = try await Ledger.create(store: store, operatorKey: workload.operatorKey.publicKey, supply: try Amount(credits: 1_000_000_000))
                    try await workload.setUp(ledger)
                    try await workload.fundAgents(ledger, count: agents, credits: 1_000)
                    print("{\"ledger\": \"\(ledger.id.hex)\", \"supply\": \"\(ledger.genesis.supply)\"}")
                    return
                }
                let ledger = try await Ledger.open(store: store)
                FileHandle.standardError.write(Data("node \(node) ready\n".utf8))
                let report = try await work(ledger, workload)
                CLI.printJSON(report)
            }
        }

        private func work(_ ledger: Ledger, _ workload: LedgerWorkload) async throws -> Report {
            var report = Report(node: node)
            let now = ledger.clock.now()
            for index in 0..<channels {
                let (payer, open) = workload.nodeChannel(ledger.id, node: node, nodes: nodes, agents: agents, index: index, receipts: receipts, now: now)
                try await ledger.openChannel(open)
                report.opened.append(open.message.channel.hex)
                // Credits cross nodes: the payer pays an agent living on the next node.
                let key = LedgerWorkload.agent(payer)
                let to = LedgerWorkload.agent((payer + 1) % agents).publicKey
                let nonce = try await ledger.nonce(of: key.publicKey) + 1
                try await ledger.transfer(Signed(signing: RemitCore.Transfer(ledger: ledger.id, from: key.publicKey, to: to, amount: try Amount(units: 1_000), nonce: nonce), with: key))
                report.transfers += 1
            }
            FileHandle.standardError.write(Data("node \(node) opened \(channels)\n".utf8))

            // Start settling once every node has opened its channels, and walk them all in the same
            // order on every node, so that the claims on each channel race.
            let deadline = Date().addingTimeInterval(timeout)
            for owner in 0..<nodes {
                for index in 0..<channels {
                    let channel = workload.nodeChannel(ledger.id, node: owner, nodes: nodes, agents: agents, index: index, receipts: receipts, now: now).open.message.channel
                    while try await ledger.channel(channel) == nil {
                        guard Date() < deadline else { throw CLIFailure.refused("node \(node): channel \(index) of node \(owner) never appeared within \(timeout) s") }
                        report.waits += 1
                        try await Task.sleep(for: .milliseconds(10))
                    }
                }
            }
            var pending: [(node: Int, index: Int)] = []
            for index in 0..<channels {
                for owner in 0..<nodes { pending.append((owner, index)) }
            }
            while !pending.isEmpty {
                var later: [(node: Int, index: Int)] = []
                for (owner, index) in pending {
                    let (payer, open) = workload.nodeChannel(ledger.id, node: owner, nodes: nodes, agents: agents, index: index, receipts: receipts, now: now)
                    let channel = open.message.channel
                    do throws(RemitError) {
                        try await ledger.apply(workload.nodeClaim(ledger.id, channel: channel, payer: payer, receipts: receipts, now: ledger.clock.now()))
                        report.settled.append(channel.hex)
                    } catch {
                        switch error.code {
                        case .ledgerChannelState: report.alreadySettled += 1
                        case .ledgerUnknownChannel: later.append((owner, index))
                        default: throw error
                        }
                    }
                }
                pending = later
                if !pending.isEmpty {
                    guard Date() < deadline else {
                        throw CLIFailure.refused("node \(node): \(pending.count) channels of other nodes never appeared within \(timeout) s")
                    }
                    report.waits += 1
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            FileHandle.standardError.write(Data("node \(node) done: settled \(report.settled.count), already settled \(report.alreadySettled)\n".utf8))
            return report
        }
    }
}
