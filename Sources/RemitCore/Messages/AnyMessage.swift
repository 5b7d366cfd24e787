public import RemitCrypto

/// Any Remit protocol message, as read from JSON whose `type` is not known in advance
/// (`remit verify FILE.json`), with what every message has in common.
public struct AnyMessage: Sendable, Equatable {
    /// The message's type.
    public let messageType: MessageType
    /// The message's ledger.
    public let ledger: LedgerID
    /// The signer, for signed messages (nil for a tick).
    public let signer: PublicKey?
    /// The binary wire form (canonical bytes, then signer and signature when signed).
    public let wireBytes: [UInt8]
    /// The JSON wire form.
    public let jsonBytes: [UInt8]
    /// The typed value: a `Signed<M>` or a ``Tick``.
    public let base: any Sendable
    private let verifier: @Sendable (LedgerID?, PublicKey?) throws(RemitError) -> Void

    /// Wraps a signed message.
    public init<M: SignableMessage>(_ signed: Signed<M>) {
        messageType = M.messageType
        ledger = signed.message.ledger
        signer = signed.signer
        wireBytes = signed.wireBytes
        jsonBytes = signed.jsonBytes()
        base = signed
        verifier = { ledger, signer throws(RemitError) in try signed.verify(ledger: ledger, signer: signer) }
    }

    /// Wraps a tick.
    public init(_ tick: Tick) {
        messageType = Tick.messageType
        ledger = tick.ledger
        signer = nil
        wireBytes = tick.canonicalBytes
        jsonBytes = MessageJSON.encode(Unsigned(tick))
        base = tick
        verifier = { _, _ throws(RemitError) in
            throw RemitError(
                .messageNeedsContext,
                "a tick is not signed: it is checked by hashing its link down to a link already held (give the previous index and link)"
            )
        }
    }

    /// The message as `Signed<M>`, when it is one.
    public func signed<M: SignableMessage>(as type: M.Type) -> Signed<M>? { base as? Signed<M> }

    /// The message as a tick, when it is one.
    public var tick: Tick? { base as? Tick }

    /// Every signed message type this build reads.
    public static let signedTypes: [any SignableMessage.Type] = [
        ChannelOpen.self, Voucher.self, Receipt.self, ReceiptBatch.self, ChannelTopUp.self, ChannelClose.self,
        ChannelClaim.self, Transfer.self, Listing.self, DatanetCreate.self, Contribution.self, ContributionRemoval.self,
        Checkpoint.self,
    ]

    /// Every message type this build reads.
    public static var types: [MessageType] { signedTypes.map { $0.messageType } + [Tick.messageType] }

    private struct Peek: Decodable { let type: String }

    private static func decodeSigned<M: SignableMessage>(_ type: M.Type, _ bytes: [UInt8], _ ledger: LedgerID?) throws(RemitError) -> AnyMessage {
        AnyMessage(try Signed<M>(json: bytes, ledger: ledger))
    }

    /// Decodes JSON by its `type` field and checks its encoding and field rules (not yet the signature).
    public init(json bytes: [UInt8], ledger: LedgerID? = nil) throws(RemitError) {
        let type = try MessageJSON.decode(Peek.self, from: bytes).type
        if type == Tick.messageType.name {
            let tick = try MessageJSON.decode(Unsigned<Tick>.self, from: bytes).message
            try tick.validate()
            if let ledger { try tick.checkLedger(ledger) }
            self.init(tick)
            return
        }
        guard let messageType = AnyMessage.signedTypes.first(where: { $0.messageType.name == type }) else {
            let known = AnyMessage.types.map(\.name).joined(separator: ", ")
            throw RemitError(.messageUnknownType, "message type \"\(type)\" is not one of \(known)")
        }
        self = try AnyMessage.decodeSigned(messageType, bytes, ledger)
    }

    private static func decodeSignedWire<M: SignableMessage>(_ type: M.Type, _ bytes: [UInt8]) throws(RemitError) -> AnyMessage {
        AnyMessage(try Signed<M>(wireBytes: bytes))
    }

    /// Decodes the binary wire form by its domain tag (canonical bytes, then signer and signature
    /// for signed types); checks encodings and field rules, not yet the signature.
    public init(wireBytes bytes: [UInt8]) throws(RemitError) {
        var reader = CanonicalReader(bytes)
        let tag = try reader.readTag()
        if tag == Tick.messageType.tag {
            self.init(try Tick(canonicalBytes: bytes))
            return
        }
        let name = tag.split(separator: "/").dropFirst().first.map(String.init) ?? tag
        guard let type = AnyMessage.signedTypes.first(where: { $0.messageType.name == name }) else {
            throw RemitError(.messageUnknownType, "domain tag \"\(tag)\" names no message type this build reads")
        }
        self = try AnyMessage.decodeSignedWire(type, bytes)
    }

    /// Checks the signature (and signer rules) of a signed message. A tick has no signature:
    /// this throws ``RemitError/Code/messageNeedsContext``; check it with ``Tick/verify(ledger:channel:previousIndex:previousLink:maxSteps:)``.
    public func verify(ledger: LedgerID? = nil, signer: PublicKey? = nil) throws(RemitError) {
        try verifier(ledger, signer)
    }

    public static func == (lhs: AnyMessage, rhs: AnyMessage) -> Bool {
        lhs.messageType == rhs.messageType && lhs.wireBytes == rhs.wireBytes
    }
}

extension RemitError.Code {
    /// A message that can only be checked against state it does not carry (a tick needs its chain).
    public static let messageNeedsContext = Self("message.needs_context")
}
