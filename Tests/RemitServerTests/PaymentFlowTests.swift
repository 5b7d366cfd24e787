import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime
import RemitServer
import Testing

/// The 402 flow over a real loopback socket, and refused payments that change nothing.
@Suite("HTTP payments")
struct PaymentFlowTests {
    static let question = ModelRequest(.question("What did Mark Twain say about the weather?", topK: 2))

    @Test("unpaid: 402 with the payment requirement; paid retry: answer and signed receipt")
    func paymentFlow() async throws {
        let market = try await TestMarket.make()
        let server = try await market.start()
        let qa = try await server.model("fortune-qa")
        let payer = try await WirePayer.make(server, operatorKey: try market.operatorKey())

        let unpaid = try await payer.send(Self.question, model: qa.message.model, payment: nil)
        #expect(unpaid.status == 402)
        let requirement = try MessageJSON.decode(HTTPBodies.PaymentRequirement.self, from: unpaid.body)
        let quote = try Pricing.quote(Self.question, listing: qa.message)
        #expect(requirement.error.code == "payment.required")
        #expect(requirement.quote == quote)
        #expect(requirement.requestDigest == Self.question.digest)
        #expect(requirement.payeeKey == qa.message.owner)
        #expect(requirement.payee == AccountID(qa.message.owner).description)
        #expect(requirement.ledger == payer.ledger.ledgerID)
        #expect(requirement.accepts == ["voucher", "tick"])
        #expect(requirement.listingSequence == qa.message.listingSequence)
        #expect(requirement.channel.minimumDeposit == quote)

        let channel = try await payer.open(to: requirement.payeeKey, deposit: "1")
        let payment = try await payer.book.pay(channel: channel, requestDigest: requirement.requestDigest, maxPrice: requirement.quote,
                                               now: await payer.ledger.now(), scheme: .voucher)
        let paid = try await payer.send(Self.question, model: qa.message.model, payment: payment)
        #expect(paid.status == 200)
        let answer = try MessageJSON.decode(HTTPBodies.Answer.self, from: paid.body).answer
        #expect(answer.output.contains("weather"))
        let evidence = try HTTPWire.decodeReceipt { paid.header($0) }
        guard case .signed(let receipt) = evidence else { Issue.record("expected a signed receipt"); return }
        try receipt.verify(ledger: payer.ledger.ledgerID, signer: qa.message.owner)
        #expect(receipt.message.requestDigest == Self.question.digest)
        #expect(receipt.message.responseDigest == answer.responseDigest)
        #expect(receipt.message.price == (try Pricing.charge(Self.question, listing: qa.message, outputTokens: answer.outputTokens)))
        try await payer.book.accept(receipt: receipt)
        let view = try await payer.view(channel)
        #expect(view.served == 1)
        #expect(view.charged == receipt.message.price)

        // The same voucher again (a payer retrying after a lost answer): the same receipt, no new charge.
        let retry = try await payer.send(Self.question, model: qa.message.model, payment: payment)
        #expect(retry.status == 200)
        #expect(retry.header(HTTPWire.receiptHeader) == paid.header(HTTPWire.receiptHeader))
        #expect(try await payer.view(channel).charged == receipt.message.price)
        try await server.stop()
    }

    @Test("forged, replayed, stale and over-deposit vouchers: 402 with their code, nothing changes")
    func refusals() async throws {
        let market = try await TestMarket.make()
        let server = try await market.start()
        let qa = try await server.model("fortune-qa")
        let payer = try await WirePayer.make(server, operatorKey: try market.operatorKey())
        let ledgerID = payer.ledger.ledgerID
        let channel = try await payer.open(to: qa.message.owner, deposit: "0.05")
        let quote = try Pricing.quote(Self.question, listing: qa.message)
        let other = ModelRequest(.question("What is simplicity?", topK: 2))

        // Two accepted payments: sequence 1 for `question`, sequence 2 for `other`.
        var cumulative = Amount.zero
        for (sequence, request) in [(UInt64(1), Self.question), (2, other)] {
            cumulative = try cumulative.adding(quote)
            let voucher = Signed(signing: Voucher(ledger: ledgerID, channel: channel, sequence: sequence, cumulative: cumulative,
                                                  requestDigest: request.digest), with: payer.key)
            #expect(try await payer.send(request, model: qa.message.model, payment: .voucher(voucher)).status == 200)
        }
        let before = try await payer.view(channel)
        let escrow = try await server.client.call("GET", "/v1/ledger/accounts/escrow:\(channel.hex)", as: HTTPBodies.AccountInfo.self)
        let third = ModelRequest(.question("Who talks about the weather?", topK: 1))
        let next = try cumulative.adding(quote)
        let cases: [(String, PayerBook.PaymentMessage, ModelRequest, String)] = [
            ("forged", .voucher(Signed(signing: Voucher(ledger: ledgerID, channel: channel, sequence: 3, cumulative: next, requestDigest: third.digest),
                                       with: SigningKey())), third, "channel.bad_signature"),
            ("replayed", .voucher(Signed(signing: Voucher(ledger: ledgerID, channel: channel, sequence: 3, cumulative: next, requestDigest: other.digest),
                                         with: payer.key)), other, "channel.replayed_request"),
            ("stale", .voucher(Signed(signing: Voucher(ledger: ledgerID, channel: channel, sequence: 2, cumulative: next,
                                                       requestDigest: third.digest), with: payer.key)), third, "channel.sequence_not_above"),
            ("over deposit", .voucher(Signed(signing: Voucher(ledger: ledgerID, channel: channel, sequence: 3, cumulative: try Amount(credits: "0.06"),
                                                              requestDigest: third.digest), with: payer.key)), third, "channel.over_deposit"),
        ]
        for (name, payment, request, code) in cases {
            let reply = try await payer.send(request, model: qa.message.model, payment: payment)
            #expect(reply.status == 402, "\(name)")
            #expect(reply.code == code, "\(name): \(String(decoding: reply.body, as: UTF8.self))")
            #expect(reply.object["quote"] as? String == quote.units.description, "\(name): the requirement comes back")
        }
        let garbage = try await payer.client.send("POST", "/v1/models/\(qa.message.model.hex)/query",
                                                  body: MessageJSON.encode(HTTPBodies.Query(request: third), pretty: false),
                                                  headers: [(HTTPWire.paymentHeader, "bm90IGEgdm91Y2hlcg==")])
        #expect(garbage.status == 400)
        #expect(garbage.code == "payment.malformed")
        let after = try await payer.view(channel)
        #expect(after.served == before.served)
        #expect(after.charged == before.charged)
        let escrowAfter = try await server.client.call("GET", "/v1/ledger/accounts/escrow:\(channel.hex)", as: HTTPBodies.AccountInfo.self)
        #expect(escrowAfter.balance == escrow.balance)
        // The next honest payment still goes through: the refusals left the channel as it was.
        let honest = Signed(signing: Voucher(ledger: ledgerID, channel: channel, sequence: 3, cumulative: next, requestDigest: third.digest), with: payer.key)
        #expect(try await payer.send(third, model: qa.message.model, payment: .voucher(honest)).status == 200)
        try await server.stop()
    }

    @Test("ticks over the wire: the batched receipt comes back with its proof")
    func ticks() async throws {
        let market = try await TestMarket.make()
        let server = try await market.start()
        let signals = try await server.model("price-direction")
        let payer = try await WirePayer.make(server, operatorKey: try market.operatorKey())
        let request = ModelRequest(.features([0.5, -1, 2, 0.25, 1]))
        let quote = try Pricing.quote(request, listing: signals.message)
        let channel = try await payer.open(to: signals.message.owner, deposit: "0.01", ticks: quote)
        let payment = try await payer.book.pay(channel: channel, requestDigest: request.digest, maxPrice: quote, now: await payer.ledger.now(), scheme: .tick)
        let reply = try await payer.send(request, model: signals.message.model, payment: payment)
        #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
        guard case .batched(let batched) = try HTTPWire.decodeReceipt({ reply.header($0) }) else { Issue.record("expected a batched receipt"); return }
        #expect(batched.verify(payee: signals.message.owner, ledger: payer.ledger.ledgerID))
        try await payer.book.accept(batched: batched)
        try await server.stop()
    }

    @Test("an agent's wallet pays a remote server exactly as an in-process one")
    func remoteWallet() async throws {
        let market = try await TestMarket.make()
        let server = try await market.start()
        let remote = try await RemoteMarket.connect(server.url)
        let key = SigningKey()
        try await remote.ledger.faucet(key.publicKey, credits: "5", operatorKey: try market.operatorKey())
        let wallet = try await Wallet(key: key, ledger: remote.ledger, bookPath: "\(market.folder)/wallet.sqlite", policy: SpendingPolicy(name: "test"),
                                      directory: Directory(ledger: remote.ledger.ledgerID),
                                      events: EventSink(agent: "remote", log: try EventLog(path: "\(market.folder)/events.jsonl")))
        for endpoint in remote.endpoints { try await wallet.add(endpoint: endpoint) }
        let qa = try await server.model("fortune-qa")
        let paid = try await wallet.query(model: qa.message.model, request: Self.question)
        #expect(paid.answer.output.contains("weather"))
        #expect(await wallet.settleAll().count == 1)
        let state = try await remote.ledger.channel(paid.receipt.receipt.channel)
        #expect(state?.status == .closed)
        await remote.client.shutdown()
        try await server.stop()
    }
}
