import RemitCore
import RemitCrypto

extension EntryBuilder {
    func registerContribution(_ signed: Signed<Contribution>, _ state: LedgerState, _ draft: inout Draft) throws(RemitError) {
        let contribution = signed.message
        guard let datanet = state.datanets[contribution.datanet] else {
            throw RemitError(.ledgerUnknownDatanet, "datanet \(contribution.datanet) is not registered on this ledger")
        }
        guard state.contributions[contribution.contribution] == nil else {
            throw RemitError(.ledgerContributionExists, "contribution \(contribution.contribution) is already registered (same content in the same datanet)")
        }
        try requireFunds(state, .user(contribution.contributor), datanet.bond, for: "contribution bond")
        draft.payload = .contributionRegister(signed)
        draft.move(datanet.bond, from: .user(contribution.contributor), to: .bond(contribution.contribution))
        let record = ContributionRecord(
            contribution: contribution.contribution, datanet: contribution.datanet, contributor: contribution.contributor, bond: datanet.bond,
            registeredAt: draft.timestamp, status: .active, bondHeld: datanet.bond > .zero, entry: draft.sequence
        )
        draft.updates = [.contribution(record, expectedStateCode: nil)]
    }

    func contribution(_ id: ContributionID, _ state: LedgerState) throws(RemitError) -> ContributionRecord {
        guard let record = state.contributions[id] else {
            throw RemitError(.ledgerUnknownContribution, "contribution \(id) is not registered on this ledger")
        }
        return record
    }

    func releaseBond(_ id: ContributionID, _ state: LedgerState, _ draft: inout Draft) throws(RemitError) {
        var record = try contribution(id, state)
        guard record.status == .active, record.bondHeld else {
            throw RemitError(.ledgerContributionState, "contribution \(id) holds no bond to release (\(record.status == .removed ? "removed" : "already released or zero"))")
        }
        let holding = state.datanets[record.datanet]?.holdingPeriod ?? 0
        let (releaseAt, overflow) = record.registeredAt.addingReportingOverflow(holding)
        guard !overflow, draft.timestamp >= releaseAt else {
            throw RemitError(.ledgerHoldingPeriodRunning, "the bond of contribution \(id) is held until \(overflow ? UInt64.max : releaseAt); ledger time is \(draft.timestamp)")
        }
        let expected = record.stateCode
        draft.payload = .bondRelease(id)
        draft.move(record.bond, from: .bond(id), to: .user(record.contributor))
        record.bondHeld = false
        draft.updates = [.contribution(record, expectedStateCode: expected)]
    }

    func removeContribution(_ signed: Signed<ContributionRemoval>, _ state: LedgerState, _ draft: inout Draft) throws(RemitError) {
        let removal = signed.message
        guard let datanet = state.datanets[removal.datanet] else {
            throw RemitError(.ledgerUnknownDatanet, "datanet \(removal.datanet) is not registered on this ledger")
        }
        try requireSigner(removal.curator, datanet.curator, "a contribution removal")
        var record = try contribution(removal.contribution, state)
        guard record.datanet == removal.datanet else {
            throw RemitError(.ledgerUnknownContribution, "contribution \(removal.contribution) belongs to datanet \(record.datanet), not \(removal.datanet)")
        }
        guard record.status == .active else {
            throw RemitError(.ledgerContributionState, "contribution \(removal.contribution) is already removed")
        }
        let expected = record.stateCode
        draft.payload = .contributionRemoval(signed)
        if record.bondHeld {
            let to: LedgerAccount = removal.reason.slashesBond ? genesis.treasury : .user(record.contributor)
            draft.move(record.bond, from: .bond(record.contribution), to: to)
        }
        record.status = .removed
        record.bondHeld = false
        draft.updates = [.contribution(record, expectedStateCode: expected)]
    }
}
