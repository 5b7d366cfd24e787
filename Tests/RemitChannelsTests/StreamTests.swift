import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import Testing

@Suite("Streamed tick runs")
struct StreamTests {
    let f = Fixture()
    static let unit = try! Amount(units: 1_000)

    /// A payer book and a payee book at these paths, with one channel of 1 credit paid by ticks of
    /// ``unit``, registered with the payee.
    func openStream(payerPath: String, payeePath: String, tickLength: UInt64) async throws -> (PayerBook, PayeeBook, ChannelID) {
        let payer = try PayerBook(path: payerPath, key: f.payer, ledger: f.ledger)
        let payee = try PayeeBook(path: payeePath, key: f.payee, ledger: f.ledger)
        let open = try await payer.prepareOpen(payee: f.payee.publicKey, deposit: f.credits("1"), expiresAt: f.now + 86_400,
                                               challengePeriod: 600, tickUnit: Self.unit, tickLength: tickLength)
        try await payee.register(open)
        return (payer, payee, open.message.channel)
    }

    @Test("a run of ticks is served under one signed root, checked by the payer, and survives restarts")
    func runs() async throws {
        let payerPath = Fixture.temporaryPath("payer.sqlite")
        let payeePath = Fixture.temporaryPath("payee.sqlite")
        let (opened, payee, channel) = try await openStream(payerPath: payerPath, payeePath: payeePath, tickLength: 100_000)
        var payer = opened
        let unit = Self.unit
        var total: Int64 = 0
        for run in 0..<5 {
            let requests = (0..<200).map { (requestDigest: f.request(run * 1_000 + $0), maxPrice: try! unit.multiplied(by: 2)) }
            let ticks = try await payer.payTicks(channel: channel, requests: requests, now: f.now)
            #expect(ticks.count == 200)
            // The payee charges one unit of the two quoted: the rest is credit for the payer.
            let items = ticks.enumerated().map { i, tick in
                PayeeBook.StreamedTick(tick: tick, requestDigest: requests[i].requestDigest, maxPrice: requests[i].maxPrice, draft: f.draft(price: unit.description))
            }
            let (served, refusal) = try await payee.serve(stream: items, channel: channel, now: f.now)
            #expect(refusal == nil)
            let result = try #require(served)
            #expect(try await payer.accept(run: result) == (try unit.multiplied(by: 200)))
            total += 200 * unit.units
            // Any single receipt can stand alone with its proof.
            #expect(result.proof(at: 17).verify(payee: f.payee.publicKey, ledger: f.ledger))
        }
        try await payer.synchronize()
        let state = await payer.channel(channel)!
        #expect(state.charged.units == total)
        payer = try PayerBook(path: payerPath, key: f.payer, ledger: f.ledger)
        let restored = await payer.channel(channel)!
        #expect(restored.charged.units == total)
        #expect(restored.tickIndex == state.tickIndex)
        let claim = try await payee.claim(channel, now: f.now)
        #expect(claim.claim.message.charged.units == total)
        #expect(claim.receipts.count == 1_000)
    }

    @Test("receipts of runs read back byte for byte from both books after a restart")
    func storedExactly() async throws {
        let payerPath = Fixture.temporaryPath("payer.sqlite")
        let payeePath = Fixture.temporaryPath("payee.sqlite")
        let (payer, opened, channel) = try await openStream(payerPath: payerPath, payeePath: payeePath, tickLength: 10_000)
        var payee = opened
        let unit = Self.unit
        // Answers that differ in response, price and attribution, so stored differences vary.
        let drafts = [f.draft(price: unit.description), f.draft(price: "0", weights: [10_000]), f.draft(price: unit.description, weights: [1, 9_999])]
        var sent: [Receipt] = []
        for run in 0..<3 {
            let requests = (0..<50).map { (requestDigest: f.request(run * 100 + $0), maxPrice: unit) }
            let ticks = try await payer.payTicks(channel: channel, requests: requests, now: f.now)
            let items = ticks.enumerated().map { i, tick in
                var draft = drafts[(i * 7 + run) % drafts.count]
                if i % 5 == 0 { draft.responseDigest = f.request(-i) }
                return PayeeBook.StreamedTick(tick: tick, requestDigest: requests[i].requestDigest, maxPrice: unit, draft: draft)
            }
            let served = try #require(try await payee.serve(stream: items, channel: channel, now: f.now).run)
            try await payer.accept(run: served)
            sent += served.receipts
        }
        try await payer.synchronize()
        payee = try PayeeBook(path: payeePath, key: f.payee, ledger: f.ledger)
        #expect(try await payee.claim(channel, now: f.now).receipts == sent)
        #expect(try PayerBook.inspect(path: payerPath).receipts.map(\.receipt) == sent)
    }

    @Test("a stream checks every tick's link: a forged one stops the run there, a tick that skips a unit still verifies")
    func streamLinks() async throws {
        let (payer, payee, channel) = try await openStream(payerPath: Fixture.temporaryPath("payer.sqlite"),
                                                           payeePath: Fixture.temporaryPath("payee.sqlite"), tickLength: 10_000)
        let unit = Self.unit
        let requests = (0..<12).map { (requestDigest: f.request(100 + $0), maxPrice: unit) }
        let ticks = try await payer.payTicks(channel: channel, requests: requests, now: f.now)
        // Tick 2 is left out, so tick 3 pays two units in one step of two hashes; tick 8's link is forged.
        var items = ticks.indices.filter { $0 != 2 }.map { PayeeBook.StreamedPayment(tick: ticks[$0], requestDigest: requests[$0].requestDigest, maxPrice: unit) }
        let genuine = items[7].tick
        items[7].tick = Tick(ledger: genuine.ledger, channel: genuine.channel, index: genuine.index, link: BLAKE2b.hash([0xEE]))
        let (payments, refusal) = try await payee.accept(stream: items, channel: channel, now: f.now)
        #expect(refusal?.code == .channelBadTick)
        #expect(payments.map(\.sequence) == [0, 1, 3, 4, 5, 6, 7].map { ticks[$0].index })
        let state = try #require(await payee.channel(channel))
        #expect(state.tickIndex == ticks[7].index)
        #expect(state.hasPaid(request: requests[7].requestDigest))
        #expect(!state.hasPaid(request: requests[8].requestDigest))
        // The genuine rest of the stream is accepted after the refusal.
        items[7].tick = genuine
        let (rest, none) = try await payee.accept(stream: Array(items[7...]), channel: channel, now: f.now)
        #expect(none == nil)
        #expect(rest.map(\.sequence) == ticks[8...].map(\.index))
    }

    @Test("a forged or overcharging run is refused and changes nothing")
    func forged() async throws {
        let (payer, payee, channel) = try await openStream(payerPath: Fixture.temporaryPath("payer.sqlite"),
                                                           payeePath: Fixture.temporaryPath("payee.sqlite"), tickLength: 10_000)
        let unit = Self.unit
        let requests = (0..<10).map { (requestDigest: f.request($0), maxPrice: unit) }
        let ticks = try await payer.payTicks(channel: channel, requests: requests, now: f.now)
        let items = ticks.enumerated().map { i, tick in
            PayeeBook.StreamedTick(tick: tick, requestDigest: requests[i].requestDigest, maxPrice: unit, draft: f.draft(price: unit.description))
        }
        let run = try #require(try await payee.serve(stream: items, channel: channel, now: f.now).run)
        let before = await payer.channel(channel)!
        var altered = run
        altered.receipts[3].price = .zero
        let error = await #expect(throws: RemitError.self) { try await payer.accept(run: altered) }
        #expect(error?.code == .channelBadSignature)
        let resigned = ReceiptRun(batch: Signed(signing: run.batch.message, with: f.payer), receipts: run.receipts)
        let wrongSigner = await #expect(throws: RemitError.self) { try await payer.accept(run: resigned) }
        #expect(wrongSigner?.code == .channelBadSignature)
        #expect(await payer.channel(channel)! == before)
        #expect(try await payer.accept(run: run) == (try unit.multiplied(by: 10)))
    }
}
