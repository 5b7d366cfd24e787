public import RemitCrypto

/// The test vectors published in docs/PROTOCOL.md: every message type built from fixed seeds and
/// fixed field values, with its JSON form, canonical bytes, digest and signature. A test checks
/// that the document holds exactly these vectors; `remit protocol vectors` prints them.
public enum ProtocolVectors {
    /// A key from a seed of 32 equal bytes (`0x01…01` for the operator and so on).
    public static func key(_ byte: UInt8) -> SigningKey {
        try! SigningKey(seed: [UInt8](repeating: byte, count: 32))  // 32 bytes
    }

    /// The named keys and their seed bytes.
    public static let keys: [(name: String, seedByte: UInt8)] = [
        ("operator", 0x01), ("payer", 0x02), ("payee (model owner)", 0x03), ("contributor", 0x04), ("curator", 0x05),
    ]

    /// 2026-01-01T00:00:00Z, the time every vector uses.
    public static let time: UInt64 = 1_767_225_600

    /// The vector ledger: operator key 0x01…, supply 10^9 credits, created at ``time``, nonce all zero.
    public static var ledger: LedgerID {
        LedgerID.derive(operator: key(0x01).publicKey, supply: try! Amount(credits: 1_000_000_000), createdAt: time, nonce: .zero)
    }

    /// The payer's hash chain: seed = BLAKE2b-256("remit vector chain"), 1000 links.
    public static var chain: HashChain { HashChain(seed: BLAKE2b.hash(Array("remit vector chain".utf8)), length: 1000) }

    static var datanet: DatanetID { DatanetID.derive(curator: key(0x05).publicKey, name: "fortunes") }
    static let contentA = Array("Talk is cheap. Show me the code.".utf8)
    static let contentB = Array("Simplicity is prerequisite for reliability.".utf8)

    /// The channel open of the vectors.
    public static var channelOpen: ChannelOpen {
        ChannelOpen(
            ledger: ledger, payer: key(0x02).publicKey, payee: key(0x03).publicKey, nonce: 1,
            deposit: try! Amount(credits: 10), expiresAt: time + 86_400, challengePeriod: 3_600,
            hashChain: HashChainCommitment(root: chain.root, unit: try! Amount(units: 1_000), length: 1_000)
        )
    }

    /// The voucher of the vectors: sequence 3, 0.0015 credits in total.
    public static var voucher: Voucher {
        Voucher(ledger: ledger, channel: channelOpen.channel, sequence: 3, cumulative: try! Amount(credits: "0.0015"),
                requestDigest: BLAKE2b.hash(Array("what is the meaning of life?".utf8)))
    }

    /// The tick of the vectors: the link for 2 units paid.
    public static var tick: Tick { Tick(ledger: ledger, channel: channelOpen.channel, index: 2, link: chain.link(at: 2)) }

    /// The contribution of the vectors.
    public static var contribution: Contribution {
        Contribution(ledger: ledger, datanet: datanet, contributor: key(0x04).publicKey, contentDigest: BLAKE2b.hash(contentA),
                     kind: .text, size: UInt64(contentA.count), label: "Linus Torvalds", createdAt: time)
    }

    /// The receipt of the vectors: two contributions credited 7000 and 3000 basis points.
    public static var receipt: Receipt {
        let a = ContributionID.derive(datanet: datanet, content: BLAKE2b.hash(contentA))
        let b = ContributionID.derive(datanet: datanet, content: BLAKE2b.hash(contentB))
        let entries = [
            AttributionEntry(contribution: a, contributor: key(0x04).publicKey, weightBps: 7_000),
            AttributionEntry(contribution: b, contributor: key(0x05).publicKey, weightBps: 3_000),
        ].sorted { $0.contribution < $1.contribution }
        return Receipt(
            ledger: ledger, channel: channelOpen.channel, sequence: 3,
            requestDigest: voucher.requestDigest, responseDigest: BLAKE2b.hash(Array("42".utf8)),
            model: listing.model, modelVersion: listing.modelVersion, listingSequence: listing.listingSequence, price: try! Amount(credits: "0.0005"),
            outputTokens: 12, coverageBps: 8_500, attribution: entries
        )
    }

    /// The listing of the vectors.
    public static var listing: Listing {
        Listing(
            ledger: ledger, owner: key(0x03).publicKey, name: "fortune-lm", kind: "infinigram",
            modelVersion: BLAKE2b.hash(Array("fortune-lm build 1".utf8)), listingSequence: 1, issuedAt: time,
            validUntil: time + 30 * 86_400, pricePerQuery: try! Amount(credits: "0.0001"),
            pricePerOutputToken: try! Amount(credits: "0.00001"), maxOutputTokens: 64,
            split: RevenueSplit(ownerBps: 5_000, contributorsBps: 4_000, treasuryBps: 1_000),
            datanets: [DatanetVersion(datanet: datanet, version: MerkleTree.root(of: [ContributionID.derive(datanet: datanet, content: BLAKE2b.hash(contentA)).digest]))],
            attributionMethod: "infinigram-suffix", tags: ["quotes", "text"], endpoint: "http://127.0.0.1:8402"
        )
    }

    /// The checkpoint of the vectors.
    public static var checkpoint: Checkpoint {
        let entries = (1...3).map { BLAKE2b.hash([UInt8($0)]) }
        return Checkpoint(
            ledger: ledger, operatorKey: key(0x01).publicKey, sequence: 1, firstEntry: 1, lastEntry: 3,
            chainHead: entries[2], merkleRoot: MerkleTree.root(of: entries), previous: .zero,
            supply: try! Amount(credits: 1_000_000_000), timestamp: time
        )
    }

    /// A transfer from the operator (treasury) to the payer.
    public static var transfer: Transfer {
        Transfer(ledger: ledger, from: key(0x01).publicKey, to: key(0x02).publicKey, amount: try! Amount(credits: 100), nonce: 1, memo: "faucet")
    }

    /// A top-up of the vector channel by 5 credits.
    public static var topUp: ChannelTopUp {
        ChannelTopUp(ledger: ledger, channel: channelOpen.channel, amount: try! Amount(credits: 5),
                     newDeposit: try! Amount(credits: 15), newExpiresAt: time + 2 * 86_400)
    }

    /// A unilateral close started by the payer.
    public static var close: ChannelClose {
        ChannelClose(ledger: ledger, channel: channelOpen.channel, initiator: key(0x02).publicKey, mode: .unilateral, requestedAt: time + 3_600)
    }

    /// The payee's claim: the vector voucher, tick 2 and the vector receipt.
    public static var claim: ChannelClaim {
        ChannelClaim(
            ledger: ledger, channel: channelOpen.channel, payee: key(0x03).publicKey, voucher: VoucherReference(voucher),
            tick: TickReference(index: 2, link: chain.link(at: 2)), receiptsRoot: MerkleTree.root(of: [receipt.digest]),
            receiptCount: 1, charged: receipt.price, claimedAt: time + 7_200
        )
    }

    /// A batch of one receipt: the vector receipt.
    public static var receiptBatch: ReceiptBatch {
        ReceiptBatch(ledger: ledger, channel: channelOpen.channel, firstSequence: 3, lastSequence: 3, count: 1,
                     merkleRoot: MerkleTree.root(of: [receipt.digest]), total: receipt.price)
    }

    /// The vector datanet's registration: a 0.01-credit bond held for 7 days.
    public static var datanetCreate: DatanetCreate {
        DatanetCreate(ledger: ledger, curator: key(0x05).publicKey, name: "fortunes",
                      description: "Quotations from the Debian fortunes collections", bond: try! Amount(credits: "0.01"),
                      holdingPeriod: 7 * 86_400, createdAt: time)
    }

    /// The curator removes the second contribution as spam.
    public static var removal: ContributionRemoval {
        ContributionRemoval(ledger: ledger, datanet: datanet, contribution: ContributionID.derive(datanet: datanet, content: BLAKE2b.hash(contentB)),
                            curator: key(0x05).publicKey, reason: .spam, note: "advertising", removedAt: time + 86_400)
    }

    /// Every signed message of the vectors with the key that signs it.
    public static var signedMessages: [AnyMessage] {
        [
            AnyMessage(Signed(signing: channelOpen, with: key(0x02))),
            AnyMessage(Signed(signing: voucher, with: key(0x02))),
            AnyMessage(Signed(signing: receipt, with: key(0x03))),
            AnyMessage(Signed(signing: receiptBatch, with: key(0x03))),
            AnyMessage(Signed(signing: topUp, with: key(0x02))),
            AnyMessage(Signed(signing: close, with: key(0x02))),
            AnyMessage(Signed(signing: claim, with: key(0x03))),
            AnyMessage(Signed(signing: transfer, with: key(0x01))),
            AnyMessage(Signed(signing: listing, with: key(0x03))),
            AnyMessage(Signed(signing: datanetCreate, with: key(0x05))),
            AnyMessage(Signed(signing: contribution, with: key(0x04))),
            AnyMessage(Signed(signing: removal, with: key(0x05))),
            AnyMessage(Signed(signing: checkpoint, with: key(0x01))),
        ]
    }

    /// The Markdown of the vectors section of docs/PROTOCOL.md (between its BEGIN/END markers).
    public static func markdown() -> String {
        var out = "#### Keys\n\n| key | seed (32 bytes) | public key | account id |\n|---|---|---|---|\n"
        for (name, byte) in keys {
            let k = key(byte)
            out += "| \(name) | `\(Hex.encode([byte]))` x 32 | `\(k.publicKey.hex)` | `\(AccountID(k.publicKey))` |\n"
        }
        out += "\n#### Derived ids and hashes\n\n"
        out += "- ledger id (operator key, supply 1000000000 credits = `1000000000000000000` units, created at \(time), nonce zero): `\(ledger)`\n"
        out += "- channel id (ledger, payer, payee, nonce 1): `\(channelOpen.channel)`\n"
        out += "- datanet id (curator key, name `fortunes`): `\(datanet)`\n"
        out += "- contribution id (datanet, BLAKE2b-256 of the UTF-8 text `Talk is cheap. Show me the code.` = `\(BLAKE2b.hash(contentA))`): `\(contribution.contribution)`\n"
        out += "- model id (owner key, name `fortune-lm`): `\(listing.model)`\n"
        out += "- hash chain, seed BLAKE2b-256(`remit vector chain`) = `\(BLAKE2b.hash(Array("remit vector chain".utf8)))`, length 1000: root `\(chain.root)`, link 1 `\(chain.link(at: 1))`, link 2 `\(chain.link(at: 2))`\n"
        let items = (1...3).map { BLAKE2b.hash([UInt8($0)]) }
        let tree = MerkleTree(items: items)
        let proof = tree.proof(at: 2)
        out += "- Merkle root over the items BLAKE2b-256(0x01), BLAKE2b-256(0x02), BLAKE2b-256(0x03): `\(tree.root)`; inclusion proof of item 2: path \(proof.path.map { "`\($0)`" }.joined(separator: ", "))\n"
        out += "- Merkle root of no items: `\(MerkleTree.emptyRoot)`\n"
        for message in signedMessages {
            out += section(for: message)
        }
        out += section(for: tick)
        return out
    }

    private static func hexBlock(_ bytes: [UInt8]) -> String {
        let hex = Array(Hex.encode(bytes))
        return stride(from: 0, to: hex.count, by: 64).map { String(hex[$0..<min($0 + 64, hex.count)]) }.joined(separator: "\n")
    }

    private static func section(for message: AnyMessage) -> String {
        let canonical = Array(message.wireBytes.dropLast(96))
        let signature = Hex.encode(message.wireBytes.suffix(64))
        let name = message.messageType.name
        return """

            #### \(name)

            JSON form:

            ```json
            \(String(decoding: message.jsonBytes, as: UTF8.self))
            ```

            Canonical bytes (\(canonical.count) bytes, tag `\(message.messageType.tag)` then 0x00 then the fields):

            ```hex
            \(hexBlock(canonical))
            ```

            - BLAKE2b-256 of the canonical bytes: `\(BLAKE2b.hash(canonical))`
            - Ed25519 signature by `\(AccountID(message.signer!))`: `\(signature)`

            """
    }

    private static func section(for tick: Tick) -> String {
        let canonical = tick.canonicalBytes
        return """

            #### tick

            JSON form:

            ```json
            \(String(decoding: MessageJSON.encode(Unsigned(tick)), as: UTF8.self))
            ```

            Canonical bytes (\(canonical.count) bytes, tag `\(Tick.messageType.tag)` then 0x00 then the fields):

            ```hex
            \(hexBlock(canonical))
            ```

            - BLAKE2b-256 of the canonical bytes: `\(BLAKE2b.hash(canonical))`
            - No signature: two BLAKE2b-256 steps from the link reach the root in the channel open.

            """
    }
}
