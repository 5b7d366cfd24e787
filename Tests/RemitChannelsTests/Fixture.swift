import Foundation
import RemitChannels
import RemitCore
import RemitCrypto

/// A channel between fixed test keys on the vector ledger.
struct Fixture {
    let ledger = ProtocolVectors.ledger
    let payer = ProtocolVectors.key(0x02)
    let payee = ProtocolVectors.key(0x03)
    let now: UInt64 = ProtocolVectors.time
    let chain: HashChain
    let open: Signed<ChannelOpen>

    init(deposit: String = "10", tickUnit: Int64 = 1_000_000, chainLength: Int = 5_000, nonce: UInt64 = 1) {
        chain = HashChain(seed: BLAKE2b.hash(Array("fixture chain \(nonce)".utf8)), length: chainLength)
        open = Signed(signing: ChannelOpen(
            ledger: ProtocolVectors.ledger, payer: payer.publicKey, payee: payee.publicKey, nonce: nonce,
            deposit: try! Amount(credits: deposit), expiresAt: ProtocolVectors.time + 86_400, challengePeriod: 3_600,
            hashChain: HashChainCommitment(root: chain.root, unit: try! Amount(units: tickUnit), length: UInt64(chainLength))
        ), with: payer)
    }

    var channel: ChannelID { open.message.channel }

    func credits(_ text: String) -> Amount { try! Amount(credits: text) }

    func request(_ n: Int) -> Digest32 { BLAKE2b.hash(Array("request \(n)".utf8)) }

    func voucher(_ sequence: UInt64, _ cumulative: String, request: Digest32, signer: SigningKey? = nil, channel: ChannelID? = nil, ledger: LedgerID? = nil) -> Signed<Voucher> {
        Signed(signing: Voucher(ledger: ledger ?? self.ledger, channel: channel ?? self.channel, sequence: sequence,
                                cumulative: credits(cumulative), requestDigest: request), with: signer ?? payer)
    }

    func draft(price: String, weights: [UInt16] = [6_000, 4_000]) -> ReceiptDraft {
        let entries = weights.enumerated().map { index, weight in
            AttributionEntry(contribution: ContributionID(BLAKE2b.hash([UInt8(index)])), contributor: ProtocolVectors.key(0x04 + UInt8(index)).publicKey, weightBps: weight)
        }.sorted { $0.contribution < $1.contribution }
        return ReceiptDraft(
            responseDigest: BLAKE2b.hash(Array("answer".utf8)), model: ProtocolVectors.listing.model,
            modelVersion: ProtocolVectors.listing.modelVersion, listingSequence: 1, price: credits(price), outputTokens: 3,
            coverageBps: entries.isEmpty ? 0 : 10_000, attribution: entries
        )
    }

    static func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("remit-channels-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }
}
