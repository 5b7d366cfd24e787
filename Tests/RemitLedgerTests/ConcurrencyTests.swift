import RemitCore
import RemitCrypto
@testable import RemitLedger
import Testing

@Suite("ledger: concurrent writers")
struct ConcurrencyTests {
    static func opens(_ f: LedgerFixture, nonces: ClosedRange<UInt64>, deposit: Amount) -> [Signed<ChannelOpen>] {
        nonces.map { Signed(signing: f.open(nonce: $0, deposit: deposit), with: f.payer) }
    }

    @Test("a hundred concurrent channel opens cannot overdraw the payer", arguments: StoreKind.available)
    func noOverdraft(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            try await f.fund(f.payer.publicKey, credits("50.5"))
            let opens = ConcurrencyTests.opens(f, nonces: 1...100, deposit: credits("1"))
            let codes = await withTaskGroup(of: RemitError.Code?.self) { group in
                for open in opens {
                    group.addTask { await refusal { try await f.ledger.openChannel(open) }?.code }
                }
                return await group.reduce(into: [RemitError.Code?]()) { $0.append($1) }
            }
            #expect(codes.filter { $0 == nil }.count == 50)
            #expect(codes.compactMap { $0 }.allSatisfy { $0 == .ledgerInsufficientFunds })
            #expect(try await f.balance(f.payer) == credits("0.5").units)
            #expect(try await f.supplyHolds())
            #expect(await f.ledger.verify().ok)
        }
    }

    @Test("concurrent claims on one channel settle it exactly once", arguments: StoreKind.available)
    func settleOnce(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            let cs = try await f.setUpMarket()
            let open = f.open(deposit: credits("1"))
            try await f.ledger.openChannel(Signed(signing: open, with: f.payer))
            let r = f.receipt(open.channel, sequence: 1, price: credits("0.5"), attribution: [(cs[0], 10_000)])
            let v = f.voucher(open.channel, sequence: 1, cumulative: credits("0.5"))
            let claim = f.claim(open.channel, voucher: v, receipts: [r])
            let codes = await withTaskGroup(of: RemitError.Code?.self) { group in
                for _ in 0..<20 { group.addTask { await refusal { try await f.ledger.claim(claim, voucher: v, receipts: [r]) }?.code } }
                return await group.reduce(into: [RemitError.Code?]()) { $0.append($1) }
            }
            #expect(codes.filter { $0 == nil }.count == 1)
            #expect(codes.compactMap { $0 }.allSatisfy { $0 == .ledgerChannelState })
            #expect(try await f.balance(f.payee) == credits("0.25").units)
        }
    }

    @Test("two writers on one store: the store's re-checks stop overdrafts, double settlement and nonce replays", arguments: StoreKind.available)
    func twoWriters(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind, file: true) { f in
            let cs = try await f.setUpMarket()
            try await f.withOtherStore { otherStore in
                let other = try await Ledger.open(store: otherStore, clock: f.clock)
                // The payer holds 1000 credits: 40 opens of 30 credits from two writers, at most 33 fit.
                let opens = ConcurrencyTests.opens(f, nonces: 1...40, deposit: credits("30"))
                let results = await withTaskGroup(of: Bool.self) { group in
                    for (index, open) in opens.enumerated() {
                        let writer = index % 2 == 0 ? f.ledger : other
                        group.addTask { await refusal { try await writer.openChannel(open) } == nil }
                    }
                    return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
                }
                #expect(results == 33)
                #expect(try await f.balance(f.payer) == credits("10").units)

                let channel = opens[0].message.channel
                let r = f.receipt(channel, sequence: 1, price: credits("1"), attribution: [(cs[0], 10_000)])
                let v = f.voucher(channel, sequence: 1, cumulative: credits("1"))
                let claim = f.claim(channel, voucher: v, receipts: [r])
                async let a = refusal { try await f.ledger.claim(claim, voucher: v, receipts: [r]) }
                async let b = refusal { try await other.claim(claim, voucher: v, receipts: [r]) }
                let settled = [await a, await b]
                #expect(settled.filter { $0 == nil }.count == 1)
                #expect(settled.compactMap { $0?.code } == [.ledgerChannelState])

                let nonce = try await f.ledger.nonce(of: f.operatorKey.publicKey) + 1
                let t = Signed(signing: Transfer(ledger: f.id, from: f.operatorKey.publicKey, to: f.payee.publicKey, amount: credits("1"), nonce: nonce), with: f.operatorKey)
                async let x = refusal { try await f.ledger.transfer(t) }
                async let y = refusal { try await other.transfer(t) }
                let sent = [await x, await y]
                #expect(sent.filter { $0 == nil }.count == 1)
                #expect(sent.compactMap { $0?.code } == [.ledgerNonceNotAbove])
                #expect(try await f.supplyHolds())
            }
            #expect(try await f.withOtherStore { await LedgerVerifier(store: $0).run().ok })
        }
    }
}
