import RemitCore
import RemitCrypto
@testable import RemitLedger
import Testing

@Suite("ledger: datanets, contributions and listings")
struct ContributionTests {
    @Test("a contribution escrows its bond; release after the holding period; removal slashes or returns", arguments: StoreKind.available)
    func bonds(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            let cs = try await f.setUpMarket(contributions: 3)
            let c0 = f.contributors[0]
            #expect(try await f.balance(c0) == credits("99").units)
            #expect(try await f.ledger.balance(of: .bond(cs[0].contribution)) == credits("1"))
            #expect(await refusal { try await f.ledger.registerContribution(Signed(signing: cs[0], with: c0)) }?.code == .ledgerContributionExists)
            #expect(await refusal { try await f.ledger.releaseBond(cs[0].contribution) }?.code == .ledgerHoldingPeriodRunning)
            f.clock.advance(by: 3_600)
            try await f.ledger.releaseBond(cs[0].contribution)
            #expect(try await f.balance(c0) == credits("100").units)
            #expect(await refusal { try await f.ledger.releaseBond(cs[0].contribution) }?.code == .ledgerContributionState)

            let treasuryBefore = try await f.balance(f.operatorKey)
            let spam = ContributionRemoval(ledger: f.id, datanet: cs[1].datanet, contribution: cs[1].contribution, curator: f.curator.publicKey,
                                           reason: .spam, note: "ads", removedAt: f.clock.now())
            #expect(await refusal { try await f.ledger.removeContribution(Signed(signing: ContributionRemoval(ledger: f.id, datanet: cs[1].datanet, contribution: cs[1].contribution, curator: f.payer.publicKey, reason: .spam, note: "", removedAt: 0), with: f.payer)) }?.code == .messageWrongSigner)
            try await f.ledger.removeContribution(Signed(signing: spam, with: f.curator))
            #expect(try await f.balance(f.operatorKey) == treasuryBefore + credits("1").units)
            #expect(try await f.balance(f.contributors[1]) == credits("99").units)
            #expect(await refusal { try await f.ledger.removeContribution(Signed(signing: spam, with: f.curator)) }?.code == .ledgerContributionState)
            let other = ContributionRemoval(ledger: f.id, datanet: cs[2].datanet, contribution: cs[2].contribution, curator: f.curator.publicKey,
                                            reason: .other, note: "licence", removedAt: f.clock.now())
            try await f.ledger.removeContribution(Signed(signing: other, with: f.curator))
            #expect(try await f.balance(f.contributors[2]) == credits("100").units)
            #expect(try await f.supplyHolds())
            #expect(await f.ledger.verify().ok)
        }
    }

    @Test("releaseDueBonds returns exactly the bonds past their holding period, once, skipping removed ones", arguments: StoreKind.available)
    func releaseDue(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            let cs = try await f.setUpMarket(contributions: 3)
            let head = await f.ledger.head()
            #expect(try await f.ledger.releaseDueBonds().isEmpty)
            #expect(await f.ledger.head() == head)
            let spam = ContributionRemoval(ledger: f.id, datanet: cs[1].datanet, contribution: cs[1].contribution, curator: f.curator.publicKey,
                                           reason: .spam, note: "ads", removedAt: f.clock.now())
            try await f.ledger.removeContribution(Signed(signing: spam, with: f.curator))
            f.clock.advance(by: 3_600)
            #expect(try await f.ledger.releaseDueBonds(datanet: DatanetID.derive(curator: f.payer.publicKey, name: "another")).isEmpty)
            let released = try await f.ledger.releaseDueBonds(datanet: cs[0].datanet)
            #expect(released.count == 2)
            #expect(released.allSatisfy { $0.kind == .bondRelease })
            #expect(try await f.balance(f.contributors[0]) == credits("100").units)
            #expect(try await f.balance(f.contributors[1]) == credits("99").units)
            #expect(try await f.balance(f.contributors[2]) == credits("100").units)
            #expect(try await f.ledger.balance(of: .bond(cs[0].contribution)) == .zero)
            #expect(try await f.ledger.releaseDueBonds().isEmpty)
            #expect(try await f.supplyHolds())
            #expect(await f.ledger.verify().ok)
        }
    }

    @Test("datanets register once; contributions need a known datanet and the bond", arguments: StoreKind.available)
    func datanets(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            let c = f.contribution(1, by: f.contributors[0])
            #expect(await refusal { try await f.ledger.registerContribution(Signed(signing: c, with: f.contributors[0])) }?.code == .ledgerUnknownDatanet)
            try await f.ledger.createDatanet(Signed(signing: f.datanetCreate, with: f.curator))
            #expect(await refusal { try await f.ledger.createDatanet(Signed(signing: f.datanetCreate, with: f.curator)) }?.code == .ledgerDatanetExists)
            #expect(await refusal { try await f.ledger.registerContribution(Signed(signing: c, with: f.contributors[0])) }?.code == .ledgerInsufficientFunds)
        }
    }

    @Test("listing versions must rise; every version is kept and receipts settle under the version they name", arguments: StoreKind.available)
    func listings(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            let cs = try await f.setUpMarket()
            #expect(await refusal { try await f.ledger.registerListing(Signed(signing: f.listing(sequence: 1), with: f.payee)) }?.code == .ledgerListingSequenceNotAbove)
            let v2 = f.listing(sequence: 2, split: RevenueSplit(ownerBps: 10_000, contributorsBps: 0, treasuryBps: 0))
            try await f.ledger.registerListing(Signed(signing: v2, with: f.payee))
            #expect(try await f.ledger.listing(model: v2.model)?.message.listingSequence == 2)
            #expect(try await f.ledger.listing(model: v2.model, sequence: 1)?.message.split.ownerBps == 5_000)

            let open = f.open(deposit: credits("1"))
            try await f.ledger.openChannel(Signed(signing: open, with: f.payer))
            let r1 = f.receipt(open.channel, sequence: 1, price: credits("0.1"), attribution: [(cs[0], 10_000)], listingSequence: 1)
            let r2 = f.receipt(open.channel, sequence: 2, price: credits("0.1"), attribution: [(cs[0], 10_000)], listingSequence: 2)
            let v = f.voucher(open.channel, sequence: 2, cumulative: credits("0.2"))
            try await f.ledger.claim(f.claim(open.channel, voucher: v, receipts: [r1, r2]), voucher: v, receipts: [r1, r2])
            #expect(try await f.balance(f.payee) == credits("0.15").units)
            #expect(try await f.balance(f.contributors[0]) == credits("99.04").units)

            // A listing owned by someone else cannot be charged through this payee's channel.
            let foreign = f.listing(sequence: 1, owner: f.curator)
            try await f.ledger.registerListing(Signed(signing: foreign, with: f.curator))
            let open2 = f.open(nonce: 2, deposit: credits("1"))
            try await f.ledger.openChannel(Signed(signing: open2, with: f.payer))
            var r = f.receipt(open2.channel, sequence: 1, price: credits("0.1"), attribution: [])
            r.model = foreign.model
            let v1 = f.voucher(open2.channel, sequence: 1, cumulative: credits("0.1"))
            #expect(await refusal { try await f.ledger.claim(f.claim(open2.channel, voucher: v1, receipts: [r]), voucher: v1, receipts: [r]) }?.code == .ledgerListingOwnerMismatch)
        }
    }
}
