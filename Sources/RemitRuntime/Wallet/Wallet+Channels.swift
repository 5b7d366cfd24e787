import RemitChannels
public import RemitCore
import RemitCrypto
import RemitLedger

extension Wallet {
    /// A channel to `payee` that can pay `quote` now: an open one with room, else one topped up
    /// (when the policy says so), else a new one sized by the policy. The caller holds the payee's lock.
    nonisolated func channelFor(
        payee: PublicKey, quote: Amount, endpoint: any ModelEndpoint, model: String, tickUnit: Amount? = nil
    ) async throws(RemitError) -> ChannelID {
        let now = await ledger.now()
        let margin: UInt64 = 120
        let unit = tickUnit ?? quote
        let candidates = await book.channels(payee: payee).filter { channel in
            guard channel.expiresAt > now + margin, channel.pending == nil else { return false }
            switch scheme {
            case .voucher: return channel.scheme != .tick
            case .tick:
                // A unit above a quote still pays (one link; the excess stays as credit).
                guard let chain = channel.terms.hashChain, channel.scheme != .voucher else { return false }
                // Every payment reveals at least one link, even one the credit covers.
                let required = max(0, quote.units - channel.credit.units)
                let links = max(1, (required + chain.unit.units - 1) / chain.unit.units)
                return Int64(chain.length - channel.tickIndex) >= links
            }
        }
        for channel in candidates {
            let required = max(0, quote.units - channel.credit.units)
            if channel.remaining.units >= required { return channel.terms.channel }
        }
        let sizing = policy.policy.deposit
        let budget = await policy.remaining
        let balance = try await ledger.balance(of: key.publicKey)
        // The quote is already reserved under the policy, so the budget left for the channel is
        // what remains plus this quote.
        var deposit = sizing.deposit(maxPrice: quote, cap: budget.map { (try? $0.adding(quote)) ?? .max })
        if deposit > balance { deposit = balance }
        guard deposit >= quote else {
            throw RemitError(.walletInsufficientFunds, "the wallet holds \(balance) credits on the ledger; a channel for \(model) needs at least \(quote)")
        }
        if policy.policy.topUpBelow != nil, let channel = candidates.first {
            let topUp = try await book.prepareTopUp(channel.terms.channel, amount: deposit, newExpiresAt: now + policy.policy.channelLifetimeSeconds)
            try await ledger.topUp(topUp)
            try await book.toppedUp(topUp)
            try await endpoint.register(topUp: topUp)
            events.emit(AgentEvent(time: now, agent: events.agent, kind: .toppedUp, model: model, channel: channel.terms.channel.hex, amount: deposit))
            return channel.terms.channel
        }
        let open = try await book.prepareOpen(
            payee: payee, deposit: deposit, expiresAt: now + policy.policy.channelLifetimeSeconds, challengePeriod: 600,
            tickUnit: scheme == .tick ? unit : nil, tickLength: scheme == .tick ? UInt64(max(1, deposit.units / max(unit.units, 1))) : 0
        )
        do {
            try await ledger.openChannel(open)
        } catch {
            try? await book.forget(open.message.channel)
            throw error
        }
        try await endpoint.register(channel: open)
        events.emit(AgentEvent(time: now, agent: events.agent, kind: .channelOpened, model: model, channel: open.message.channel.hex, amount: deposit))
        return open.message.channel
    }

    /// Opens a channel to `model`'s owner holding `deposit` now, so that later queries find it (a
    /// simulation opens every channel up front, in a fixed order, to keep its ledger
    /// reproducible). Ticks, when the wallet pays by ticks, are worth `tickUnit`.
    @discardableResult
    public func provision(model: ModelID, deposit: Amount, tickUnit: Amount) async throws(RemitError) -> ChannelID {
        let now = await ledger.now()
        guard let endpoint = endpoints[model] else { throw RemitError(.directoryNoModel, "the wallet knows no endpoint for model \(model)") }
        guard let listing = await directory.listing(model, now: now) else { throw RemitError(.directoryNoModel, "no fresh listing for model \(model)") }
        let open = try await book.prepareOpen(
            payee: listing.message.owner, deposit: deposit, expiresAt: now + policy.policy.channelLifetimeSeconds, challengePeriod: 600,
            tickUnit: scheme == .tick ? tickUnit : nil, tickLength: scheme == .tick ? UInt64(max(1, deposit.units / max(tickUnit.units, 1))) : 0
        )
        do {
            try await ledger.openChannel(open)
        } catch {
            try? await book.forget(open.message.channel)
            throw error
        }
        try await endpoint.register(channel: open)
        events.emit(AgentEvent(time: now, agent: events.agent, kind: .channelOpened, model: listing.message.name, channel: open.message.channel.hex, amount: deposit))
        return open.message.channel
    }

    /// Closes channels unused for the policy's idle time: the payee is asked to claim (the ledger
    /// settles at once); if it does not, a unilateral close starts and is finalised after its
    /// challenge window by a later call. Returns the channels settled.
    @discardableResult
    public func closeIdleChannels() async -> [ChannelID] {
        let now = await ledger.now()
        let idle = policy.policy.idleCloseSeconds
        var settled: [ChannelID] = []
        for channel in await book.allChannels() where channel.phase != .closed {
            let id = channel.terms.channel
            let last = lastUse[id] ?? channel.terms.expiresAt - policy.policy.channelLifetimeSeconds
            guard now >= last + idle || now >= channel.expiresAt else { continue }
            if await settle(id) { settled.append(id) }
        }
        return settled
    }

    /// Closes and settles every channel (at the end of a run). Returns the channels settled.
    @discardableResult
    public func settleAll() async -> [ChannelID] {
        var settled: [ChannelID] = []
        for channel in await book.allChannels() where channel.phase != .closed {
            if await settle(channel.terms.channel) { settled.append(channel.terms.channel) }
        }
        return settled
    }

    /// Drives one channel towards settlement; true once the ledger shows it closed.
    func settle(_ id: ChannelID) async -> Bool {
        guard let channel = await book.channel(id) else { return false }
        let now = await ledger.now()
        do {
            var state = try await ledger.channel(id)
            if state?.status == .open, let endpoint = await endpointOf(owner: channel.terms.payee) {
                // Ask the payee to close cooperatively: it claims and the ledger settles at once.
                try? await endpoint.close(channel: id)
                state = try await ledger.channel(id)
            }
            switch state?.status {
            case .open?:
                if now >= channel.expiresAt {
                    try await ledger.close(try await book.prepareClose(id, mode: .reclaim, now: now))
                } else {
                    try await ledger.close(try await book.prepareClose(id, mode: .unilateral, now: now))
                }
            case .closing?:
                if let deadline = state?.closingDeadline, now >= deadline { try await ledger.finalize(id) }
            default:
                break
            }
            if try await ledger.channel(id)?.status == .closed {
                try await book.settled(id)
                events.emit(AgentEvent(time: now, agent: events.agent, kind: .channelClosed, channel: id.hex, amount: channel.charged))
                return true
            }
            if case .closing = channel.phase {} else if let deadline = try await ledger.channel(id)?.closingDeadline {
                try await book.closeStarted(id, deadline: deadline)
            }
        } catch {
            events.emit(AgentEvent(time: now, agent: events.agent, kind: .refusal, channel: id.hex, code: error.code.rawValue, message: error.message))
        }
        return false
    }

    private func endpointOf(owner: PublicKey) async -> (any ModelEndpoint)? {
        for (model, endpoint) in endpoints {
            if let listing = await directory.listing(model, now: await ledger.now()), listing.message.owner == owner { return endpoint }
        }
        return nil
    }
}
