import RemitCore
public import RemitCrypto

/// One contributor's share of an answer.
public struct ContributorWeight: Sendable, Hashable, Codable {
    /// The contributor.
    public var contributor: PublicKey
    /// The sum of the weights of their credited contributions, in basis points.
    public var weightBps: UInt16
    /// How many of their contributions are credited.
    public var contributions: Int
}

extension ModelAnswer {
    /// The attribution aggregated per contributor: each contributor's weight is the sum of their
    /// contributions' weights, so these too sum to exactly 10000 (or the list is empty). Heaviest
    /// first, ties by public key.
    public var contributorWeights: [ContributorWeight] {
        var byKey: [PublicKey: ContributorWeight] = [:]
        for entry in attribution {
            var weight = byKey[entry.contributor] ?? ContributorWeight(contributor: entry.contributor, weightBps: 0, contributions: 0)
            weight.weightBps += entry.weightBps
            weight.contributions += 1
            byKey[entry.contributor] = weight
        }
        return byKey.values.sorted { $0.weightBps != $1.weightBps ? $0.weightBps > $1.weightBps : $0.contributor < $1.contributor }
    }
}
