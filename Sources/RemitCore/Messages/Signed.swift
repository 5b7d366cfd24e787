public import RemitCrypto

/// A message with its signer's public key and an Ed25519 signature over its canonical bytes.
///
/// Binary form: the message's canonical bytes, then the 32-byte signer key, then the 64-byte
/// signature. JSON form: `{"type", "version", "message", "signer", "signature"}` (docs/PROTOCOL.md).
public struct Signed<Message: SignableMessage>: Sendable, Hashable {
    /// The signed message.
    public let message: Message
    /// The key that signed.
    public let signer: PublicKey
    /// Signature over `message.canonicalBytes`.
    public let signature: Signature

    /// Wraps a message, key and signature as received; call ``verify(ledger:signer:)`` before trusting it.
    public init(message: Message, signer: PublicKey, signature: Signature) {
        self.message = message
        self.signer = signer
        self.signature = signature
    }

    /// Signs `message` with `key`.
    public init(signing message: Message, with key: SigningKey) {
        self.message = message
        signer = key.publicKey
        signature = key.sign(message.canonicalBytes)
    }

    /// Checks, in order: the message's field rules, the ledger (when given), that the signer is
    /// the one the message names and the one `expected` names (when given), and the signature.
    public func verify(ledger: LedgerID? = nil, signer expected: PublicKey? = nil) throws(RemitError) {
        try message.validate()
        if let ledger { try message.checkLedger(ledger) }
        if let required = message.requiredSigner, required != signer {
            throw RemitError(
                .messageWrongSigner,
                "\(Message.messageType.name) must be signed by \(AccountID(required)), but the signer is \(AccountID(signer))"
            )
        }
        if let expected, expected != signer {
            throw RemitError(
                .messageWrongSigner,
                "\(Message.messageType.name) must be signed by \(AccountID(expected)), but the signer is \(AccountID(signer))"
            )
        }
        try verifySignature()
    }

    /// Checks only the signature over the canonical bytes.
    public func verifySignature() throws(RemitError) {
        guard signer.isValidSignature(signature, for: message.canonicalBytes) else {
            throw RemitError(
                .messageBadSignature,
                "\(Message.messageType.name) signature does not verify under \(AccountID(signer)): the message or signature was altered"
            )
        }
    }

    /// The binary wire form: canonical bytes, signer key, signature.
    public var wireBytes: [UInt8] { message.canonicalBytes + signer.bytes + signature.bytes }

    /// Decodes the binary wire form (it does not check the signature: call ``verify(ledger:signer:)``).
    public init(wireBytes bytes: [UInt8]) throws(RemitError) {
        guard bytes.count > 96 else {
            throw RemitError(.messageBadLength, "signed \(Message.messageType.name) is \(bytes.count) bytes; it needs at least the 96 bytes of key and signature")
        }
        let split = bytes.count - 96
        message = try Message(canonicalBytes: Array(bytes[0..<split]))
        var reader = CanonicalReader(Array(bytes[split...]))
        signer = try reader.readPublicKey("signer")
        signature = try reader.readSignature("signature")
    }
}
