public import RemitCrypto

/// Reveals the links of a payer's hash chain in increasing index order at about one hash per
/// link: it computes one stretch of `stride` links at a time and serves them from memory.
public struct ChainCursor: Sendable {
    /// The chain.
    public let chain: HashChain
    private var segmentStart = -1
    private var segment: [Digest32] = []

    /// A cursor over `chain`.
    public init(chain: HashChain) { self.chain = chain }

    /// The link for `index` units paid.
    public mutating func link(at index: Int) -> Digest32 {
        let start = (index / chain.stride) * chain.stride
        if start != segmentStart {
            segment = chain.links(start...min(start + chain.stride - 1, chain.length))
            segmentStart = start
        }
        return segment[index - start]
    }
}
