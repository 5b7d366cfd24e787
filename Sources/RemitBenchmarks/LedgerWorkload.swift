public import RemitCore
public import RemitCrypto
public import RemitLedger

/// A deterministic ledger workload: fixed keys, a datanet with contributions, a listing, and
/// batches of channels opened and settled with receipts. Used by `remit bench ledger` and by the
/// crash test's child process (`remit ledger _soak`).
public struct LedgerWorkload: Sendable {
    /// The operator (treasury) key, seed 0x01….
    public let operatorKey = LedgerWorkload.key(0x01)
    /// The payer of every channel, seed 0x02….
    public let payer = LedgerWorkload.key(0x02)
    /// The payee and model owner, seed 0x03….
    public let payee = LedgerWorkload.key(0x03)
    /// The datanet's curator, seed 0x05….
    public let curator = LedgerWorkload.key(0x05)
    /// Contributors, seeds 0x10… upwards.
    public let contributors: [SigningKey]
    /// Contributions registered by ``setUp(_:)``, round robin over the contributors.
    public let contributionCount: Int

    /// A workload with `contributors` contributors and `contributions` contributions.
    public init(contributors: Int = 8, contributions: Int = 64) {
        self.contributors = (0..<contributors).map { LedgerWorkload.key(UInt8(0x10 + $0)) }
        contributionCount = contributions
    }

    /// A key from a seed of 32 equal bytes.
    public static func key(_ byte: UInt8) -> SigningKey { try! SigningKey(seed: [UInt8](repeating: byte, count: 32)) }  // 32 bytes

    func datanet(_ ledger: LedgerID) -> DatanetCreate {
        DatanetCreate(ledger: ledger, curator: curator.publicKey, name: "workload", description: "", bond: try! Amount(units: 1_000),
                      holdingPeriod: 60, createdAt: 0)
    }

    /// The contribution with `index`.
    public func contribution(_ ledger: LedgerID, _ index: Int) -> Contribution {
        let content = BLAKE2b.hash(Array("workload contribution \(index)".utf8))
        return Contribution(ledger: ledger, datanet: datanet(ledger).datanet, contributor: contributors[index % contributors.count].publicKey,
                            contentDigest: content, kind: .text, size: 32, label: "", createdAt: 0)
    }

    /// The model listing all receipts are priced under.
    public func listing(_ ledger: LedgerID) -> Listing {
        Listing(ledger: ledger, owner: payee.publicKey, name: "workload-lm", kind: "infinigram", modelVersion: BLAKE2b.hash([1]),
                listingSequence: 1, issuedAt: 0, validUntil: UInt64.max, pricePerQuery: try! Amount(units: 1_000),
                pricePerOutputToken: .zero, maxOutputTokens: 0, split: RevenueSplit(ownerBps: 6_000, contributorsBps: 3_000, treasuryBps: 1_000),
                datanets: [], attributionMethod: "workload", tags: [], endpoint: "local:")
    }

    /// Funds the payer and contributors, registers the datanet, the contributions and the listing.
    public func setUp(_ ledger: Ledger) async throws(RemitError) {
        let id = ledger.id
        var operations: [LedgerOperation] = []
        var nonce = try await ledger.nonce(of: operatorKey.publicKey)
        for key in [payer] + contributors {
            nonce += 1
            let amount = key === payer ? try Amount(credits: 100_000_000) : try Amount(credits: 1_000)
            operations.append(.transfer(Signed(signing: Transfer(ledger: id, from: operatorKey.publicKey, to: key.publicKey, amount: amount, nonce: nonce), with: operatorKey)))
        }
        operations.append(.createDatanet(Signed(signing: datanet(id), with: curator)))
        for index in 0..<contributionCount {
            operations.append(.registerContribution(Signed(signing: contribution(id, index), with: contributors[index % contributors.count])))
        }
        operations.append(.registerListing(Signed(signing: listing(id), with: payee)))
        for result in try await ledger.submit(operations) { _ = try result.get() }
    }

    /// `count` receipts for `channel` with 0...3 attribution entries each (seeded by the channel id).
    public func receipts(_ ledger: LedgerID, channel: ChannelID, count: Int, price: Amount) -> [Receipt] {
        let model = listing(ledger).model
        let version = listing(ledger).modelVersion
        var seed = channel.digest.withUnsafeBytes { $0.load(as: UInt64.self) }
        func next() -> UInt64 {
            seed &+= 0x9E37_79B9_7F4A_7C15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let request = BLAKE2b.hash([0x71])
        let response = BLAKE2b.hash([0x72])
        return (0..<count).map { index in
            let credited = Int(next() % 4)
            var picked: [Int] = []
            while picked.count < credited {
                let candidate = Int(next() % UInt64(contributionCount))
                if !picked.contains(candidate) { picked.append(candidate) }
            }
            var weights = [UInt16](repeating: UInt16(10_000 / max(credited, 1)), count: credited)
            if credited > 0 { weights[0] += UInt16(10_000 - Int(weights.reduce(0, +))) }
            let attribution = zip(picked, weights).map { AttributionEntry(contribution: contribution(ledger, $0.0).contribution, contributor: contribution(ledger, $0.0).contributor, weightBps: $0.1) }
                .sorted { $0.contribution < $1.contribution }
            return Receipt(ledger: ledger, channel: channel, sequence: UInt64(index + 1), requestDigest: request, responseDigest: response,
                           model: model, modelVersion: version, listingSequence: 1, price: price, outputTokens: 0,
                           coverageBps: credited == 0 ? 0 : UInt16(5_000 + next() % 5_001), attribution: attribution)
        }
    }

    /// Open and claim operations for `channels` channels with `receipts` receipts each (nonces from `firstNonce`).
    public func settlements(_ ledger: LedgerID, firstNonce: UInt64, channels: Int, receipts count: Int, now: UInt64) -> [LedgerOperation] {
        var operations: [LedgerOperation] = []
        let price = try! Amount(units: 1_000)
        for offset in 0..<channels {
            let deposit = try! Amount(units: Int64(count + 1) * 1_000)
            let open = ChannelOpen(ledger: ledger, payer: payer.publicKey, payee: payee.publicKey, nonce: firstNonce + UInt64(offset), deposit: deposit,
                                   expiresAt: now + 86_400, challengePeriod: 60)
            operations.append(.openChannel(Signed(signing: open, with: payer)))
            operations.append(claim(ledger, channel: open.channel, receipts: receipts(ledger, channel: open.channel, count: count, price: price), now: now))
        }
        return operations
    }

    /// The payee's claim over `receipts`, with the payer's voucher for exactly what they charge.
    public func claim(_ ledger: LedgerID, channel: ChannelID, receipts: [Receipt], now: UInt64) -> LedgerOperation {
        let charged = try! Amount.sum(receipts.map(\.price))  // prices are small
        let voucher = receipts.isEmpty ? nil : Signed(signing: Voucher(ledger: ledger, channel: channel, sequence: UInt64(receipts.count), cumulative: charged,
                                                                        requestDigest: BLAKE2b.hash([0x71])), with: payer)
        let claim = ChannelClaim(ledger: ledger, channel: channel, payee: payee.publicKey, voucher: voucher.map { VoucherReference($0.message) }, tick: nil,
                                 receiptsRoot: MerkleTree.root(of: receipts.map(\.digest)), receiptCount: UInt64(receipts.count), charged: charged, claimedAt: now)
        return .claim(Signed(signing: claim, with: payee), voucher: voucher, receipts: receipts)
    }
}
