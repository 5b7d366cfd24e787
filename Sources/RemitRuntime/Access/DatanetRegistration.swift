import RemitCore
import RemitLedger

/// Registers a datanet's signed messages (its creation, contributions and removals, in the order
/// the datanet wrote them) on a ledger in batches, skipping what the ledger already holds, so a
/// re-run submits only what is missing.
enum DatanetRegistration {
    /// Codes that mean "already registered" rather than a failure.
    static let alreadyThere: Set<RemitError.Code> = [.ledgerDatanetExists, .ledgerContributionExists, .ledgerContributionState]

    static func register(_ messages: [AnyMessage], on ledger: Ledger, batchSize: Int = 2_048) async throws(RemitError) -> Int {
        var operations: [LedgerOperation] = []
        for message in messages {
            if let create = message.signed(as: DatanetCreate.self) {
                operations.append(.createDatanet(create))
            } else if let contribution = message.signed(as: Contribution.self) {
                operations.append(.registerContribution(contribution))
            } else if let removal = message.signed(as: ContributionRemoval.self) {
                operations.append(.removeContribution(removal))
            } else {
                throw RemitError(.messageUnknownType, "a datanet holds only create, contribution and removal messages, not \(message.messageType)")
            }
        }
        var applied = 0
        var start = 0
        while start < operations.count {
            let batch = Array(operations[start..<min(start + batchSize, operations.count)])
            for result in try await ledger.submit(batch) {
                switch result {
                case .success: applied += 1
                case .failure(let error) where alreadyThere.contains(error.code): break
                case .failure(let error): throw error
                }
            }
            start += batchSize
        }
        return applied
    }
}
