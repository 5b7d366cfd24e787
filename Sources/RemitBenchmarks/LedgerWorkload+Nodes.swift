public import RemitCore
public import RemitCrypto
public import RemitLedger

/// The multi-node workload (`remit ledger _node`): agents spread over nodes by index (agent `a`
/// lives on node `a % nodes`); each node opens channels for its agents to the workload's payee,
/// and every node then tries to settle every node's channels, so that each channel is claimed on
/// all nodes at once and must settle exactly once.
extension LedgerWorkload {
    /// Agent `index`: a key from seed byte 0x40 + index.
    public static func agent(_ index: Int) -> SigningKey { key(UInt8(truncatingIfNeeded: 0x40 + index)) }

    /// Funds `count` agents with `credits` each from the treasury, in one batch.
    public func fundAgents(_ ledger: Ledger, count: Int, credits: Int64) async throws(RemitError) {
        var nonce = try await ledger.nonce(of: operatorKey.publicKey)
        var operations: [LedgerOperation] = []
        for index in 0..<count {
            nonce += 1
            let transfer = Transfer(ledger: ledger.id, from: operatorKey.publicKey, to: LedgerWorkload.agent(index).publicKey,
                                    amount: try Amount(credits: credits), nonce: nonce, memo: "agent \(index)")
            operations.append(.transfer(Signed(signing: transfer, with: operatorKey)))
        }
        for result in try await ledger.submit(operations) { _ = try result.get() }
    }

    /// The agents living on `node`.
    public static func agents(on node: Int, nodes: Int, agents: Int) -> [Int] {
        (0..<agents).filter { $0 % nodes == node }
    }

    /// Channel `index` of `node`: its payer (one of the node's agents, in turn), the open signed by
    /// that payer (nonce `node × 1,000,000 + index`), and the deposit that pays `receipts` receipts.
    public func nodeChannel(_ ledger: LedgerID, node: Int, nodes: Int, agents: Int, index: Int, receipts: Int,
                            now: UInt64) -> (payer: Int, open: Signed<ChannelOpen>) {
        let mine = LedgerWorkload.agents(on: node, nodes: nodes, agents: agents)
        let payer = mine[index % mine.count]
        let key = LedgerWorkload.agent(payer)
        let open = ChannelOpen(ledger: ledger, payer: key.publicKey, payee: payee.publicKey, nonce: UInt64(node) * 1_000_000 + UInt64(index),
                               deposit: try! Amount(units: Int64(receipts + 1) * 1_000), expiresAt: now + 86_400, challengePeriod: 60)
        return (payer, Signed(signing: open, with: key))
    }

    /// The payee's claim on `channel` over `receipts` seeded receipts, with `payer`'s voucher for what they charge.
    public func nodeClaim(_ ledger: LedgerID, channel: ChannelID, payer: Int, receipts count: Int, now: UInt64) -> LedgerOperation {
        let receipts = receipts(ledger, channel: channel, count: count, price: try! Amount(units: 1_000))
        let charged = try! Amount.sum(receipts.map(\.price))  // prices are small
        let voucher = Signed(signing: Voucher(ledger: ledger, channel: channel, sequence: UInt64(count), cumulative: charged,
                                              requestDigest: BLAKE2b.hash([0x71])), with: LedgerWorkload.agent(payer))
        let claim = ChannelClaim(ledger: ledger, channel: channel, payee: payee.publicKey, voucher: VoucherReference(voucher.message), tick: nil,
                                 receiptsRoot: MerkleTree.root(of: receipts.map(\.digest)), receiptCount: UInt64(count), charged: charged, claimedAt: now)
        return .claim(Signed(signing: claim, with: payee), voucher: voucher, receipts: receipts)
    }
}
