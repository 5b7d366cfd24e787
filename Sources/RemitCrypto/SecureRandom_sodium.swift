internal import CSodium

/// Cryptographically secure random bytes from libsodium (`randombytes_buf`).
public enum SecureRandom {
    /// Returns `count` random bytes.
    public static func bytes(count: Int) -> [UInt8] {
        Sodium.ensureInitialised()
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
        return out
    }

    /// Returns a random 32-byte value, for example a hash-chain seed or a nonce.
    public static func digest() -> Digest32 {
        Sodium.ensureInitialised()
        var value = Bytes32()
        value.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, 32) }
        return Digest32(bytes32: value)
    }
}

/// Comparison that takes the same time whatever the bytes, for secrets and MACs.
public enum ConstantTime {
    /// True when both byte strings have the same length and the same bytes; the time taken
    /// depends only on the length.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.isEmpty { return true }
        return lhs.withUnsafeBytes { l in
            rhs.withUnsafeBytes { r in sodium_memcmp(l.baseAddress!, r.baseAddress!, l.count) == 0 }
        }
    }

    /// Constant-time equality of two digests.
    public static func equals(_ lhs: Digest32, _ rhs: Digest32) -> Bool {
        lhs.withUnsafeBytes { l in
            rhs.withUnsafeBytes { r in sodium_memcmp(l.baseAddress!, r.baseAddress!, 32) == 0 }
        }
    }
}
