import Foundation
public import RemitCrypto

/// Any Remit protocol message, as read from JSON whose `type` is not known in advance
/// (`remit verify FILE.json`).
public enum AnyMessage: Sendable, Hashable {
    case channelOpen(Signed<ChannelOpen>)
    case voucher(Signed<Voucher>)
    case tick(Tick)
    case receipt(Signed<Receipt>)
    case listing(Signed<Listing>)
    case contribution(Signed<Contribution>)
    case checkpoint(Signed<Checkpoint>)

    /// Every message type this build reads.
    public static let types: [MessageType] = [
        ChannelOpen.messageType, Voucher.messageType, Tick.messageType, Receipt.messageType,
        Listing.messageType, Contribution.messageType, Checkpoint.messageType,
    ]

    private struct Peek: Decodable { let type: String }

    /// Decodes JSON by its `type` field and checks its encoding and field rules (not yet the signature).
    public init(json bytes: [UInt8], ledger: LedgerID? = nil) throws(RemitError) {
        let type = try MessageJSON.decode(Peek.self, from: bytes).type
        switch type {
        case ChannelOpen.messageType.name: self = .channelOpen(try Signed(json: bytes, ledger: ledger))
        case Voucher.messageType.name: self = .voucher(try Signed(json: bytes, ledger: ledger))
        case Receipt.messageType.name: self = .receipt(try Signed(json: bytes, ledger: ledger))
        case Listing.messageType.name: self = .listing(try Signed(json: bytes, ledger: ledger))
        case Contribution.messageType.name: self = .contribution(try Signed(json: bytes, ledger: ledger))
        case Checkpoint.messageType.name: self = .checkpoint(try Signed(json: bytes, ledger: ledger))
        case Tick.messageType.name:
            let tick = try MessageJSON.decode(Unsigned<Tick>.self, from: bytes).message
            try tick.validate()
            if let ledger { try tick.checkLedger(ledger) }
            self = .tick(tick)
        default:
            let known = AnyMessage.types.map(\.name).joined(separator: ", ")
            throw RemitError(.messageUnknownType, "message type \"\(type)\" is not one of \(known)")
        }
    }

    /// The message's type.
    public var messageType: MessageType {
        switch self {
        case .channelOpen: ChannelOpen.messageType
        case .voucher: Voucher.messageType
        case .tick: Tick.messageType
        case .receipt: Receipt.messageType
        case .listing: Listing.messageType
        case .contribution: Contribution.messageType
        case .checkpoint: Checkpoint.messageType
        }
    }

    /// The message's ledger.
    public var ledger: LedgerID {
        switch self {
        case .channelOpen(let m): m.message.ledger
        case .voucher(let m): m.message.ledger
        case .tick(let m): m.ledger
        case .receipt(let m): m.message.ledger
        case .listing(let m): m.message.ledger
        case .contribution(let m): m.message.ledger
        case .checkpoint(let m): m.message.ledger
        }
    }

    /// The signer, for signed messages.
    public var signer: PublicKey? {
        switch self {
        case .channelOpen(let m): m.signer
        case .voucher(let m): m.signer
        case .tick: nil
        case .receipt(let m): m.signer
        case .listing(let m): m.signer
        case .contribution(let m): m.signer
        case .checkpoint(let m): m.signer
        }
    }

    /// Checks the signature (and signer rules) of a signed message. A tick has no signature:
    /// this throws ``RemitError/Code/messageNeedsContext``; check it with ``Tick/verify(ledger:channel:previousIndex:previousLink:maxSteps:)``.
    public func verify(ledger: LedgerID? = nil, signer: PublicKey? = nil) throws(RemitError) {
        switch self {
        case .channelOpen(let m): try m.verify(ledger: ledger, signer: signer)
        case .voucher(let m): try m.verify(ledger: ledger, signer: signer)
        case .receipt(let m): try m.verify(ledger: ledger, signer: signer)
        case .listing(let m): try m.verify(ledger: ledger, signer: signer)
        case .contribution(let m): try m.verify(ledger: ledger, signer: signer)
        case .checkpoint(let m): try m.verify(ledger: ledger, signer: signer)
        case .tick:
            throw RemitError(
                .messageNeedsContext,
                "a tick is not signed: it is checked by hashing its link down to a link already held (give the previous index and link)"
            )
        }
    }
}

extension RemitError.Code {
    /// A message that can only be checked against state it does not carry (a tick needs its chain).
    public static let messageNeedsContext = Self("message.needs_context")
}
