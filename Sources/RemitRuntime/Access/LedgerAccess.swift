public import RemitChannels
public import RemitCore
public import RemitCrypto
public import RemitLedger

/// What the wallet and the model owners need from a ledger: the same calls whether it is in this
/// process (``LocalLedgerAccess``) or behind a `remit serve` node over HTTP.
public protocol LedgerAccess: Sendable {
    /// The ledger's id.
    var ledgerID: LedgerID { get }
    /// The ledger's time (Unix seconds).
    func now() async -> UInt64
    /// A key's balance.
    func balance(of key: PublicKey) async throws(RemitError) -> Amount
    /// A channel's state, if the ledger holds it.
    func channel(_ id: ChannelID) async throws(RemitError) -> ChannelState?
    /// A model's registered listing (the newest, or a given sequence).
    func listing(model: ModelID, sequence: UInt64?) async throws(RemitError) -> Signed<Listing>?
    /// Moves credits between accounts.
    func transfer(_ transfer: Signed<Transfer>) async throws(RemitError)
    /// The next unused transfer nonce of a key.
    func nextNonce(of key: PublicKey) async throws(RemitError) -> UInt64
    /// Escrows a channel's deposit.
    func openChannel(_ open: Signed<ChannelOpen>) async throws(RemitError)
    /// Adds to a channel's escrow.
    func topUp(_ topUp: Signed<ChannelTopUp>) async throws(RemitError)
    /// Submits a payee's claim: settles an open channel, or records the newest claim of a closing one.
    func claim(_ material: ClaimMaterial) async throws(RemitError)
    /// Submits many claims at once; per claim, nil when applied or the error that refused it
    /// (a refused claim changes nothing; the others still apply).
    func claims(_ materials: [ClaimMaterial]) async throws(RemitError) -> [RemitError?]
    /// Starts a unilateral close or reclaims an expired channel.
    func close(_ close: Signed<ChannelClose>) async throws(RemitError)
    /// Settles a closing channel after its challenge window.
    func finalize(_ channel: ChannelID) async throws(RemitError)
    /// Registers (or re-lists) a model.
    func registerListing(_ listing: Signed<Listing>) async throws(RemitError)
    /// Registers datanet and contribution messages in order (create, contributions, removals);
    /// messages already registered are skipped. Returns how many were newly applied.
    func register(datanetMessages: [AnyMessage]) async throws(RemitError) -> Int
}

extension LedgerAccess {
    /// One claim after another.
    public func claims(_ materials: [ClaimMaterial]) async throws(RemitError) -> [RemitError?] {
        var results: [RemitError?] = []
        for material in materials {
            do {
                try await claim(material)
                results.append(nil)
            } catch {
                results.append(error)
            }
        }
        return results
    }
}

/// A ledger in this process.
public struct LocalLedgerAccess: LedgerAccess {
    /// The ledger.
    public let ledger: Ledger
    public let ledgerID: LedgerID

    /// Wraps a ledger opened in this process.
    public init(ledger: Ledger) {
        self.ledger = ledger
        ledgerID = ledger.id
    }

    public func now() async -> UInt64 { ledger.clock.now() }

    public func balance(of key: PublicKey) async throws(RemitError) -> Amount { try await ledger.balance(of: key) }

    public func channel(_ id: ChannelID) async throws(RemitError) -> ChannelState? { try await ledger.channel(id) }

    public func listing(model: ModelID, sequence: UInt64?) async throws(RemitError) -> Signed<Listing>? {
        try await ledger.listing(model: model, sequence: sequence)
    }

    public func transfer(_ transfer: Signed<Transfer>) async throws(RemitError) { _ = try await ledger.transfer(transfer) }

    public func nextNonce(of key: PublicKey) async throws(RemitError) -> UInt64 { try await ledger.nonce(of: key) + 1 }

    public func openChannel(_ open: Signed<ChannelOpen>) async throws(RemitError) { _ = try await ledger.openChannel(open) }

    public func topUp(_ topUp: Signed<ChannelTopUp>) async throws(RemitError) { _ = try await ledger.topUp(topUp) }

    public func claim(_ material: ClaimMaterial) async throws(RemitError) {
        _ = try await ledger.claim(material.claim, voucher: material.voucher, receipts: material.receipts)
    }

    /// Submits the claims as one batch: signatures checked in parallel, one commit.
    public func claims(_ materials: [ClaimMaterial]) async throws(RemitError) -> [RemitError?] {
        try await ledger.submit(materials.map { .claim($0.claim, voucher: $0.voucher, receipts: $0.receipts) }).map { result in
            if case .failure(let error) = result { return error }
            return nil
        }
    }

    public func close(_ close: Signed<ChannelClose>) async throws(RemitError) { _ = try await ledger.close(close) }

    public func finalize(_ channel: ChannelID) async throws(RemitError) { _ = try await ledger.finalize(channel) }

    public func registerListing(_ listing: Signed<Listing>) async throws(RemitError) { _ = try await ledger.registerListing(listing) }

    public func register(datanetMessages messages: [AnyMessage]) async throws(RemitError) -> Int {
        try await DatanetRegistration.register(messages, on: ledger)
    }
}
