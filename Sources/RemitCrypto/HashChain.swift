/// A PayWord-style hash chain for paying fixed units with one hash each instead of a signature.
///
/// With `H` = BLAKE2b-256 of the 32-byte link, a chain of length `n` built from `seed` has links
/// `link(i) = H^(n-i)(seed)` for `i` in `0...n`. The payer commits `link(0)` (the root) in a signed
/// channel open; having paid `i` units in total, it reveals `link(i)`. The payee checks a revealed
/// value against the last link it holds with `k` hashes, where `k` is the number of new units.
///
/// Only every `stride`-th link is kept, so a chain of a million units needs about 125 KiB; any link
/// is recomputed with fewer than `stride` hashes, and ``links(_:)`` yields a run of links at one
/// hash each.
public struct HashChain: Sendable {
    /// The number of units the chain can pay.
    public let length: Int
    /// Distance between stored links.
    public let stride: Int
    /// `link(j * stride)` for every `j`, and the seed as the last element when `length` is not a multiple of `stride`.
    private let checkpoints: [Digest32]
    private let seed: Digest32

    /// The commitment published in the channel open: `link(0)`.
    public var root: Digest32 { checkpoints[0] }

    /// Builds a chain of `length` units from a secret 32-byte `seed` (`length` hashes).
    public init(seed: Digest32, length: Int, stride: Int = 256) {
        precondition(length >= 1, "a hash chain needs at least one unit")
        precondition(stride >= 1, "stride must be positive")
        self.length = length
        self.stride = stride
        self.seed = seed
        // Walk down from the seed (index length) to the root (index 0), keeping checkpoints.
        let count = (length + stride - 1) / stride + 1
        var stored = [Digest32](repeating: .zero, count: count)
        var current = seed
        var index = length
        while true {
            if index % stride == 0 { stored[index / stride] = current }
            if index == 0 { break }
            current = BLAKE2b.hash(current)
            index -= 1
        }
        if length % stride != 0 { stored[count - 1] = seed }
        checkpoints = stored
    }

    /// The link revealed after `index` units have been paid (`0...length`).
    public func link(at index: Int) -> Digest32 {
        precondition((0...length).contains(index), "hash chain index \(index) is outside 0...\(length)")
        let (anchorIndex, anchor) = nearestStored(atOrAbove: index)
        var value = anchor
        for _ in 0..<(anchorIndex - index) { value = BLAKE2b.hash(value) }
        return value
    }

    /// The links at the indices in `range`, computed with about one hash per link. Each stored
    /// link starts a stretch that walks down to just above the stored link below it; stretches
    /// are independent, so where the CPU allows four of them share each compression
    /// (``BLAKE2b/hashesFourAtOnce``), which makes a payer's ticks about three times cheaper.
    public func links(_ range: ClosedRange<Int>) -> [Digest32] {
        precondition(range.lowerBound >= 0 && range.upperBound <= length, "hash chain range \(range) is outside 0...\(length)")
        var out = [Digest32](repeating: .zero, count: range.count)
        var stretches: [(top: Int, value: Digest32, bottom: Int)] = []
        var top = range.upperBound
        while top >= range.lowerBound {
            let (anchorIndex, anchor) = nearestStored(atOrAbove: top)
            let bottom = anchorIndex == 0 ? 0 : max(range.lowerBound, (anchorIndex - 1) / stride * stride + 1)
            stretches.append((anchorIndex, anchor, bottom))
            top = bottom - 1
        }
        // Writes the value at `index` if the range asked for it (the first stretch may start above).
        func record(_ index: Int, _ value: Digest32) {
            if index <= range.upperBound { out[index - range.lowerBound] = value }
        }
        var first = 0
        if BLAKE2b.hashesFourAtOnce {
            while first + 1 < stretches.count {
                let group = Array(stretches[first..<min(first + 4, stretches.count)])
                let starts = (0..<4).map { group[min($0, group.count - 1)].value }
                let steps = group.map { $0.top - $0.bottom }.max()!
                let walked = BLAKE2b.walkFour(starts, steps: steps)
                for (lane, stretch) in group.enumerated() {
                    record(stretch.top, stretch.value)
                    for step in 0..<(stretch.top - stretch.bottom) { record(stretch.top - step - 1, walked[4 * step + lane]) }
                }
                first += group.count
            }
        }
        for stretch in stretches[first...] {
            var value = stretch.value
            record(stretch.top, value)
            var index = stretch.top
            while index > stretch.bottom {
                value = BLAKE2b.hash(value)
                index -= 1
                record(index, value)
            }
        }
        return out
    }

    private func nearestStored(atOrAbove index: Int) -> (Int, Digest32) {
        let slot = (index + stride - 1) / stride
        let anchorIndex = min(slot * stride, length)
        return anchorIndex == length && length % stride != 0 ? (length, seed) : (anchorIndex, checkpoints[slot])
    }

    /// One step of the chain: BLAKE2b-256 of the link's 32 bytes.
    public static func step(_ link: Digest32) -> Digest32 { BLAKE2b.hash(link) }

    /// True when hashing `value` exactly `steps` times gives `known`, i.e. `value` lies `steps`
    /// links after `known`. Costs `steps` hashes; callers bound `steps` by what the channel can pay.
    public static func verify(_ value: Digest32, steps: Int, reaches known: Digest32) -> Bool {
        guard steps >= 1 else { return false }
        var current = value
        for _ in 0..<steps { current = BLAKE2b.hash(current) }
        // Both sides are public (a revealed link and the link held before it), so a plain
        // comparison leaks nothing; a payee compares one per tick payment.
        return current == known
    }
}
