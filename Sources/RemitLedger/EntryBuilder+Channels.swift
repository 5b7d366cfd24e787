import RemitCore
import RemitCrypto

extension EntryBuilder {
    func channel(_ id: ChannelID, _ state: LedgerState) throws(RemitError) -> ChannelState {
        guard let channel = state.channels[id] else {
            throw RemitError(.ledgerUnknownChannel, "channel \(id) is not open on this ledger")
        }
        return channel
    }

    func openChannel(_ signed: Signed<ChannelOpen>, _ state: LedgerState, _ draft: inout Draft) throws(RemitError) {
        let open = signed.message
        guard state.channels[open.channel] == nil else {
            throw RemitError(.ledgerChannelExists, "channel \(open.channel) already exists; use a new nonce for a new channel")
        }
        guard open.expiresAt > draft.timestamp else {
            throw RemitError(.ledgerExpiryNotInFuture, "channel expiry \(open.expiresAt) is not after the ledger time \(draft.timestamp)")
        }
        try requireFunds(state, .user(open.payer), open.deposit, for: "channel deposit")
        draft.payload = .channelOpen(signed)
        draft.move(open.deposit, from: .user(open.payer), to: .escrow(open.channel))
        let channel = ChannelState(
            channel: open.channel, payer: open.payer, payee: open.payee, deposit: open.deposit, expiresAt: open.expiresAt,
            challengePeriod: open.challengePeriod, hashChain: open.hashChain, status: .open, closingDeadline: nil,
            openedEntry: draft.sequence, closedEntry: nil, held: nil
        )
        draft.updates = [.channel(channel, expected: nil)]
    }

    func topUp(_ signed: Signed<ChannelTopUp>, _ state: LedgerState, _ draft: inout Draft) throws(RemitError) {
        let topUp = signed.message
        var channel = try self.channel(topUp.channel, state)
        try requireSigner(signed.signer, channel.payer, "channel top-up")
        guard channel.status == .open else {
            throw RemitError(.ledgerChannelState, "channel \(channel.channel) is \(channel.status), not open: it cannot be topped up")
        }
        let expected = try channel.deposit.adding(topUp.amount)
        guard topUp.newDeposit == expected else {
            throw RemitError(.ledgerTopUpMismatch, "top-up says the new deposit is \(topUp.newDeposit) credits, but deposit \(channel.deposit) + \(topUp.amount) is \(expected)")
        }
        guard topUp.newExpiresAt >= channel.expiresAt, topUp.newExpiresAt > draft.timestamp else {
            throw RemitError(.ledgerTopUpMismatch, "top-up expiry \(topUp.newExpiresAt) must be no earlier than the channel's expiry \(channel.expiresAt) and after the ledger time \(draft.timestamp)")
        }
        try requireFunds(state, .user(channel.payer), topUp.amount, for: "top-up")
        draft.payload = .channelTopUp(signed)
        draft.move(topUp.amount, from: .user(channel.payer), to: .escrow(channel.channel))
        channel.deposit = expected
        channel.expiresAt = topUp.newExpiresAt
        draft.updates = [.channel(channel, expected: .open)]
    }

    func requireSigner(_ signer: PublicKey, _ expected: PublicKey, _ what: String) throws(RemitError) {
        guard signer == expected else {
            throw RemitError(.messageWrongSigner, "\(what) must be signed by \(AccountID(expected)), but the signer is \(AccountID(signer))")
        }
    }

    /// Checks the claim's voucher and tick and returns (authorised amount, highest sequence they pay for).
    func authorisation(_ claim: ChannelClaim, _ voucher: Signed<Voucher>?, _ channel: ChannelState) throws(RemitError) -> (Amount, UInt64) {
        var authorised = Amount.zero
        var highest: UInt64 = 0
        switch (claim.voucher, voucher) {
        case (nil, nil): break
        case (nil, .some):
            throw RemitError(.ledgerVoucherMismatch, "a voucher was given but the claim names none")
        case (.some(let reference), nil):
            throw RemitError(.ledgerVoucherMismatch, "the claim names voucher \(reference.sequence) (digest \(reference.digest)) but the voucher was not given")
        case (.some(let reference), .some(let signed)):
            let v = signed.message
            guard v.digest == reference.digest, v.sequence == reference.sequence, v.cumulative == reference.cumulative else {
                throw RemitError(.ledgerVoucherMismatch, "voucher \(v.sequence) (digest \(v.digest)) is not the voucher the claim names (sequence \(reference.sequence), digest \(reference.digest))")
            }
            guard v.channel == channel.channel else {
                throw RemitError(.ledgerVoucherMismatch, "voucher is for channel \(v.channel), not \(channel.channel)")
            }
            try requireSigner(signed.signer, channel.payer, "voucher")
            authorised = v.cumulative
            highest = v.sequence
        }
        if let tick = claim.tick {
            guard let chain = channel.hashChain else {
                throw RemitError(.ledgerBadTick, "the claim names tick \(tick.index) but channel \(channel.channel) committed no hash chain")
            }
            guard tick.index <= chain.length, tick.index <= EntryBuilder.maxTickSteps else {
                throw RemitError(.ledgerBadTick, "tick index \(tick.index) is past the chain's \(chain.length) links (or the ledger's limit of \(EntryBuilder.maxTickSteps) steps)")
            }
            guard HashChain.verify(tick.link, steps: Int(tick.index), reaches: chain.root) else {
                throw RemitError(.ledgerBadTick, "tick link for index \(tick.index) does not hash to the root committed in the channel open")
            }
            authorised = try authorised.adding(try chain.unit.multiplied(by: Int64(tick.index)))
            highest = max(highest, tick.index)
        }
        return (authorised, highest)
    }

    /// Checks the receipts against the claim and the channel and computes the split.
    func settle(_ claim: ChannelClaim, receipts: [Receipt], authorised: Amount, highest: UInt64, channel: ChannelState,
                state: LedgerState, draft: inout Draft) throws(RemitError) -> SettlementResult {
        guard UInt64(receipts.count) == claim.receiptCount else {
            throw RemitError(.ledgerReceiptsMismatch, "the claim counts \(claim.receiptCount) receipts but \(receipts.count) were given")
        }
        var digests: [Digest32] = []
        digests.reserveCapacity(receipts.count)
        var stored: [[UInt8]] = []
        stored.reserveCapacity(receipts.count)
        var previous: UInt64 = 0
        for receipt in receipts {
            guard receipt.channel == channel.channel else {
                throw RemitError(.ledgerReceiptInvalid, "receipt \(receipt.sequence) is for channel \(receipt.channel), not \(channel.channel)")
            }
            guard receipt.sequence > previous else {
                throw RemitError(.ledgerReceiptsMismatch, "receipt sequence \(receipt.sequence) follows \(previous): receipts must be in ascending sequence order without repeats")
            }
            guard receipt.sequence <= highest else {
                throw RemitError(.ledgerReceiptInvalid, "receipt \(receipt.sequence) is above the highest voucher sequence or tick index the claim holds (\(highest))")
            }
            previous = receipt.sequence
            let bytes = receipt.canonicalBytes
            digests.append(BLAKE2b.hash(bytes))
            stored.append(bytes)
        }
        let root = MerkleTree.root(of: digests)
        guard root == claim.receiptsRoot else {
            throw RemitError(.ledgerReceiptsMismatch, "the receipts' Merkle root is \(root), but the claim commits to \(claim.receiptsRoot)")
        }
        let result = try Settlement.settle(
            receipts: receipts, receiptsRoot: root, payee: channel.payee, treasury: genesis.operatorKey,
            listing: { state.listings[$0] }, contribution: { state.contributions[$0] }
        )
        guard result.charged == claim.charged else {
            throw RemitError(.ledgerReceiptsMismatch, "the receipts' prices sum to \(result.charged) credits, but the claim charges \(claim.charged)")
        }
        guard result.charged <= authorised else {
            throw RemitError(.ledgerOverAuthorised, "the receipts charge \(result.charged) credits, more than the voucher and tick authorise (\(authorised))")
        }
        guard result.charged <= channel.deposit else {
            throw RemitError(.ledgerOverDeposit, "the receipts charge \(result.charged) credits, more than the channel's deposit \(channel.deposit)")
        }
        draft.receipts = stored
        return result
    }

    func claim(_ signed: Signed<ChannelClaim>, _ voucher: Signed<Voucher>?, _ receipts: [Receipt], _ state: LedgerState, _ draft: inout Draft) throws(RemitError) {
        let claim = signed.message
        var channel = try self.channel(claim.channel, state)
        try requireSigner(signed.signer, channel.payee, "channel claim")
        switch channel.status {
        case .closed:
            throw RemitError(.ledgerChannelState, "channel \(channel.channel) is already closed (entry \(channel.closedEntry ?? 0)); it settles once")
        case .closing:
            let deadline = channel.closingDeadline ?? 0
            guard draft.timestamp <= deadline else {
                throw RemitError(.ledgerChallengeOver, "the challenge window of channel \(channel.channel) closed at \(deadline); ledger time is \(draft.timestamp)")
            }
            let voucherSequence = claim.voucher?.sequence ?? 0
            let tickIndex = claim.tick?.index ?? 0
            if let held = channel.held {
                let newer = voucherSequence >= held.voucherSequence && tickIndex >= held.tickIndex
                    && (voucherSequence > held.voucherSequence || tickIndex > held.tickIndex)
                guard newer else {
                    throw RemitError(.ledgerClaimNotNewer, "claim (voucher \(voucherSequence), tick \(tickIndex)) is not newer than the claim held (voucher \(held.voucherSequence), tick \(held.tickIndex))")
                }
            }
            let (authorised, highest) = try authorisation(claim, voucher, channel)
            let result = try settle(claim, receipts: receipts, authorised: authorised, highest: highest, channel: channel, state: state, draft: &draft)
            draft.payload = .channelDispute(ClaimBundle(claim: signed, voucher: voucher))
            channel.held = HeldClaim(entry: draft.sequence, voucherSequence: voucherSequence, tickIndex: tickIndex, settlement: result)
            draft.updates = [.channel(channel, expected: .closing)]
        case .open:
            let (authorised, highest) = try authorisation(claim, voucher, channel)
            let result = try settle(claim, receipts: receipts, authorised: authorised, highest: highest, channel: channel, state: state, draft: &draft)
            draft.payload = .channelSettle(ClaimBundle(claim: signed, voucher: voucher))
            try payOut(result, channel: &channel, draft: &draft)
            draft.updates = [.channel(channel, expected: .open)]
        }
    }

    /// Empties the escrow: the settlement's earnings to their accounts, the rest of the deposit to the payer.
    func payOut(_ result: SettlementResult, channel: inout ChannelState, draft: inout Draft) throws(RemitError) {
        let refund = try channel.deposit.subtracting(result.charged)
        draft.postings.append(Posting(account: .escrow(channel.channel), delta: -channel.deposit.units))
        draft.postings += result.payouts
        draft.postings.append(Posting(account: .user(channel.payer), delta: refund.units))
        draft.settlement = SettlementSummary(receiptsRoot: result.receiptsRoot, receiptCount: result.receiptCount, charged: result.charged, refund: refund)
        draft.earnings = result.earnings
        channel.status = .closed
        channel.closedEntry = draft.sequence
        channel.closingDeadline = nil
        channel.held = nil
    }

    func close(_ signed: Signed<ChannelClose>, _ state: LedgerState, _ draft: inout Draft) throws(RemitError) {
        let close = signed.message
        var channel = try self.channel(close.channel, state)
        guard channel.status == .open else {
            throw RemitError(.ledgerChannelState, "channel \(channel.channel) is \(channel.status), not open: it cannot be closed again")
        }
        switch close.mode {
        case .unilateral:
            guard close.initiator == channel.payer || close.initiator == channel.payee else {
                throw RemitError(.messageWrongSigner, "a unilateral close must be signed by the channel's payer or payee, not \(AccountID(close.initiator))")
            }
            let (deadline, overflow) = draft.timestamp.addingReportingOverflow(UInt64(channel.challengePeriod))
            guard !overflow else { throw RemitError(.messageInvalidField, "the challenge deadline overflows") }
            draft.payload = .channelCloseStart(signed)
            channel.status = .closing
            channel.closingDeadline = deadline
            draft.updates = [.channel(channel, expected: .open)]
        case .reclaim:
            try requireSigner(close.initiator, channel.payer, "a reclaim")
            guard draft.timestamp > channel.expiresAt else {
                throw RemitError(.ledgerNotExpired, "channel \(channel.channel) expires at \(channel.expiresAt); ledger time \(draft.timestamp) is not after it, so it cannot be reclaimed yet")
            }
            draft.payload = .channelReclaim(signed)
            draft.move(channel.deposit, from: .escrow(channel.channel), to: .user(channel.payer))
            channel.status = .closed
            channel.closedEntry = draft.sequence
            draft.updates = [.channel(channel, expected: .open)]
        }
    }

    func finalize(_ id: ChannelID, _ state: LedgerState, _ draft: inout Draft) throws(RemitError) {
        var channel = try self.channel(id, state)
        guard channel.status == .closing, let deadline = channel.closingDeadline else {
            throw RemitError(.ledgerChannelState, "channel \(id) is \(channel.status), not closing: there is nothing to finalize")
        }
        guard draft.timestamp > deadline else {
            throw RemitError(.ledgerChallengeRunning, "the challenge window of channel \(id) runs until \(deadline); ledger time is \(draft.timestamp)")
        }
        draft.payload = .channelFinalize(id, claimEntry: channel.held?.entry ?? 0)
        try payOut(channel.held?.settlement ?? .empty, channel: &channel, draft: &draft)
        draft.updates = [.channel(channel, expected: .closing)]
    }
}
