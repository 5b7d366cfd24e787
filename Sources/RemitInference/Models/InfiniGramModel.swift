public import RemitCore

/// The ∞-gram language model (Liu et al. 2024): the next-token distribution is the counts of the
/// tokens that follow the longest suffix of the context found in the datanet, so every token
/// has exact evidence. Attribution (docs/PROTOCOL.md §10.4.1): each generated token whose
/// matched suffix has at least one token is covered, and its ``tokenUnits`` are split among the
/// documents holding "matched suffix + token" by occurrence count.
public struct InfiniGramModel: Model {
    public let manifest: ModelManifest
    /// The suffix-array index (case-preserving tokens).
    public let index: TextIndex
    public var byteCount: Int { index.file.storage.byteCount }

    /// Attribution units each covered token carries.
    public static let tokenUnits: UInt64 = 1_000_000

    /// Wraps a loaded index.
    public init(manifest: ModelManifest, index: TextIndex) {
        self.manifest = manifest
        self.index = index
    }

    /// One generation step.
    public struct Step: Sendable, Hashable {
        /// The token chosen (0 = end of document, which ends generation).
        public var token: UInt32
        /// Length of the matched context suffix.
        public var suffixLength: Int
        /// Suffix-array range of "suffix + token".
        public var range: Range<Int>
    }

    public func answer(_ request: ModelRequest) throws(RemitError) -> ModelAnswer {
        try check(request)
        guard case .generate(let prompt, let maxTokens, let sampling) = request.input else { fatalError("checked above") }
        return try generate(prompt: prompt, maxTokens: Int(maxTokens), sampling: sampling, attribute: true)
    }

    /// Generates up to `maxTokens` tokens after `prompt`; with `attribute` false the attribution
    /// work is skipped (the benchmark's baseline) and the answer credits nobody.
    public func generate(prompt: String, maxTokens: Int, sampling: ModelRequest.Sampling, attribute: Bool) throws(RemitError) -> ModelAnswer {
        var context = index.encode(prompt)
        var rng: SplitMix64? = nil
        if case .seeded(let seed) = sampling { rng = SplitMix64(seed: seed) }
        var tally = AttributionTally()
        var traces: [TokenTrace] = []
        var generated: [UInt32] = []
        var covered = 0
        var length = longestSuffix(of: context)
        var occurrences: [Int] = []
        while generated.count < maxTokens {
            let step = next(after: context, suffixLength: length, rng: &rng)
            if step.token == 0 { break }
            generated.append(step.token)
            context.append(step.token)
            if attribute {
                occurrences.removeAll(keepingCapacity: true)
                if step.suffixLength > 0 {
                    for i in step.range { occurrences.append(Int(index.documentOf[Int(index.suffixArray[i])])) }
                    tally.distribute(InfiniGramModel.tokenUnits, occurrences: occurrences)
                    covered += 1
                }
                traces.append(TokenTrace(token: index.tokenText(step.token), suffixLength: step.suffixLength,
                                         occurrences: step.range.count, documents: Set(occurrences).count))
            }
            length = longestSuffix(of: context, atMost: step.suffixLength + 1)
        }
        let text = Tokenizer.detokenize(generated.map { index.tokenText($0) })
        var explanation = Explanation()
        explanation.tokens = traces
        explanation.method = "infinigram-suffix: each token credited to the documents holding the longest matched context suffix plus the token, by occurrence share"
        let (entries, credits) = try tally.finish(index.documents)
        explanation.credits = credits
        return ModelAnswer(output: text, outputTokens: UInt32(generated.count),
                           coverageBps: entries.isEmpty ? 0 : AttributionTally.coverage(covered: covered, total: generated.count),
                           attribution: entries, explanation: explanation)
    }

    /// The length of the longest suffix of `context` that occurs in the index, by bisection
    /// (a suffix occurs whenever a longer one does).
    public func longestSuffix(of context: [UInt32]) -> Int {
        var lo = 0
        var hi = context.count
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if index.range(of: context[(context.count - mid)...]).isEmpty { hi = mid - 1 } else { lo = mid }
        }
        return lo
    }

    /// The length of the longest suffix of `context`, at most `limit` tokens, that occurs in the
    /// index (0 when even the last token does not).
    public func longestSuffix(of context: [UInt32], atMost limit: Int) -> Int {
        var length = min(limit, context.count)
        while length > 0 {
            if !index.range(of: context[(context.count - length)...]).isEmpty { return length }
            length -= 1
        }
        return 0
    }

    /// The next token after `context` whose longest occurring suffix has `suffixLength` tokens.
    /// Greedy: the most frequent continuation, ties to the smallest token id. Seeded: occurrence
    /// `u` of the suffix's suffix-array range, `u` uniform in 0..<count from the generator, and
    /// the token that follows it.
    public func next(after context: [UInt32], suffixLength: Int, rng: inout SplitMix64?) -> Step {
        let suffix = context[(context.count - suffixLength)...]
        let range = index.range(of: suffix)
        if range.isEmpty { return Step(token: 0, suffixLength: 0, range: range) }
        if rng != nil {
            let u = Int(rng!.uniform(below: UInt64(range.count)))
            let p = Int(index.suffixArray[range.lowerBound + u]) + suffixLength
            let token = p < index.tokenCount ? index.tokens[p] : 0
            return Step(token: token, suffixLength: suffixLength, range: index.narrow(range, depth: suffixLength, token: token))
        }
        var best: (token: UInt32, range: Range<Int>)?
        for continuation in index.continuations(of: range, depth: suffixLength) where continuation.range.count > (best?.range.count ?? 0) {
            best = continuation
        }
        return Step(token: best!.token, suffixLength: suffixLength, range: best!.range)
    }
}
