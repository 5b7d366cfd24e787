public import RemitCrypto

/// Moves an amount between two accounts on the ledger; signed by the sender. The ledger accepts
/// each sender's nonces in strictly increasing order, so a transfer cannot be replayed.
/// Tag `remit/transfer/v1`.
public struct Transfer: SignableMessage {
    public static let messageType = MessageType(name: "transfer", version: 1)

    /// The ledger.
    public var ledger: LedgerID
    /// The sender (signer).
    public var from: PublicKey
    /// The receiver.
    public var to: PublicKey
    /// Amount moved, above zero.
    public var amount: Amount
    /// Above every nonce the sender used before on this ledger.
    public var nonce: UInt64
    /// A note for the receiver (at most 256 bytes).
    public var memo: String

    /// Creates a transfer.
    public init(ledger: LedgerID, from: PublicKey, to: PublicKey, amount: Amount, nonce: UInt64, memo: String = "") {
        self.ledger = ledger
        self.from = from
        self.to = to
        self.amount = amount
        self.nonce = nonce
        self.memo = memo
    }

    public var requiredSigner: PublicKey? { from }

    public func encodeFields(into w: inout CanonicalWriter) {
        w.write(ledger)
        w.write(from)
        w.write(to)
        w.write(amount)
        w.write(nonce)
        w.write(memo)
    }

    public init(fields r: inout CanonicalReader) throws(RemitError) {
        ledger = try r.readID("ledger")
        from = try r.readPublicKey("from")
        to = try r.readPublicKey("to")
        amount = try r.readAmount("amount")
        nonce = try r.readUInt64("nonce")
        memo = try r.readString("memo", maxLength: 256)
    }

    public func validate() throws(RemitError) {
        try require(from != to, "to", "a transfer to the sender itself moves nothing")
        try require(amount > .zero, "amount", "must be above zero")
        try require(nonce >= 1, "nonce", "starts at 1")
        try require(memo.utf8.count <= 256, "memo", "is longer than 256 bytes")
    }
}
