import Foundation
import RemitChannels
public import RemitCore
import RemitCrypto

/// A payer and a payee book in one folder paying each other as fast as they can: the child
/// process of the channel kill test (`remit _soak channels`), which is SIGKILLed at random points
/// and must always reopen consistent. Keys are the fixed vector keys; the price is fixed.
public enum ChannelSoak {
    /// Price of each query.
    public static let price = Amount(uncheckedUnitsForSoak: 1_000_000)

    /// Opens the books in `directory` (creating the channel on first use), finishes any payment
    /// left in flight by a crash, then makes `queries` more paid queries, calling `progress` with
    /// the payer's voucher sequence after each.
    public static func run(directory: String, queries: Int, progress: @Sendable (UInt64) -> Void) async throws {
        let ledger = ProtocolVectors.ledger
        let payer = try PayerBook(path: "\(directory)/payer.sqlite", key: ProtocolVectors.key(0x02), ledger: ledger)
        let payee = try PayeeBook(path: "\(directory)/payee.sqlite", key: ProtocolVectors.key(0x03), ledger: ledger)
        let now = ProtocolVectors.time
        let channel: ChannelID
        if let existing = await payer.allChannels().first {
            channel = existing.terms.channel
            // The payee may have died before it stored the channel.
            try await payee.register(existing.open)
        } else {
            let open = try await payer.prepareOpen(payee: payee.key.publicKey, deposit: try Amount(credits: 1_000_000), expiresAt: now + 86_400, challengePeriod: 60)
            try await payee.register(open)
            channel = open.message.channel
        }
        if case .voucher(let voucher) = await payer.paymentInFlight(channel) {
            try await settle(voucher, payer: payer, payee: payee, now: now)
        }
        for _ in 0..<queries {
            let sequence = (await payer.channel(channel)?.sequence ?? 0) + 1
            let request = BLAKE2b.hash(Array("soak request \(sequence)".utf8))
            guard case .voucher(let voucher) = try await payer.pay(channel: channel, requestDigest: request, maxPrice: price, now: now) else { continue }
            try await settle(voucher, payer: payer, payee: payee, now: now)
            progress(voucher.message.sequence)
        }
        try await payer.synchronize()
    }

    private static func settle(_ voucher: Signed<Voucher>, payer: PayerBook, payee: PayeeBook, now: UInt64) async throws {
        let receipt: Signed<Receipt>
        switch try await payee.accept(voucher: voucher, requestDigest: voucher.message.requestDigest, maxPrice: price, now: now) {
        case .serve(let payment):
            receipt = try await payee.complete(payment, draft: ChannelBenchmark.sampleDraft(price: price))
        case .resend(let stored):
            receipt = stored
        }
        try await payer.accept(receipt: receipt)
    }
}

extension Amount {
    init(uncheckedUnitsForSoak units: Int64) { self = try! Amount(units: units) }
}
