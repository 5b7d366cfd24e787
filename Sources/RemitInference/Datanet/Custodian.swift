public import RemitCrypto

/// Contributor keys held in custody by a datanet's importer, for contributors who cannot sign
/// themselves (the authors of quotations). One sealed key, the custodian's, stands for all of
/// them: the key of contributor `name` has the seed BLAKE2b-256 of the custodian's Ed25519
/// signature of `remit/custodial-contributor/v1` 0x00 ‖ UTF-8 name (docs/PROTOCOL.md §10.2).
/// Ed25519 signatures are deterministic, so the same custodian always gives the same keys, and
/// nobody without the custodian's key can derive them.
public struct Custodian: Sendable {
    /// The custodian's key.
    public let key: SigningKey

    /// Wraps the custodian's key.
    public init(key: SigningKey) { self.key = key }

    /// The name every unattributed contribution is credited to.
    public static let community = "community"

    /// The signing key of contributor `name`.
    public func contributorKey(for name: String) -> SigningKey {
        let message = Array("remit/custodial-contributor/v1".utf8) + [0] + Array(name.utf8)
        let seed = BLAKE2b.hash(key.sign(message).bytes)
        return try! SigningKey(seed: seed.bytes)  // 32 bytes
    }
}
