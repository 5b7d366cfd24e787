/// What a journal entry records; its number is the kind byte of the entry's canonical form.
public enum EntryKind: UInt8, Hashable, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Mints the fixed supply to the treasury (the operator's account). Entry 1, once.
    case genesis = 1
    /// A signed transfer between two user accounts.
    case transfer = 2
    /// A channel open: the payer's deposit moves to the channel's escrow.
    case channelOpen = 3
    /// A top-up: more of the payer's balance moves to escrow; the expiry may move later.
    case channelTopUp = 4
    /// A payee's claim on an open channel: settles it at once (cooperative close).
    case channelSettle = 5
    /// A unilateral close: the channel enters its challenge window; no money moves.
    case channelCloseStart = 6
    /// A payee's claim during the challenge window: held for finalisation; no money moves.
    case channelDispute = 7
    /// After the challenge window: settles on the newest claim held, or refunds the payer.
    case channelFinalize = 8
    /// After expiry, the payer takes back the whole escrow of a channel never settled.
    case channelReclaim = 9
    /// Registers a datanet and its bond rules.
    case datanetCreate = 10
    /// Registers a contribution; its bond moves to the contribution's bond account.
    case contributionRegister = 11
    /// Returns a contribution's bond after the holding period.
    case bondRelease = 12
    /// The curator removes a contribution: spam and duplicates forfeit the bond to the treasury.
    case contributionRemoval = 13
    /// Registers a version of a model listing (price and revenue split).
    case listingRegister = 14

    /// The name used in JSON and in the CLI.
    public var name: String {
        switch self {
        case .genesis: "genesis"
        case .transfer: "transfer"
        case .channelOpen: "channel-open"
        case .channelTopUp: "channel-top-up"
        case .channelSettle: "channel-settle"
        case .channelCloseStart: "channel-close-start"
        case .channelDispute: "channel-dispute"
        case .channelFinalize: "channel-finalize"
        case .channelReclaim: "channel-reclaim"
        case .datanetCreate: "datanet-create"
        case .contributionRegister: "contribution-register"
        case .bondRelease: "bond-release"
        case .contributionRemoval: "contribution-removal"
        case .listingRegister: "listing-register"
        }
    }

    public var description: String { name }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let kind = EntryKind.allCases.first(where: { $0.name == name }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown entry kind \(name)"))
        }
        self = kind
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
