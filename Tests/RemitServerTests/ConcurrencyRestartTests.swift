import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime
import RemitServer
import ServiceLifecycle
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

    @Test("a graceful restart mid-run loses no accepted payment; the channels then settle")
    func restart() async throws {
        let market = try await TestMarket.make()
        var server = try await market.start()
        let qa = try await server.model("fortune-qa")
        let ownerKey = qa.message.owner
        var payer = try await WirePayer.make(server, operatorKey: try market.operatorKey())
        let channel = try await payer.open(to: ownerKey, deposit: "1")
        var charged = Amount.zero
        for i in 0..<4 {
            let request = ModelRequest(.question("question \(i) about the weather", topK: 1))
            let payment = try await payer.book.pay(channel: channel, requestDigest: request.digest, maxPrice: try Pricing.quote(request, listing: qa.message),
                                                   now: await payer.ledger.now(), scheme: .voucher)
            let reply = try await payer.send(request, model: qa.message.model, payment: payment)
            #expect(reply.status == 200)
            guard case .signed(let receipt) = try HTTPWire.decodeReceipt({ reply.header($0) }) else { continue }
            try await payer.book.accept(receipt: receipt)
            charged = try charged.adding(receipt.message.price)
        }
        // Payments in flight on other channels while the graceful shutdown starts: each is either
        // answered (and then durable) or never accepted.
        var others: [ChannelID] = []
        for _ in 0..<6 { others.append(try await payer.open(to: ownerKey, deposit: "0.1")) }
        let sender = payer
        let flight = try await withThrowingTaskGroup(of: (ChannelID, Amount?).self) { group in
            for (i, other) in others.enumerated() {
                let request = ModelRequest(.question("in flight \(i) about the cat", topK: 1))
                let payment = try await sender.book.pay(channel: other, requestDigest: request.digest, maxPrice: try Pricing.quote(request, listing: qa.message),
                                                        now: await sender.ledger.now(), scheme: .voucher)
                group.addTask {
                    guard let reply = try? await sender.send(request, model: qa.message.model, payment: payment), reply.status == 200,
                          case .signed(let receipt) = try HTTPWire.decodeReceipt({ reply.header($0) }) else { return (other, nil) }
                    return (other, receipt.message.price)
                }
            }
            await server.group.triggerGracefulShutdown()
            return try await group.reduce(into: [ChannelID: Amount?]()) { $0[$1.0] = $1.1 }
        }
        try await server.stop()

        server = try await market.start()
        payer = WirePayer(key: payer.key, book: payer.book, ledger: try await RemoteLedgerAccess.connect(server.client), client: server.client)
        let view = try await payer.view(channel)
        #expect(view.served == 4)
        #expect(view.charged == charged)
        for (other, price) in flight {
            let otherView = try await payer.view(other)
            #expect(otherView.served == (price == nil ? 0 : 1), "an answered payment is kept, an unanswered one was never taken")
            #expect(otherView.charged == (price ?? .zero))
        }
        let before = try await payer.ledger.balance(of: ownerKey)
        _ = try await server.client.call("POST", "/v1/channels/\(channel.hex)/close", as: HTTPBodies.ChannelView.self)
        #expect(try await payer.ledger.channel(channel)?.status == .closed)
        let after = try await payer.ledger.balance(of: ownerKey)
        #expect(after > before)
        #expect(after <= (try before.adding(charged)))
        let report = await server.market.ledger.verify()
        #expect(report.ok, "\(report)")
        try await server.stop()
    }
}
