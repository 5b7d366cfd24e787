public import RemitCrypto

/// Keys of a simulation, derived from its seed: BLAKE2b-256(`remit-sim/<seed>/<role>/<index>`)
/// is the Ed25519 seed. Anyone with the scenario can rebuild every key: simulation keys protect
/// nothing.
public enum SimKeys {
    /// The key for `role` number `index`.
    public static func key(seed: UInt64, _ role: String, _ index: Int = 0) -> SigningKey {
        try! SigningKey(seed: BLAKE2b.hash(Array("remit-sim/\(seed)/\(role)/\(index)".utf8)).bytes)  // 32 bytes
    }
}
