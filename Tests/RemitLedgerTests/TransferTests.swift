import RemitCore
import RemitCrypto
@testable import RemitLedger
import Testing

@Suite("ledger: genesis and transfers")
struct TransferTests {
    @Test("genesis mints the whole supply to the operator once, as entry 1", arguments: StoreKind.available)
    func genesis(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { (f: LedgerFixture) async throws in
            #expect(try await f.balance(f.operatorKey) == credits("1000000").units)
            #expect(await f.ledger.head().sequence == 1)
            #expect(f.id == LedgerID.derive(operator: f.operatorKey.publicKey, supply: credits("1000000"), createdAt: LedgerFixture.start, nonce: .zero))
            let again = await refusal { _ = try await Ledger.create(store: f.store, operatorKey: f.operatorKey.publicKey, supply: credits("1"), clock: f.clock) }
            #expect(again?.code == .ledgerAlreadyInitialised)
            #expect(await f.ledger.verify().ok)
        }
    }

    @Test("a transfer moves the amount, records two postings that sum to zero and raises the nonce", arguments: StoreKind.available)
    func transfer(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            try await f.fund(f.payer.publicKey, credits("250"))
            #expect(try await f.balance(f.payer) == credits("250").units)
            #expect(try await f.balance(f.operatorKey) == credits("999750").units)
            #expect(try await f.ledger.nonce(of: f.operatorKey.publicKey) == 1)
            let history = try await f.ledger.history(of: .user(f.payer.publicKey))
            #expect(history.map(\.delta) == [credits("250").units])
            #expect(history.first?.kind == .transfer)
            #expect(try await f.supplyHolds())
        }
    }

    @Test("overdraft, replayed nonce, wrong ledger and bad signature are refused with codes and change nothing", arguments: StoreKind.available)
    func refusals(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            try await f.fund(f.payer.publicKey, credits("5"))
            let head = await f.ledger.head()
            let over = Transfer(ledger: f.id, from: f.payer.publicKey, to: f.payee.publicKey, amount: credits("6"), nonce: 1)
            let overdraft = await refusal { try await f.ledger.transfer(Signed(signing: over, with: f.payer)) }
            #expect(overdraft?.code == .ledgerInsufficientFunds)
            #expect(overdraft?.message.contains("is 5 credits; the transfer needs 6") == true)

            let ok = Transfer(ledger: f.id, from: f.payer.publicKey, to: f.payee.publicKey, amount: credits("1"), nonce: 7)
            try await f.ledger.transfer(Signed(signing: ok, with: f.payer))
            let replay = await refusal { try await f.ledger.transfer(Signed(signing: ok, with: f.payer)) }
            #expect(replay?.code == .ledgerNonceNotAbove)
            let lower = Transfer(ledger: f.id, from: f.payer.publicKey, to: f.payee.publicKey, amount: credits("1"), nonce: 6)
            #expect(await refusal { try await f.ledger.transfer(Signed(signing: lower, with: f.payer)) }?.code == .ledgerNonceNotAbove)

            let other = Transfer(ledger: LedgerID(BLAKE2b.hash([1])), from: f.payer.publicKey, to: f.payee.publicKey, amount: credits("1"), nonce: 9)
            #expect(await refusal { try await f.ledger.transfer(Signed(signing: other, with: f.payer)) }?.code == .messageWrongLedger)
            let forged = Signed(message: Transfer(ledger: f.id, from: f.payer.publicKey, to: f.payee.publicKey, amount: credits("1"), nonce: 10),
                                signer: f.payer.publicKey, signature: f.payee.sign([1, 2, 3]))
            #expect(await refusal { try await f.ledger.transfer(forged) }?.code == .messageBadSignature)

            #expect(await f.ledger.head().sequence == head.sequence + 1)
            #expect(try await f.balance(f.payer) == credits("4").units)
            #expect(try await f.balance(f.payee) == credits("1").units)
            #expect(try await f.supplyHolds())
        }
    }

    @Test("a batch commits the accepted operations together and reports each refusal", arguments: StoreKind.available)
    func batch(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            var operations: [LedgerOperation] = []
            for nonce in 1...100 {
                let t = Transfer(ledger: f.id, from: f.operatorKey.publicKey, to: f.contributors[nonce % 3].publicKey, amount: credits("1"), nonce: UInt64(nonce))
                operations.append(.transfer(Signed(signing: t, with: f.operatorKey)))
            }
            // Same nonce again: refused; and a transfer the payer cannot afford.
            operations.append(operations[10])
            operations.append(.transfer(Signed(signing: Transfer(ledger: f.id, from: f.payer.publicKey, to: f.payee.publicKey, amount: credits("1"), nonce: 1), with: f.payer)))
            let results = try await f.ledger.submit(operations)
            #expect(results.prefix(100).allSatisfy { (try? $0.get()) != nil })
            #expect(results.suffix(2).map { r -> RemitError.Code? in if case .failure(let e) = r { e.code } else { nil } } == [.ledgerNonceNotAbove, .ledgerInsufficientFunds])
            #expect(await f.ledger.head().sequence == 101)
            #expect(try await f.balance(f.contributors[1]) == credits("34").units)
            #expect(try await f.supplyHolds())
            #expect(await f.ledger.verify().ok)
        }
    }
}
