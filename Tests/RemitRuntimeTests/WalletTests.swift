import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime
import Testing

@Suite("Wallet on a real ledger")
struct WalletTests {
    @Test("pay per query, check receipts, settle: contributors are paid, supply unchanged, the ledger verifies")
    func endToEnd() async throws {
        let market = try await Market()
        let payer = ProtocolVectors.key(0x40)
        let wallet = try await market.wallet(payer, policy: SpendingPolicy(name: "open"))
        var paidTotal = Amount.zero
        for question in ["What is the weather?", "Where is the cat going?", "What about the code?"] {
            let paid = try await wallet.query(model: market.qa.message.model, request: .question(question, topK: 2))
            let receipt = paid.receipt.receipt
            #expect(receipt.price == (try Pricing.charge(.question(question, topK: 2), listing: market.qa.message, outputTokens: receipt.outputTokens)))
            #expect(!receipt.attribution.isEmpty)
            paidTotal = try paidTotal.adding(receipt.price)
        }
        let generated = try await wallet.query(model: market.lm.message.model, request: .generate(prompt: "The weather", maxTokens: 8))
        paidTotal = try paidTotal.adding(generated.receipt.receipt.price)
        #expect(await wallet.policy.spent == paidTotal)
        let channels = await wallet.book.allChannels()
        #expect(channels.count == 1)  // one owner, one channel reused for both models
        let settled = await wallet.settleAll()
        #expect(settled.count == 1)
        let report = await market.ledger.verify()
        #expect(report.ok, "\(report)")
        // Contributors were paid from the receipts' attribution.
        var contributorsPaid = Amount.zero
        for contributor in market.contributors {
            contributorsPaid = try contributorsPaid.adding(try await market.ledger.balance(of: contributor.publicKey))
        }
        #expect(contributorsPaid > .zero)
        #expect(try await market.ledger.balance(of: market.ownerKey.publicKey) > .zero)
        // Exactly what receipts charged left the payer.
        #expect(try await market.ledger.balance(of: payer.publicKey) == (try Amount(credits: "100").subtracting(paidTotal)))
        var total = Amount.zero
        for key in [market.operatorKey, market.ownerKey, payer] + market.contributors {
            total = try total.adding(try await market.ledger.balance(of: key.publicKey))
        }
        #expect(total == Market.supply)
    }

    @Test("the owner closes every paid channel in one batch: each settles once, payers get exactly their change, supply unchanged")
    func ownerClosesAll() async throws {
        let market = try await Market()
        var wallets: [(SigningKey, Wallet, Amount)] = []
        for n in 0..<3 {
            let payer = ProtocolVectors.key(UInt8(0x50 + n))
            let wallet = try await market.wallet(payer, policy: SpendingPolicy(name: "open"))
            var paid = Amount.zero
            for q in 0...n {
                paid = try paid.adding(try await wallet.query(model: market.qa.message.model, request: .question("weather \(q)?", topK: 2)).receipt.receipt.price)
            }
            wallets.append((payer, wallet, paid))
        }
        let report = await market.owner.closeAll(batchSize: 2)
        #expect(report.settled.count == 3)
        #expect(report.refused.isEmpty)
        for (payer, wallet, paid) in wallets {
            let channel = try #require(await wallet.book.allChannels().first)
            #expect(try await market.ledger.channel(channel.terms.channel)?.status == .closed)
            #expect(try await market.ledger.balance(of: payer.publicKey) == (try Amount(credits: "100").subtracting(paid)))
            #expect(await wallet.settleAll() == [channel.terms.channel])  // the wallet records what the ledger settled
        }
        // Nothing is left to close, and a second pass changes nothing.
        let again = await market.owner.closeAll()
        #expect(again.settled.isEmpty && again.refused.isEmpty)
        #expect((await market.ledger.verify()).ok)
        var total = Amount.zero
        for key in [market.operatorKey, market.ownerKey] + wallets.map(\.0) + market.contributors {
            total = try total.adding(try await market.ledger.balance(of: key.publicKey))
        }
        #expect(total == Market.supply)
    }

    @Test("a streamed run of queries paid by ticks: one batch of receipts, checked, settled to the contributors")
    func streamedTicks() async throws {
        let market = try await Market()
        let payer = ProtocolVectors.key(0x44)
        var policy = SpendingPolicy(name: "stream")
        policy.total = try Amount(credits: "2")  // each question quotes 0.026: 40 + 10 of them fit
        let wallet = try await market.wallet(payer, policy: policy, scheme: .tick)
        // With a cap of 0.5 the policy would stop the run after 19 requests; here all fit.
        let requests = (0..<40).map { ModelRequest.question(["weather", "cat", "code", "future"][$0 % 4] + " \($0)?", topK: 2) }
        let answers = try await wallet.queryStream(model: market.qa.message.model, requests: requests)
        #expect(answers.count == 40)
        let charged = try Amount.sum(answers.map(\.receipt.receipt.price))
        #expect(await wallet.policy.spent == charged)
        #expect(answers.allSatisfy { if case .batched = $0.receipt { true } else { false } })
        // A second run reuses the channel and its chain.
        let more = try await wallet.queryStream(model: market.qa.message.model, requests: Array(requests.prefix(10)).map { .question("again " + ($0.digest.hex.prefix(4)), topK: 1) })
        #expect(more.count == 10)
        #expect(await wallet.book.allChannels().count == 1)
        #expect(await wallet.settleAll().count == 1)
        #expect(await market.ledger.verify().ok)
        let spent = try Amount(credits: "100").subtracting(try await market.ledger.balance(of: payer.publicKey))
        #expect(spent == (try charged.adding(try Amount.sum(more.map(\.receipt.receipt.price)))))
    }

    @Test("100 concurrent queries against a total cap never exceed it by a single unit")
    func concurrentCap() async throws {
        let market = try await Market(revenue: Market.revenue(perQuery: "0.01", perToken: "0", maxTokens: 0))
        var policy = SpendingPolicy(name: "capped")
        policy.total = try Amount(credits: "0.255")  // room for 25 queries at 0.01, not 26
        let wallet = try await market.wallet(ProtocolVectors.key(0x41), policy: policy)
        let model = market.qa.message.model
        let results = await withTaskGroup(of: Amount?.self) { group in
            for n in 0..<100 {
                group.addTask { (try? await wallet.query(model: model, request: .question("weather \(n)?", topK: 1)))?.receipt.receipt.price }
            }
            var prices: [Amount] = []
            for await price in group { if let price { prices.append(price) } }
            return prices
        }
        let spent = try Amount.sum(results)
        #expect(results.count == 25)
        #expect(spent <= policy.total!)
        #expect(await wallet.policy.spent == spent)
        var receipted = Amount.zero
        for channel in await wallet.book.allChannels() {
            receipted = try receipted.adding(try Amount.sum(try await wallet.book.receipts(channel: channel.terms.channel).map(\.receipt.price)))
        }
        #expect(receipted == spent)
    }

    @Test("a policy refusal signs nothing and spends nothing")
    func refusal() async throws {
        let market = try await Market()
        var policy = SpendingPolicy(name: "cheap only")
        policy.maxPricePerQuery = try Amount(credits: "0.001")
        let payer = ProtocolVectors.key(0x42)
        let wallet = try await market.wallet(payer, policy: policy)
        let error = await #expect(throws: RemitError.self) { try await wallet.query(model: market.qa.message.model, request: .question("weather?", topK: 1)) }
        #expect(error?.code == .policyRefused)
        #expect(await wallet.book.allChannels().isEmpty)
        #expect(try await market.ledger.balance(of: payer.publicKey) == (try Amount(credits: "100")))
        #expect(await wallet.policy.spent == .zero)
    }

    @Test("a receipt with a wrong price or a bad attribution sum is refused and the model is not paid again", arguments: [Tamper.price, .attribution])
    func badReceipt(tamper: Tamper) async throws {
        let market = try await Market()
        let honest = LocalModelEndpoint(owner: market.owner, model: market.qa.message.model)
        let cheat = TamperingEndpoint(inner: honest, key: market.ownerKey, tamper: tamper)
        let wallet = try await market.wallet(ProtocolVectors.key(0x43), policy: SpendingPolicy(name: "open"), endpoints: [cheat])
        let error = await #expect(throws: RemitError.self) { try await wallet.query(model: market.qa.message.model, request: .question("weather?", topK: 1)) }
        #expect(error?.code == .walletBadReceipt)
        #expect(await wallet.untrustedModels()[market.qa.message.model] != nil)
        let before = await wallet.book.allChannels().map(\.sequence)
        let again = await #expect(throws: RemitError.self) { try await wallet.query(model: market.qa.message.model, request: .question("cat?", topK: 1)) }
        #expect(again?.code == .walletUntrustedModel)
        #expect(await wallet.book.allChannels().map(\.sequence) == before)  // nothing more signed
    }
}

enum Tamper: String, Sendable, CustomStringConvertible {
    case price, attribution
    var description: String { rawValue }
}

/// An endpoint whose owner signs receipts that break the rules.
struct TamperingEndpoint: ModelEndpoint {
    let inner: LocalModelEndpoint
    let key: SigningKey
    let tamper: Tamper

    func listing() async throws(RemitError) -> Signed<Listing> { try await inner.listing() }
    func register(channel open: Signed<ChannelOpen>) async throws(RemitError) { try await inner.register(channel: open) }
    func register(topUp: Signed<ChannelTopUp>) async throws(RemitError) { try await inner.register(topUp: topUp) }
    func close(channel: ChannelID) async throws(RemitError) { try await inner.close(channel: channel) }

    func query(_ request: ModelRequest, payment: PayerBook.PaymentMessage) async throws(RemitError) -> PaidAnswer {
        var paid = try await inner.query(request, payment: payment)
        var receipt = paid.receipt.receipt
        switch tamper {
        case .price: receipt.price = try receipt.price.adding(try Amount(units: 1))
        case .attribution: receipt.attribution[0].weightBps = receipt.attribution[0].weightBps == 1 ? 2 : receipt.attribution[0].weightBps - 1
        }
        paid.receipt = .signed(Signed(signing: receipt, with: key))
        return paid
    }
}
