import Foundation
import RemitCore
import RemitCrypto
import RemitLedger

extension Demo {
    /// The ledger part of the demo: a fresh ledger file, a datanet, a listing, a channel paid by
    /// vouchers and settled with attribution receipts, a checkpoint, a proof, and a full replay.
    func ledgerDemo(step: (String) -> Void) async throws {
        let path = "\(dir)/demo.ledger"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        step("Create a ledger (\(path)): 1,000,000,000 credits minted to the operator's treasury")
        let operatorKey = SigningKey()
        let ledger = try await Ledger.create(store: try SQLiteLedgerStore(path: path), operatorKey: operatorKey.publicKey, supply: try Amount(credits: 1_000_000_000))
        let id = ledger.id
        let payer = SigningKey(), owner = SigningKey(), curator = SigningKey()
        let contributors = [SigningKey(), SigningKey()]
        var nonce: UInt64 = 0
        for (key, credits) in [(payer, "50"), (contributors[0], "1"), (contributors[1], "1")] {
            nonce += 1
            try await ledger.transfer(Signed(signing: Transfer(ledger: id, from: operatorKey.publicKey, to: key.publicKey, amount: try Amount(credits: credits), nonce: nonce, memo: "faucet"), with: operatorKey))
        }
        print("    ledger \(id); the faucet funded the payer with 50 credits")

        step("Register a datanet with two bonded contributions, and the model's listing (owner 50%, contributors 40%, treasury 10%)")
        let datanet = DatanetCreate(ledger: id, curator: curator.publicKey, name: "fortunes", description: "demo", bond: try Amount(credits: "0.1"), holdingPeriod: 86_400, createdAt: 0)
        try await ledger.createDatanet(Signed(signing: datanet, with: curator))
        var contributions: [Contribution] = []
        for (index, text) in ["Talk is cheap. Show me the code.", "Simplicity is prerequisite for reliability."].enumerated() {
            let c = Contribution(ledger: id, datanet: datanet.datanet, contributor: contributors[index].publicKey, contentDigest: BLAKE2b.hash(Array(text.utf8)),
                                 kind: .text, size: UInt64(text.utf8.count), label: text, createdAt: 0)
            try await ledger.registerContribution(Signed(signing: c, with: contributors[index]))
            contributions.append(c)
        }
        let listing = Listing(ledger: id, owner: owner.publicKey, name: "fortune-lm", kind: "infinigram", modelVersion: BLAKE2b.hash([1]), listingSequence: 1,
                              issuedAt: 0, validUntil: UInt64.max, pricePerQuery: try Amount(credits: "0.25"), pricePerOutputToken: .zero, maxOutputTokens: 0,
                              split: RevenueSplit(ownerBps: 5_000, contributorsBps: 4_000, treasuryBps: 1_000), datanets: [], attributionMethod: "demo", tags: [], endpoint: "local:")
        try await ledger.registerListing(Signed(signing: listing, with: owner))

        step("Open a channel (5 credits), pay three queries by voucher, settle with the owner's receipts")
        let open = ChannelOpen(ledger: id, payer: payer.publicKey, payee: owner.publicKey, nonce: 1, deposit: try Amount(credits: 5),
                               expiresAt: ledger.clock.now() + 86_400, challengePeriod: 600)
        try await ledger.openChannel(Signed(signing: open, with: payer))
        let entries = contributions.map { AttributionEntry(contribution: $0.contribution, contributor: $0.contributor, weightBps: 5_000) }.sorted { $0.contribution < $1.contribution }
        let receipts = (1...3).map { sequence in
            Receipt(ledger: id, channel: open.channel, sequence: UInt64(sequence), requestDigest: BLAKE2b.hash([UInt8(sequence)]), responseDigest: BLAKE2b.hash([0xA0 + UInt8(sequence)]),
                    model: listing.model, modelVersion: listing.modelVersion, listingSequence: 1, price: listing.pricePerQuery, outputTokens: 0,
                    coverageBps: 8_000, attribution: entries)
        }
        let voucher = Signed(signing: Voucher(ledger: id, channel: open.channel, sequence: 3, cumulative: try Amount(credits: "0.75"), requestDigest: BLAKE2b.hash([3])), with: payer)
        let claim = ChannelClaim(ledger: id, channel: open.channel, payee: owner.publicKey, voucher: VoucherReference(voucher.message), tick: nil,
                                 receiptsRoot: MerkleTree.root(of: receipts.map(\.digest)), receiptCount: 3, charged: try Amount(credits: "0.75"), claimedAt: ledger.clock.now())
        let settled = try await ledger.claim(Signed(signing: claim, with: owner), voucher: voucher, receipts: receipts)
        print("    entry \(settled.sequence): charged \(settled.settlement!.charged) credits, refunded \(settled.settlement!.refund) to the payer")
        for (name, key) in [("owner", owner.publicKey), ("contributor 1", contributors[0].publicKey), ("contributor 2", contributors[1].publicKey), ("treasury", operatorKey.publicKey)] {
            let earned = try await ledger.earnings(of: key).total
            print("    \(name.padding(toLength: 14, withPad: " ", startingAt: 0)) earned \(earned) credits")
        }

        step("The operator signs a checkpoint; the settlement's inclusion proof is checked offline")
        let checkpoint = try await ledger.checkpoint(signingWith: operatorKey)
        let proof = try await ledger.proof(entry: settled.sequence)
        try write(MessageJSON.encode(proof), to: "settlement-proof.json")
        try proof.verify(operatorKey: operatorKey.publicKey)
        print("    checkpoint \(checkpoint.message.sequence) over entries 1...\(checkpoint.message.lastEntry); proof written to \(dir)/settlement-proof.json")

        step("Replay the whole journal from genesis")
        let report = await ledger.verify()
        print("    \(report.text)")
        guard report.ok else { throw CLIFailure.refused("the demo ledger failed verification: this is a bug") }
        print("    check it yourself: remit ledger verify --path \(path); remit ledger verify-proof \(dir)/settlement-proof.json")
    }
}
