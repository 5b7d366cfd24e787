public import RemitCrypto

/// Reveals the links of a payer's hash chain in increasing index order at about one hash per
/// link: it computes a few stretches of `stride` links at a time and serves them from memory.
public struct ChainCursor: Sendable {
    /// The chain.
    public let chain: HashChain
    private var segmentStart = -1
    private var segment: [Digest32] = []

    /// A cursor over `chain`.
    public init(chain: HashChain) { self.chain = chain }

    /// The link for `index` units paid.
    public mutating func link(at index: Int) -> Digest32 {
        // Four stretches at a time where four share a compression (see HashChain.links).
        let span = chain.stride * (BLAKE2b.hashesFourAtOnce ? 4 : 1)
        let start = (index / span) * span
        if start != segmentStart {
            segment = chain.links(start...min(start + span - 1, chain.length))
            segmentStart = start
        }
        return segment[index - start]
    }
}
