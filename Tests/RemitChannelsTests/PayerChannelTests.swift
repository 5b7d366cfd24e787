import RemitChannels
import RemitCore
import RemitCrypto
import Testing

@Suite("Payer state machine")
struct PayerChannelTests {
    let f = Fixture()

    @Test("never signs past the deposit or the policy limit; the refusal changes nothing")
    func limits() throws {
        var state = PayerChannel(open: f.open)
        guard case .signVoucher(let v) = state.handle(.payVoucher(requestDigest: f.request(1), maxPrice: f.credits("9"), now: f.now, limit: nil)) else {
            Issue.record("first payment refused")
            return
        }
        #expect(v.sequence == 1 && v.cumulative == f.credits("9"))
        _ = state.handle(.abandon)
        let before = state
        let over = state.handle(.payVoucher(requestDigest: f.request(2), maxPrice: f.credits("10"), now: f.now, limit: nil))
        // 9 credits are prepaid (abandoned payment), so this needs only 1 more: allowed.
        guard case .signVoucher(let second) = over else { Issue.record("credit was not used: \(over)"); return }
        #expect(second.cumulative == f.credits("10"))
        _ = state.handle(.abandon)
        var capped = before
        #expect(capped.handle(.payVoucher(requestDigest: f.request(2), maxPrice: f.credits("10"), now: f.now, limit: f.credits("9.5"))) == .refuse(RemitError(.channelOverLimit, "")))
        #expect(capped == before)
        // 10 credits are authorised and prepaid; a quote of 10.5 would need 0.5 more, past the deposit.
        #expect(state.handle(.payVoucher(requestDigest: f.request(3), maxPrice: f.credits("10.5"), now: f.now, limit: nil)) == .refuse(RemitError(.channelOverDeposit, "")))
    }

    @Test("one payment in flight at a time; a receipt must answer it exactly")
    func receipts() throws {
        var state = PayerChannel(open: f.open)
        _ = state.handle(.payVoucher(requestDigest: f.request(1), maxPrice: f.credits("1"), now: f.now, limit: nil))
        #expect(state.handle(.payVoucher(requestDigest: f.request(2), maxPrice: f.credits("1"), now: f.now, limit: nil)) == .refuse(RemitError(.channelPaymentPending, "")))
        let draft = f.draft(price: "0.4")
        let wrongRequest = Signed(signing: draft.receipt(ledger: f.ledger, channel: f.channel, sequence: 1, requestDigest: f.request(9)), with: f.payee)
        #expect(state.handle(.receipt(wrongRequest)) == .refuse(RemitError(.channelReceiptMismatch, "")))
        let forged = Signed(signing: draft.receipt(ledger: f.ledger, channel: f.channel, sequence: 1, requestDigest: f.request(1)), with: f.payer)
        #expect(state.handle(.receipt(forged)) == .refuse(RemitError(.channelBadSignature, "")))
        let overcharge = Signed(signing: f.draft(price: "1.1").receipt(ledger: f.ledger, channel: f.channel, sequence: 1, requestDigest: f.request(1)), with: f.payee)
        #expect(state.handle(.receipt(overcharge)) == .refuse(RemitError(.channelReceiptOvercharge, "")))
        var badSum = draft.receipt(ledger: f.ledger, channel: f.channel, sequence: 1, requestDigest: f.request(1))
        badSum.attribution[0].weightBps -= 1
        #expect(state.handle(.receipt(Signed(signing: badSum, with: f.payee))) == .refuse(RemitError(.channelReceiptInvalid, "")))
        let good = Signed(signing: draft.receipt(ledger: f.ledger, channel: f.channel, sequence: 1, requestDigest: f.request(1)), with: f.payee)
        #expect(state.handle(.receipt(good)) == .accepted(price: f.credits("0.4")))
        #expect(state.charged == f.credits("0.4"))
        #expect(state.credit == f.credits("0.6"))
        guard case .signVoucher(let next) = state.handle(.payVoucher(requestDigest: f.request(2), maxPrice: f.credits("1"), now: f.now, limit: nil)) else {
            Issue.record("second payment refused")
            return
        }
        #expect(next.sequence == 2 && next.cumulative == f.credits("1.4"))
    }

    @Test("ticks reveal one index per unit and are accepted by the payee's chain check")
    func ticks() throws {
        var payer = PayerChannel(open: f.open)
        var payee = try PayeeChannel(open: f.open, ledger: f.ledger, payee: f.payee.publicKey)
        let unit = f.open.message.hashChain!.unit
        for n in 1...50 {
            let price = try unit.multiplied(by: Int64(n % 3 + 1))
            guard case .revealTick(let index) = payer.handle(.payTick(requestDigest: f.request(n), maxPrice: price, now: f.now, limit: nil)) else {
                Issue.record("tick \(n) refused by payer")
                return
            }
            let tick = Tick(ledger: f.ledger, channel: f.channel, index: index, link: f.chain.link(at: Int(index)))
            guard case .serve = payee.handle(.tick(tick, requestDigest: f.request(n), maxPrice: price, now: f.now)) else {
                Issue.record("tick \(n) refused by payee")
                return
            }
            _ = payee.handle(.served(sequence: index, price: price))
            let receipt = f.draft(price: price.description).receipt(ledger: f.ledger, channel: f.channel, sequence: index, requestDigest: f.request(n))
            #expect(payer.handle(.batchedReceipt(receipt)) == .accepted(price: price))
        }
        #expect(payer.authorized == payee.authorized)
        #expect(payer.charged == payee.charged)
    }

    @Test("a payment the credit covers still needs a link: at the end of the chain it is refused, never revealed past it")
    func creditAtChainEnd() throws {
        let f = Fixture(chainLength: 2)
        var payer = PayerChannel(open: f.open)
        let unit = f.open.message.hashChain!.unit
        guard case .revealTick(let index) = payer.handle(.payTick(requestDigest: f.request(1), maxPrice: try unit.multiplied(by: 2), now: f.now, limit: nil)) else {
            Issue.record("the first payment was refused")
            return
        }
        #expect(index == 2)
        // The receipt charges nothing: two units stay as credit, but the chain has no link left.
        let receipt = f.draft(price: "0", weights: []).receipt(ledger: f.ledger, channel: f.channel, sequence: index, requestDigest: f.request(1))
        #expect(payer.handle(.batchedReceipt(receipt)) == .accepted(price: .zero))
        #expect(payer.credit == (try unit.multiplied(by: 2)))
        let next = payer.handle(.payTick(requestDigest: f.request(2), maxPrice: unit, now: f.now, limit: nil))
        #expect(next == .refuse(RemitError(.channelTicksUnavailable, "")))
        #expect(payer.tickIndex == 2)
    }
}
