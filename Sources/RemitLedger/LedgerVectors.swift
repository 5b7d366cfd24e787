public import RemitCore
import RemitCrypto

/// The ledger test vectors of docs/PROTOCOL.md §9.9: a ten-entry journal built from the protocol
/// vectors' keys and messages (genesis, transfers, a datanet, two contributions, a listing, a
/// channel open and its settlement), a checkpoint over it and an inclusion proof. A test checks
/// that the document holds exactly this text; `remit protocol ledger-vectors` prints it.
public enum LedgerVectors {
    typealias V = ProtocolVectors

    /// The vectors' genesis: operator key 0x01…, supply 10^9 credits, created at ``ProtocolVectors/time``, nonce zero.
    public static var genesis: LedgerGenesis {
        LedgerGenesis(operatorKey: V.key(0x01).publicKey, supply: try! Amount(credits: 1_000_000_000), createdAt: V.time, nonce: .zero)
    }

    /// The journal's operations after genesis, in order.
    public static var operations: [LedgerOperation] {
        let ledger = V.ledger
        let op = V.key(0x01)
        func fund(_ byte: UInt8, _ nonce: UInt64) -> LedgerOperation {
            .transfer(Signed(signing: Transfer(ledger: ledger, from: op.publicKey, to: V.key(byte).publicKey, amount: try! Amount(credits: 1), nonce: nonce, memo: "faucet"), with: op))
        }
        let contentB = Array("Simplicity is prerequisite for reliability.".utf8)
        let contributionB = Contribution(ledger: ledger, datanet: V.datanetCreate.datanet, contributor: V.key(0x05).publicKey, contentDigest: BLAKE2b.hash(contentB),
                                         kind: .text, size: UInt64(contentB.count), label: "Edsger W. Dijkstra", createdAt: V.time)
        return [
            .transfer(Signed(signing: V.transfer, with: op)),
            fund(0x04, 2),
            fund(0x05, 3),
            .createDatanet(Signed(signing: V.datanetCreate, with: V.key(0x05))),
            .registerContribution(Signed(signing: V.contribution, with: V.key(0x04))),
            .registerContribution(Signed(signing: contributionB, with: V.key(0x05))),
            .registerListing(Signed(signing: V.listing, with: V.key(0x03))),
            .openChannel(Signed(signing: V.channelOpen, with: V.key(0x02))),
            .claim(Signed(signing: V.claim, with: V.key(0x03)), voucher: Signed(signing: V.voucher, with: V.key(0x02)), receipts: [V.receipt]),
        ]
    }

    /// Every entry of the journal, genesis first, all at ``ProtocolVectors/time``.
    public static var commits: [EntryCommit] {
        let builder = EntryBuilder(genesis: genesis)
        var state = LedgerState(genesis: genesis)
        var out = [builder.genesisCommit()]
        state.apply(out[0])
        for operation in operations {
            try! operation.authenticate(ledger: genesis.ledger)  // the vectors are valid by construction
            let commit = try! builder.build(operation, state: state, timestamp: V.time)
            state.apply(commit)
            out.append(commit)
        }
        return out
    }

    /// The operator's checkpoint over the ten entries.
    public static var checkpoint: Signed<Checkpoint> {
        let hashes = commits.map(\.hash)
        let checkpoint = Checkpoint(ledger: genesis.ledger, operatorKey: genesis.operatorKey, sequence: 1, firstEntry: 1, lastEntry: UInt64(hashes.count),
                                    chainHead: hashes.last!, merkleRoot: MerkleTree.root(of: hashes), previous: .zero, supply: genesis.supply, timestamp: V.time)
        return Signed(signing: checkpoint, with: V.key(0x01))
    }

    /// The inclusion proof of the settlement entry (10) under the checkpoint.
    public static var proof: EntryProof {
        let all = commits
        let index = all.count - 1
        return EntryProof(sequence: UInt64(index + 1), previousHash: all[index].previousHash, entry: all[index].bytes, hash: all[index].hash,
                          checkpoint: checkpoint, inclusion: MerkleTree(items: all.map(\.hash)).proof(at: index))
    }

    private static func hexBlock(_ bytes: [UInt8]) -> String {
        let hex = Array(Hex.encode(bytes))
        return stride(from: 0, to: hex.count, by: 64).map { String(hex[$0..<min($0 + 64, hex.count)]) }.joined(separator: "\n")
    }

    /// The Markdown between the ledger vector markers of docs/PROTOCOL.md.
    public static func markdown() -> String {
        let all = commits
        var out = "The journal below is built from the keys and messages of §8 (ledger id `\(genesis.ledger)`), every entry at time \(V.time).\n"
        out += "Postings list accounts as `user:`, `escrow:` or `bond:` and the signed change in base units.\n"
        for commit in all {
            let entry = commit.entry
            out += "\n#### entry \(entry.sequence): \(entry.kind)\n\n"
            for posting in entry.postings {
                let account: String
                switch posting.account {
                case .user(let key): account = "user:\(key.hex)"
                case .escrow(let channel): account = "escrow:\(channel.hex)"
                case .bond(let contribution): account = "bond:\(contribution.hex)"
                }
                out += "- `\(account)` \(posting.delta > 0 ? "+" : "")\(posting.delta)\n"
            }
            if let s = entry.settlement {
                out += "- settlement: receipts root `\(s.receiptsRoot)`, \(s.receiptCount) receipt(s), charged \(s.charged.units), refund \(s.refund.units)\n"
            }
            out += "\nCanonical bytes (\(commit.bytes.count) bytes):\n\n```hex\n\(hexBlock(commit.bytes))\n```\n\n"
            out += "- previous hash: `\(commit.previousHash)`\n- entry hash: `\(commit.hash)`\n"
        }
        let cp = checkpoint
        out += "\n#### checkpoint over entries 1...\(all.count)\n\nJSON form:\n\n```json\n\(String(decoding: cp.jsonBytes(), as: UTF8.self))\n```\n\n"
        out += "Canonical bytes (\(cp.message.canonicalBytes.count) bytes):\n\n```hex\n\(hexBlock(cp.message.canonicalBytes))\n```\n\n"
        out += "#### inclusion proof of entry \(all.count)\n\n```json\n\(String(decoding: MessageJSON.encode(proof), as: UTF8.self))\n```\n"
        return out
    }
}
