public import RemitCore
public import RemitCrypto

/// A model's answer: the output, how much of it the attribution covers, and the attribution
/// itself, ready to go into a signed ``Receipt`` (`responseDigest`, `outputTokens`,
/// `coverageBps`, `attribution`). ``explanation`` says how the answer was reached; it is for
/// people and is not covered by any digest.
public struct ModelAnswer: Sendable, Hashable, Codable {
    /// The answer text (generated text, extractive answer, class label, predicted value, or the traced text).
    public var output: String
    /// Output tokens (generated tokens; tokens of the answer sentence; 1 for a prediction; traced tokens).
    public var outputTokens: UInt32
    /// Share of the answer the attribution covers, in basis points.
    public var coverageBps: UInt16
    /// Credited contributions, sorted by contribution id, weights summing to exactly 10000 (or empty).
    public var attribution: [AttributionEntry]
    /// How the answer was reached (a model may build it on first read: it is the same value).
    public var explanation: Explanation {
        get { explainer.value }
        set { explainer = DeferredExplanation(newValue) }
    }
    private var explainer: DeferredExplanation

    /// Creates an answer.
    public init(output: String, outputTokens: UInt32, coverageBps: UInt16, attribution: [AttributionEntry], explanation: Explanation) {
        self.init(output: output, outputTokens: outputTokens, coverageBps: coverageBps, attribution: attribution,
                  explainer: DeferredExplanation(explanation))
    }

    /// Creates an answer whose explanation `explain` builds when it is first read.
    init(output: String, outputTokens: UInt32, coverageBps: UInt16, attribution: [AttributionEntry], explain: @escaping @Sendable () -> Explanation) {
        self.init(output: output, outputTokens: outputTokens, coverageBps: coverageBps, attribution: attribution,
                  explainer: DeferredExplanation(building: explain))
    }

    private init(output: String, outputTokens: UInt32, coverageBps: UInt16, attribution: [AttributionEntry], explainer: DeferredExplanation) {
        self.output = output
        self.outputTokens = outputTokens
        self.coverageBps = coverageBps
        self.attribution = attribution
        self.explainer = explainer
    }

    public static func == (a: ModelAnswer, b: ModelAnswer) -> Bool {
        a.output == b.output && a.outputTokens == b.outputTokens && a.coverageBps == b.coverageBps
            && a.attribution == b.attribution && a.explanation == b.explanation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(output)
        hasher.combine(outputTokens)
        hasher.combine(coverageBps)
        hasher.combine(attribution)
        hasher.combine(explanation)
    }

    private enum CodingKeys: String, CodingKey {
        case output, outputTokens, coverageBps, attribution, explanation
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(output: try c.decode(String.self, forKey: .output), outputTokens: try c.decode(UInt32.self, forKey: .outputTokens),
                  coverageBps: try c.decode(UInt16.self, forKey: .coverageBps), attribution: try c.decode([AttributionEntry].self, forKey: .attribution),
                  explanation: try c.decode(Explanation.self, forKey: .explanation))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(output, forKey: .output)
        try c.encode(outputTokens, forKey: .outputTokens)
        try c.encode(coverageBps, forKey: .coverageBps)
        try c.encode(attribution, forKey: .attribution)
        try c.encode(explanation, forKey: .explanation)
    }

    /// The domain tag of response bytes.
    public static let tag = "remit/model-response/v1"

    /// Tag, output `string`, outputTokens `u32` (docs/PROTOCOL.md §10.6).
    public var responseBytes: [UInt8] {
        var w = CanonicalWriter()
        w.writeTag(ModelAnswer.tag)
        w.write(output)
        w.write(outputTokens)
        return w.bytes
    }

    /// BLAKE2b-256 of ``responseBytes``: the receipt's `responseDigest`.
    public var responseDigest: Digest32 { BLAKE2b.hash(responseBytes) }
}

/// The details behind an answer, per kind of model; every list is empty for the other kinds.
public struct Explanation: Sendable, Hashable, Codable {
    /// Who is credited and how much, heaviest first (the attribution with labels).
    public var credits: [Credit] = []
    /// Language model: each generated token with the suffix it matched.
    public var tokens: [TokenTrace] = []
    /// Retrieval: the passages used, best first.
    public var passages: [PassageScore] = []
    /// Nearest neighbours: the rows with the largest Shapley values.
    public var neighbours: [NeighbourValue] = []
    /// Span tracing: the maximal spans found.
    public var spans: [TracedSpan] = []
    /// One sentence on how attribution was computed.
    public var method: String = ""

    /// An empty explanation.
    public init() {}
}

/// A credited contribution with its label, for display.
public struct Credit: Sendable, Hashable, Codable {
    /// The contribution.
    public var contribution: ContributionID
    /// Its contributor.
    public var contributor: PublicKey
    /// Its label (author, title).
    public var label: String
    /// Its weight in basis points.
    public var weightBps: UInt16
}

/// One generated token and the evidence for it.
public struct TokenTrace: Sendable, Hashable, Codable {
    /// The token's text.
    public var token: String
    /// Length in tokens of the longest context suffix found in the index (0: unigram backoff).
    public var suffixLength: Int
    /// Occurrences of that suffix followed by this token.
    public var occurrences: Int
    /// Documents those occurrences are in.
    public var documents: Int
}

/// A retrieved passage.
public struct PassageScore: Sendable, Hashable, Codable {
    /// Its contribution.
    public var contribution: ContributionID
    /// Its label.
    public var label: String
    /// Its BM25 score.
    public var score: Double
}

/// A training row and its exact Shapley value for this query.
public struct NeighbourValue: Sendable, Hashable, Codable {
    /// Its contribution.
    public var contribution: ContributionID
    /// Its label.
    public var label: String
    /// Squared Euclidean distance to the query.
    public var distance: Double
    /// Its target (class name or number).
    public var target: String
    /// Its kNN-Shapley value.
    public var shapley: Double
}

/// A maximal span of the traced text found verbatim in the datanet.
public struct TracedSpan: Sendable, Hashable, Codable {
    /// First token of the span in the traced text.
    public var start: Int
    /// Length in tokens.
    public var length: Int
    /// The span's text (detokenised).
    public var text: String
    /// Occurrences in the datanet.
    public var occurrences: Int
    /// The contributions holding it (at most 16 listed).
    public var contributions: [ContributionID]
}
