import RemitChannels
import RemitCore
import RemitCrypto
import RemitLedger
import RemitRuntime

/// A ledger reached over HTTP whose time is the simulation's virtual clock. Everything goes to
/// the remote access (`RemoteLedgerAccess`); only ``now()`` is answered here, because the remote
/// access carries the server's time forward on the wall clock, and a wallet stamping channels,
/// payments and events with wall-clock time would not replay. The server's ledger runs on the
/// same `VirtualClock` (same process), so both sides agree on the time.
struct VirtualTimeLedgerAccess: LedgerAccess {
    /// Where every call but `now()` goes.
    let remote: any LedgerAccess
    /// The world's clock.
    let clock: VirtualClock

    var ledgerID: LedgerID { remote.ledgerID }

    func now() async -> UInt64 { clock.now() }

    func balance(of key: PublicKey) async throws(RemitError) -> Amount { try await remote.balance(of: key) }

    func channel(_ id: ChannelID) async throws(RemitError) -> ChannelState? { try await remote.channel(id) }

    func listing(model: ModelID, sequence: UInt64?) async throws(RemitError) -> Signed<Listing>? {
        try await remote.listing(model: model, sequence: sequence)
    }

    func transfer(_ transfer: Signed<Transfer>) async throws(RemitError) { try await remote.transfer(transfer) }

    func nextNonce(of key: PublicKey) async throws(RemitError) -> UInt64 { try await remote.nextNonce(of: key) }

    func openChannel(_ open: Signed<ChannelOpen>) async throws(RemitError) { try await remote.openChannel(open) }

    func topUp(_ topUp: Signed<ChannelTopUp>) async throws(RemitError) { try await remote.topUp(topUp) }

    func claim(_ material: ClaimMaterial) async throws(RemitError) { try await remote.claim(material) }

    func claims(_ materials: [ClaimMaterial]) async throws(RemitError) -> [RemitError?] { try await remote.claims(materials) }

    func close(_ close: Signed<ChannelClose>) async throws(RemitError) { try await remote.close(close) }

    func finalize(_ channel: ChannelID) async throws(RemitError) { try await remote.finalize(channel) }

    func registerListing(_ listing: Signed<Listing>) async throws(RemitError) { try await remote.registerListing(listing) }

    func register(datanetMessages messages: [AnyMessage]) async throws(RemitError) -> Int {
        try await remote.register(datanetMessages: messages)
    }
}
