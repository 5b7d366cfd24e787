import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import RemitInference
import RemitRuntime
import RemitServer
import Synchronization
import Testing

/// Streamed tick runs over a real loopback socket (`POST /v1/models/{id}/stream`).
@Suite("HTTP streamed runs")
struct StreamTests {
    static let requests = [
        ModelRequest(.features([0.5, -1, 2, 0.25, 1])),
        ModelRequest(.features([1, 1, -0.5, 0, 2])),
        ModelRequest(.features([-2, 0.5, 0.5, 1, -1])),
    ]

    /// A served test market, its signal model, a funded payer and the model's quote for a request.
    static func start(
        _ configure: (inout MarketConfig.Server) -> Void = { _ in }, rateClock: (@Sendable () -> Double)? = nil
    ) async throws -> (RunningServer, Signed<Listing>, WirePayer, Amount) {
        let market = try await TestMarket.make(configure)
        let server = try await market.start(rateClock: rateClock)
        let signals = try await server.model("price-direction")
        let payer = try await WirePayer.make(server, operatorKey: try market.operatorKey())
        return (server, signals, payer, try Pricing.quote(requests[0], listing: signals.message))
    }

    @Test("a run of ticks: the answers and one signed batch whose receipts answer the requests; replayed, it is refused and takes nothing")
    func streamedRun() async throws {
        let (server, signals, payer, quote) = try await Self.start()
        let channel = try await payer.open(to: signals.message.owner, deposit: "0.01", ticks: quote)
        let ticks = try await payer.book.payTicks(channel: channel, requests: Self.requests.map { ($0.digest, quote) }, now: await payer.ledger.now())
        #expect(ticks.count == 3)
        let endpoint = RemoteModelEndpoint(client: server.client, model: signals.message.model)

        let answer = try await endpoint.queryStream(Self.requests, ticks: ticks)
        #expect(answer.refusal == nil)
        #expect(answer.answers.count == 3)
        #expect(answer.run.receipts.map(\.requestDigest) == Self.requests.map(\.digest))
        #expect(answer.run.receipts.map(\.responseDigest) == answer.answers.map(\.responseDigest))
        #expect(answer.run.batch.message.count == 3)
        try answer.run.verify(payee: signals.message.owner, ledger: payer.ledger.ledgerID)
        try await payer.book.accept(run: answer.run)
        let served = try await payer.view(channel)
        #expect(served.served == 3)

        // The same ticks again: the first is not above the last accepted, so nothing is served.
        let replay = try await server.client.send("POST", "/v1/models/\(signals.message.model.hex)/stream",
                                                  body: MessageJSON.encode(HTTPBodies.StreamQuery(requests: Self.requests, ticks: ticks), pretty: false))
        #expect(replay.status == 402)
        #expect(replay.code == "channel.sequence_not_above")
        let after = try await payer.view(channel)
        #expect(after.served == 3)
        #expect(after.charged == served.charged)
        try await server.stop()
    }

    @Test("a run paid by a voucher is malformed (400) and a run's ticks on two channels are refused")
    func malformedRuns() async throws {
        let (server, signals, payer, quote) = try await Self.start()
        let voucherChannel = try await payer.open(to: signals.message.owner, deposit: "0.01")
        let voucher = try await payer.book.pay(channel: voucherChannel, requestDigest: Self.requests[0].digest, maxPrice: quote,
                                               now: await payer.ledger.now(), scheme: .voucher)
        var body = HTTPBodies.StreamQuery(requests: [Self.requests[0]], ticks: [])
        body.ticks = [HTTPWire.encode(payment: voucher)]
        let path = "/v1/models/\(signals.message.model.hex)/stream"
        let refused = try await server.client.send("POST", path, body: MessageJSON.encode(body, pretty: false))
        #expect(refused.status == 400)
        #expect(refused.code == "payment.malformed")

        let first = try await payer.open(to: signals.message.owner, deposit: "0.01", ticks: quote)
        let second = try await payer.open(to: signals.message.owner, deposit: "0.01", ticks: quote)
        let now = await payer.ledger.now()
        let a = try await payer.book.payTicks(channel: first, requests: [(Self.requests[0].digest, quote)], now: now)
        let b = try await payer.book.payTicks(channel: second, requests: [(Self.requests[1].digest, quote)], now: now)
        let mixed = try await server.client.send("POST", path, body: MessageJSON.encode(
            HTTPBodies.StreamQuery(requests: Array(Self.requests.prefix(2)), ticks: a + b), pretty: false))
        #expect(mixed.status == 400)
        #expect(mixed.code == "model.bad_request")
        #expect(try await payer.view(first).served == 0)
        try await server.stop()
    }

    @Test("a run refused part way: the accepted prefix is answered under one batch, the refusal is named, nothing after it is charged")
    func partialRun() async throws {
        let (server, signals, payer, quote) = try await Self.start()
        let channel = try await payer.open(to: signals.message.owner, deposit: "0.01", ticks: quote)
        let ticks = try await payer.book.payTicks(channel: channel, requests: Self.requests.map { ($0.digest, quote) }, now: await payer.ledger.now())
        let endpoint = RemoteModelEndpoint(client: server.client, model: signals.message.model)

        // The third request carries the first tick again: the payee stops there.
        let answer = try await endpoint.queryStream(Self.requests, ticks: [ticks[0], ticks[1], ticks[0]])
        #expect(answer.refusal == .channelSequenceNotAbove)
        #expect(answer.answers.count == 2)
        #expect(answer.run.receipts.map(\.requestDigest) == Self.requests.prefix(2).map(\.digest))
        #expect(answer.run.batch.message.count == 2)
        try answer.run.verify(payee: signals.message.owner, ledger: payer.ledger.ledgerID)
        let view = try await payer.view(channel)
        #expect(view.served == 2)
        #expect(view.charged == (try Amount.sum(answer.run.receipts.map(\.price))))
        try await server.stop()
    }

    @Test("a run counts one paid query per request against the payer's rate; a run above the burst passes on a full bucket and leaves it in debt")
    func rateLimitedRuns() async throws {
        let frozen = Mutex<Double>(0)
        let (server, signals, payer, quote) = try await Self.start({ $0.ratePerPayer = 2 }, rateClock: { frozen.withLock { $0 } })
        let channel = try await payer.open(to: signals.message.owner, deposit: "0.01", ticks: quote)
        let more = Self.requests + [ModelRequest(.features([0, 0, 1, 1, 0]))]
        let ticks = try await payer.book.payTicks(channel: channel, requests: more.map { ($0.digest, quote) }, now: await payer.ledger.now())
        let endpoint = RemoteModelEndpoint(client: server.client, model: signals.message.model)

        // Three queries on a bucket of two: let through (the bucket was full), one token owed.
        let run = try await endpoint.queryStream(Self.requests, ticks: Array(ticks.prefix(3)))
        #expect(run.answers.count == 3)
        let refused = try await payer.send(more[3], model: signals.message.model, payment: .tick(ticks[3]))
        #expect(refused.status == 429)
        #expect(refused.code == "http.rate_limited")
        #expect(try await payer.view(channel).served == 3)
        // A second later the debt is paid off and one token is back.
        frozen.withLock { $0 = 1 }
        let paid = try await payer.send(more[3], model: signals.message.model, payment: .tick(ticks[3]))
        #expect(paid.status == 200)
        #expect(try await payer.view(channel).served == 4)
        try await server.stop()
    }
}
