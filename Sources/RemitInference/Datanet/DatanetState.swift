public import RemitCore
public import RemitCrypto

/// The state of a datanet as its log defines it: a pure value that takes signed events and
/// refuses the ones that do not belong (another datanet or ledger, a removal not by the
/// curator, a repeated contribution id). Replaying the first `n` events gives the datanet as it
/// was at any recorded version.
public struct DatanetState: Sendable {
    /// One line of the log.
    public enum Event: Sendable {
        /// A contributor added content.
        case contribution(Signed<Contribution>)
        /// The curator removed a contribution.
        case removal(Signed<ContributionRemoval>)
    }

    /// The registration the events must match.
    public let registration: DatanetCreate
    /// The events applied, in order.
    public private(set) var log: [Event] = []
    /// Index in ``log`` of each contribution.
    public private(set) var positions: [ContributionID: Int] = [:]
    /// Removals by contribution.
    public private(set) var removals: [ContributionID: Signed<ContributionRemoval>] = [:]

    /// The empty state of a registered datanet.
    public init(registration: DatanetCreate) { self.registration = registration }

    /// Applies an event whose signature has been checked.
    public mutating func apply(_ event: Event) throws(RemitError) {
        let datanet = registration.datanet
        switch event {
        case .contribution(let signed):
            let m = signed.message
            guard m.datanet == datanet, m.ledger == registration.ledger else {
                throw RemitError(.datanetInvalid, "contribution \(m.contribution) is for datanet \(m.datanet) on ledger \(m.ledger), not datanet \(datanet) on \(registration.ledger)")
            }
            guard positions[m.contribution] == nil else {
                throw RemitError(.datanetDuplicate, "contribution \(m.contribution) appears twice in the log of datanet \(registration.name)")
            }
            positions[m.contribution] = log.count
        case .removal(let signed):
            let m = signed.message
            guard m.datanet == datanet, m.ledger == registration.ledger, m.curator == registration.curator else {
                throw RemitError(.datanetInvalid, "removal of \(m.contribution) is not signed by the curator of datanet \(registration.name) for it and its ledger")
            }
            guard positions[m.contribution] != nil, removals[m.contribution] == nil else {
                throw RemitError(.datanetUnknownContribution, "removal names contribution \(m.contribution), which is not a live contribution of datanet \(registration.name)")
            }
            removals[m.contribution] = signed
        }
        log.append(event)
    }

    /// The signed contribution with this id.
    public func contribution(_ id: ContributionID) -> Signed<Contribution>? {
        guard let at = positions[id], case .contribution(let signed) = log[at] else { return nil }
        return signed
    }

    /// The live contribution ids, ascending.
    public func live() -> [ContributionID] { positions.keys.filter { removals[$0] == nil }.sorted() }

    /// The version: Merkle root over the live ids, ascending.
    public var version: Digest32 { MerkleTree.root(of: live().map(\.digest)) }
}
