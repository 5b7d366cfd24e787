import RemitCrypto

/// The payee's replay set: the request digests a channel has been paid for.
///
/// An open-addressing table (linear probing, at most half full) instead of `Set<Digest32>`: a
/// tick payment inserts one digest, and `Set` ran the standard library's SipHash over its 32 bytes
/// each time (about 7% of a tick payment's CPU in `remit bench channel`). Here a digest's slot
/// comes from a multilinear hash of its four 64-bit words under keys drawn from libsodium's
/// random source once per process. The keys keep a payer who chooses request digests from
/// steering them into one run of slots: without the keys it cannot tell which digests collide.
struct DigestSet: Sendable, Hashable {
    private static let keys: (UInt64, UInt64, UInt64, UInt64, UInt64) = {
        let random = SecureRandom.bytes(count: 40)
        func word(_ n: Int) -> UInt64 { random[(n * 8)..<(n * 8 + 8)].reduce(0) { $0 << 8 | UInt64($1) } | 1 }
        return (word(0), word(1), word(2), word(3), word(4))
    }()

    /// Slots of the table; an all-zero digest marks an empty slot (``holdsZero`` stands in for
    /// the all-zero digest itself).
    private var slots: [Digest32] = []
    private var holdsZero = false
    /// Number of digests held.
    private(set) var count = 0

    init() {}

    init(_ digests: some Sequence<Digest32>) {
        for digest in digests { insert(digest) }
    }

    func contains(_ digest: Digest32) -> Bool {
        if digest == .zero { return holdsZero }
        guard !slots.isEmpty else { return false }
        var index = slot(of: digest)
        while true {
            let held = slots[index]
            if held == digest { return true }
            if held == .zero { return false }
            index = (index + 1) & (slots.count - 1)
        }
    }

    /// Adds `digest`; false when it was already there.
    @discardableResult
    mutating func insert(_ digest: Digest32) -> Bool {
        if digest == .zero {
            defer { holdsZero = true }
            if holdsZero { return false }
            count += 1
            return true
        }
        if (count + 1) * 2 > slots.count { grow() }
        var index = slot(of: digest)
        while true {
            let held = slots[index]
            if held == digest { return false }
            if held == .zero { break }
            index = (index + 1) & (slots.count - 1)
        }
        slots[index] = digest
        count += 1
        return true
    }

    /// Takes `digest` out, moving back the entries of its probe run so none is stranded.
    mutating func remove(_ digest: Digest32) {
        if digest == .zero {
            if holdsZero { count -= 1 }
            holdsZero = false
            return
        }
        guard !slots.isEmpty else { return }
        let mask = slots.count - 1
        var hole = slot(of: digest)
        while slots[hole] != digest {
            if slots[hole] == .zero { return }
            hole = (hole + 1) & mask
        }
        slots[hole] = .zero
        count -= 1
        var next = (hole + 1) & mask
        while slots[next] != .zero {
            // An entry may fill the hole when its home slot is not after the hole on the way to it.
            let home = slot(of: slots[next])
            if (next - home) & mask >= (next - hole) & mask {
                slots[hole] = slots[next]
                slots[next] = .zero
                hole = next
            }
            next = (next + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Digest32](repeating: .zero, count: max(16, old.count * 2))
        let mask = slots.count - 1
        for digest in old where digest != .zero {
            var index = slot(of: digest)
            while slots[index] != .zero { index = (index + 1) & mask }
            slots[index] = digest
        }
    }

    private func slot(of digest: Digest32) -> Int {
        let keys = Self.keys
        let hash = digest.withUnsafeBytes { raw in
            keys.0 &+ raw.loadUnaligned(as: UInt64.self) &* keys.1
                &+ raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) &* keys.2
                &+ raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self) &* keys.3
                &+ raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self) &* keys.4
        }
        // The high bits: the well-mixed end of a multiply.
        return Int(truncatingIfNeeded: hash >> UInt64(64 - slots.count.trailingZeroBitCount))
    }

    static func == (lhs: DigestSet, rhs: DigestSet) -> Bool {
        guard lhs.count == rhs.count, lhs.holdsZero == rhs.holdsZero else { return false }
        return lhs.slots.allSatisfy { $0 == .zero || rhs.contains($0) }
    }

    /// Equal sets have equal counts; the slots' order depends on history, so it is left out.
    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(holdsZero)
    }
}
