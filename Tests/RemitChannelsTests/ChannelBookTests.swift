import Foundation
import RemitChannels
import RemitCore
import RemitCrypto
import Testing

@Suite("Durable channel books")
struct ChannelBookTests {
    let f = Fixture()

    /// One full paid query between a payer book and a payee book.
    @discardableResult
    static func query(_ n: Int, payer: PayerBook, payee: PayeeBook, channel: ChannelID, price: Amount, charge: Amount? = nil, f: Fixture) async throws -> Signed<Receipt> {
        let request = f.request(n)
        guard case .voucher(let voucher) = try await payer.pay(channel: channel, requestDigest: request, maxPrice: price, now: f.now) else {
            throw RemitError(.channelSchemeMismatch, "expected a voucher")
        }
        let receipt: Signed<Receipt>
        switch try await payee.accept(voucher: voucher, requestDigest: request, maxPrice: price, now: f.now) {
        case .serve(let payment):
            receipt = try await payee.complete(payment, draft: f.draft(price: (charge ?? price).description))
        case .resend(let stored):
            receipt = stored
        }
        try await payer.accept(receipt: receipt)
        return receipt
    }

    @Test("payments survive a restart of both books, with the same totals and claim")
    func restart() async throws {
        let payerPath = Fixture.temporaryPath("payer.sqlite")
        let payeePath = Fixture.temporaryPath("payee.sqlite")
        var payer = try PayerBook(path: payerPath, key: f.payer, ledger: f.ledger)
        var payee = try PayeeBook(path: payeePath, key: f.payee, ledger: f.ledger)
        let open = try await payer.prepareOpen(payee: f.payee.publicKey, deposit: f.credits("5"), expiresAt: f.now + 86_400, challengePeriod: 600)
        try await payee.register(open)
        let channel = open.message.channel
        for n in 1...20 {
            try await ChannelBookTests.query(n, payer: payer, payee: payee, channel: channel, price: f.credits("0.1"), charge: f.credits("0.07"), f: f)
        }
        let before = await payee.channel(channel)!
        let claimBefore = try await payee.claim(channel, now: f.now)
        // A clean stop flushes the payer's write-behind receipt records (a crash would instead
        // reload the last payment as in flight, resent on restart): without this the reopen races them.
        try await payer.synchronize()
        payer = try PayerBook(path: payerPath, key: f.payer, ledger: f.ledger)
        payee = try PayeeBook(path: payeePath, key: f.payee, ledger: f.ledger)
        let after = await payee.channel(channel)!
        #expect(after.charged == f.credits("1.4"))
        #expect(after.authorized == before.authorized)
        #expect(after.voucher == before.voucher)
        #expect(after.served == 20)
        let payerState = await payer.channel(channel)!
        #expect(payerState.sequence == 20)
        #expect(payerState.charged == f.credits("1.4"))
        #expect(payerState.credit == payerState.authorized.units.subtracting(f.credits("1.4")))
        let claim = try await payee.claim(channel, now: f.now)
        #expect(claim.claim.message.receiptsRoot == claimBefore.claim.message.receiptsRoot)
        #expect(claim.claim.message.charged == f.credits("1.4"))
        #expect(claim.receipts.count == 20)
        #expect(claim.receipts.map(\.sequence) == Array(1...20))
        try claim.claim.verify(ledger: f.ledger, signer: f.payee.publicKey)
        // The payer keeps going after the restart with the next sequence.
        let receipt = try await ChannelBookTests.query(21, payer: payer, payee: payee, channel: channel, price: f.credits("0.1"), f: f)
        #expect(receipt.message.sequence == 21)
        #expect(try await payer.receipts(channel: channel).count == 21)
    }

    @Test("a payer that crashed before its receipt resends the same voucher and pays once")
    func resumeInFlight() async throws {
        let payerPath = Fixture.temporaryPath("payer.sqlite")
        var payer = try PayerBook(path: payerPath, key: f.payer, ledger: f.ledger)
        let payee = try PayeeBook(path: Fixture.temporaryPath("payee.sqlite"), key: f.payee, ledger: f.ledger)
        let open = try await payer.prepareOpen(payee: f.payee.publicKey, deposit: f.credits("5"), expiresAt: f.now + 86_400, challengePeriod: 600)
        try await payee.register(open)
        let channel = open.message.channel
        try await ChannelBookTests.query(1, payer: payer, payee: payee, channel: channel, price: f.credits("0.5"), f: f)
        // Payment 2 is sent and served, but the payer dies before reading the receipt.
        guard case .voucher(let sent) = try await payer.pay(channel: channel, requestDigest: f.request(2), maxPrice: f.credits("0.5"), now: f.now) else { return }
        if case .serve(let payment) = try await payee.accept(voucher: sent, requestDigest: f.request(2), maxPrice: f.credits("0.5"), now: f.now) {
            _ = try await payee.complete(payment, draft: f.draft(price: "0.5"))
        }
        payer = try PayerBook(path: payerPath, key: f.payer, ledger: f.ledger)
        guard case .voucher(let again) = await payer.paymentInFlight(channel) else {
            Issue.record("no payment in flight after restart")
            return
        }
        #expect(again == sent)
        // A new payment must wait: the same sequence is never signed twice.
        let pending = await #expect(throws: RemitError.self) { try await payer.pay(channel: channel, requestDigest: f.request(3), maxPrice: f.credits("0.5"), now: f.now) }
        #expect(pending?.code == .channelPaymentPending)
        guard case .resend(let receipt) = try await payee.accept(voucher: again, requestDigest: f.request(2), maxPrice: f.credits("0.5"), now: f.now) else {
            Issue.record("the payee did not resend the stored receipt")
            return
        }
        try await payer.accept(receipt: receipt)
        let payeeState = await payee.channel(channel)!
        #expect(payeeState.charged == f.credits("1"))
        #expect(payeeState.served == 2)
        // An older voucher replayed later gets its receipt again, never a second charge.
        let payments = try await payer.receipts(channel: channel)
        #expect(payments.count == 2)
        #expect(await payer.channel(channel)!.charged == f.credits("1"))
    }

    @Test("concurrent queries on one channel are serialised: nothing lost, nothing counted twice")
    func concurrency() async throws {
        let payeePath = Fixture.temporaryPath("payee.sqlite")
        let payee = try PayeeBook(path: payeePath, key: f.payee, ledger: f.ledger)
        try await payee.register(f.open)
        let f = self.f
        let count = 200
        // The payer signs 200 vouchers up front (sequence n, cumulative n x 0.01); they reach the
        // payee concurrently and in any order.
        let vouchers = (1...count).map { n in (n, f.voucher(UInt64(n), Amount(uncheckedUnitsForTests: Int64(n) * 10_000_000).description, request: f.request(n))) }
        let results = await withTaskGroup(of: Bool.self) { group in
            for (n, voucher) in vouchers.shuffled() {
                group.addTask {
                    do {
                        guard case .serve(let payment) = try await payee.accept(voucher: voucher, requestDigest: f.request(n), maxPrice: .zero, now: f.now) else { return false }
                        _ = try await payee.complete(payment, draft: f.draft(price: "0"))
                        return true
                    } catch {
                        return false
                    }
                }
            }
            var accepted = 0
            for await ok in group where ok { accepted += 1 }
            return accepted
        }
        let state = await payee.channel(f.channel)!
        // Out-of-order arrivals below the newest are refused, never double-counted.
        #expect(state.served == UInt64(results))
        #expect(results >= 1)
        let reopened = try PayeeBook(path: payeePath, key: f.payee, ledger: f.ledger)
        let restored = await reopened.channel(f.channel)!
        #expect(restored.served == state.served)
        #expect(restored.voucher == state.voucher)
        #expect(try await reopened.claim(f.channel, now: f.now).receipts.count == results)
    }

    @Test("tick payments are batched under signed Merkle roots and survive a restart")
    func tickBatches() async throws {
        let payerPath = Fixture.temporaryPath("payer.sqlite")
        let payeePath = Fixture.temporaryPath("payee.sqlite")
        let payer = try PayerBook(path: payerPath, key: f.payer, ledger: f.ledger)
        let payee = try PayeeBook(path: payeePath, key: f.payee, ledger: f.ledger, batchSize: 64, batchDelay: .milliseconds(1))
        let unit = try Amount(units: 1_000)
        let open = try await payer.prepareOpen(payee: f.payee.publicKey, deposit: f.credits("1"), expiresAt: f.now + 86_400,
                                               challengePeriod: 600, tickUnit: unit, tickLength: 10_000)
        try await payee.register(open)
        let channel = open.message.channel
        for n in 1...300 {
            let message = try await payer.pay(channel: channel, requestDigest: f.request(n), maxPrice: unit, now: f.now, scheme: .tick)
            guard case .tick(let tick) = message else { Issue.record("not a tick"); return }
            let payment = try await payee.accept(tick: tick, requestDigest: f.request(n), maxPrice: unit, now: f.now)
            let batched = try await payee.complete(tick: payment, draft: f.draft(price: unit.description))
            #expect(batched.verify(payee: f.payee.publicKey, ledger: f.ledger))
            try await payer.accept(batched: batched)
        }
        let claim = try await payee.claim(channel, now: f.now)
        #expect(claim.tick?.index == 300)
        #expect(claim.receipts.count == 300)
        #expect(claim.claim.message.charged == (try unit.multiplied(by: 300)))
        let reopened = try PayeeBook(path: payeePath, key: f.payee, ledger: f.ledger)
        let state = await reopened.channel(channel)!
        #expect(state.tickIndex == 300)
        #expect(state.charged == (try unit.multiplied(by: 300)))
        // A forged link is refused after the restart too.
        let forged = Tick(ledger: f.ledger, channel: channel, index: 301, link: BLAKE2b.hash([1]))
        let error = await #expect(throws: RemitError.self) { try await reopened.accept(tick: forged, requestDigest: f.request(999), maxPrice: unit, now: f.now) }
        #expect(error?.code == .channelBadTick)
    }

    @Test("a voucher for a channel the payee does not hold is refused")
    func unknown() async throws {
        let payee = try PayeeBook(path: Fixture.temporaryPath("payee.sqlite"), key: f.payee, ledger: f.ledger)
        let error = await #expect(throws: RemitError.self) {
            try await payee.accept(voucher: f.voucher(1, "0.1", request: f.request(1)), requestDigest: f.request(1), maxPrice: f.credits("0.1"), now: f.now)
        }
        #expect(error?.code == .channelUnknown)
        let foreign = Fixture(nonce: 9)
        let other = try PayeeBook(path: Fixture.temporaryPath("payee.sqlite"), key: ProtocolVectors.key(0x09), ledger: f.ledger)
        let wrong = await #expect(throws: RemitError.self) { try await other.register(foreign.open) }
        #expect(wrong?.code == .channelWrongPayee)
    }
}

extension Amount {
    init(uncheckedUnitsForTests units: Int64) { self = try! Amount(units: units) }
}

extension Int64 {
    func subtracting(_ amount: Amount) -> Amount { try! Amount(units: self - amount.units) }
}
