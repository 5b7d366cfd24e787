import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime
import RemitServer
import Testing

/// Many agents on one server, and a restart in the middle of a run.
@Suite("HTTP concurrency and restart")
struct ConcurrencyRestartTests {
    @Test("many concurrent agents on one server: every payment answered, receipted and settled")
    func manyAgents() async throws {
        let market = try await TestMarket.make()
        let server = try await market.start()
        let remote = try await RemoteMarket.connect(server.url)
        let operatorKey = try market.operatorKey()
        let qa = try await server.model("fortune-qa")
        let agents = 12
        let perAgent = 5
        let wallets = try await withThrowingTaskGroup(of: Wallet.self) { group in
            for i in 0..<agents {
                group.addTask {
                    let key = SigningKey()
                    try await remote.ledger.faucet(key.publicKey, credits: "2", operatorKey: operatorKey)
                    let wallet = try await Wallet(key: key, ledger: remote.ledger, bookPath: "\(market.folder)/wallet-\(i).sqlite",
                                                  policy: SpendingPolicy(name: "test"), directory: Directory(ledger: remote.ledger.ledgerID),
                                                  events: EventSink(agent: "agent-\(i)", log: try EventLog(path: "\(market.folder)/events-\(i).jsonl")))
                    for endpoint in remote.endpoints { try await wallet.add(endpoint: endpoint) }
                    return wallet
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let receipts = try await withThrowingTaskGroup(of: [Receipt].self) { group in
            for (i, wallet) in wallets.enumerated() {
                group.addTask {
                    var receipts: [Receipt] = []
                    for n in 0..<perAgent {
                        let paid = try await wallet.query(model: qa.message.model, request: ModelRequest(.question("agent \(i) asks \(n) about the weather", topK: 1)))
                        receipts.append(paid.receipt.receipt)
                    }
                    return receipts
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(receipts.count == agents * perAgent)
        #expect(Set(receipts.map(\.channel)).count == agents)
        let charged = try receipts.reduce(Amount.zero) { try $0.adding($1.price) }
        var booked = Amount.zero
        for channel in await server.market.owners[0].book.allChannels() { booked = try booked.adding(channel.charged) }
        #expect(booked == charged)
        for wallet in wallets { #expect(await wallet.settleAll().count == 1) }
        let report = await server.market.ledger.verify()
        #expect(report.ok, "\(report)")
        await remote.client.shutdown()
        try await server.stop()
    }

    @Test("a graceful restart mid-run loses no accepted payment; the channel then settles")
    func restart() async throws {
        let market = try await TestMarket.make()
        var server = try await market.start()
        let qa = try await server.model("fortune-qa")
        let ownerKey = qa.message.owner
        var payer = try await WirePayer.make(server, operatorKey: try market.operatorKey())
        let channel = try await payer.open(to: ownerKey, deposit: "1")
        var charged = Amount.zero
        // Queries in flight when the shutdown starts still finish (or are never accepted).
        let accepted = try await withThrowingTaskGroup(of: Receipt?.self) { group in
            for i in 0..<6 {
                let request = ModelRequest(.question("question \(i) about the weather", topK: 1))
                let quote = try Pricing.quote(request, listing: qa.message)
                let payment = try await payer.book.pay(channel: channel, requestDigest: request.digest, maxPrice: quote, now: await payer.ledger.now(), scheme: .voucher)
                let reply = try await payer.send(request, model: qa.message.model, payment: payment)
                #expect(reply.status == 200)
                guard case .signed(let receipt) = try HTTPWire.decodeReceipt({ reply.header($0) }) else { continue }
                try await payer.book.accept(receipt: receipt)
                group.addTask { receipt.message }
            }
            return try await group.reduce(into: [Receipt]()) { if let r = $1 { $0.append(r) } }
        }
        for receipt in accepted { charged = try charged.adding(receipt.price) }
        try await server.stop()

        server = try await market.start()
        payer = WirePayer(key: payer.key, book: payer.book, ledger: try await RemoteLedgerAccess.connect(server.client), client: server.client)
        let view = try await payer.view(channel)
        #expect(view.served == 6)
        #expect(view.charged == charged)
        let before = try await payer.ledger.balance(of: ownerKey)
        _ = try await server.client.call("POST", "/v1/channels/\(channel.hex)/close", as: HTTPBodies.ChannelView.self)
        let state = try await payer.ledger.channel(channel)
        #expect(state?.status == .closed)
        let after = try await payer.ledger.balance(of: ownerKey)
        #expect(after > before)
        #expect(after <= (try before.adding(charged)))
        let report = await server.market.ledger.verify()
        #expect(report.ok, "\(report)")
        try await server.stop()
    }
}
