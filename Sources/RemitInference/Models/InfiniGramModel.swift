public import RemitCore

/// The ∞-gram language model (Liu et al. 2024): the next-token distribution is the counts of the
/// tokens that follow the longest suffix of the context found in the datanet, so every token
/// has exact evidence. Attribution (docs/PROTOCOL.md §10.4.1): a generated token is covered when
/// its matched suffix has at least one token and "matched suffix + token" occurs at most
/// ``maxOccurrences`` times (more common n-grams are generic language and credit nobody); a
/// covered token's ``tokenUnits`` are split among the documents holding that n-gram by occurrence count.
public struct InfiniGramModel: Model {
    /// What the model was built from.
    public let manifest: ModelManifest
    /// The suffix-array index (case-preserving tokens).
    public let index: TextIndex
    /// Bytes of index mapped (what a ``ModelHost`` budget counts).
    public var byteCount: Int { index.file.storage.byteCount }
    /// Most occurrences an n-gram may have for its token to be credited (param `maxOccurrences`).
    public let maxOccurrences: Int
    /// Attribution buffers reused across answers.
    private let creditBuffers = NestedRangeCreditsPool()

    /// The default parameters.
    public static let defaultParams = ["maxOccurrences": "256"]

    /// Attribution units each covered token carries.
    public static let tokenUnits: UInt64 = 1_000_000

    /// Wraps a loaded index; `maxOccurrences` comes from the manifest's params.
    public init(manifest: ModelManifest, index: TextIndex) throws(RemitError) {
        self.manifest = manifest
        self.index = index
        maxOccurrences = try ModelParams.int(manifest.params, "maxOccurrences", default: 256, range: 1...1_000_000)
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

    /// Answers a request of this model's family, with its attribution (docs/PROTOCOL.md §10.4).
    public func answer(_ request: ModelRequest) throws(RemitError) -> ModelAnswer {
        try check(request)
        guard case .generate(let prompt, let maxTokens, let sampling) = request.input else { fatalError("checked above") }
        return try generate(prompt: prompt, maxTokens: Int(maxTokens), sampling: sampling, attribute: true)
    }

    /// Generates up to `maxTokens` tokens after `prompt`; with `attribute` false the attribution
    /// work is skipped (the benchmark's baseline) and the answer credits nobody.
    ///
    /// The explanation is built when it is first read, by generating again with a trace of every
    /// step: generation is deterministic, so the second run takes exactly the same steps.
    public func generate(prompt: String, maxTokens: Int, sampling: ModelRequest.Sampling, attribute: Bool) throws(RemitError) -> ModelAnswer {
        let answer = try run(prompt: prompt, maxTokens: maxTokens, sampling: sampling, attribute: attribute, traced: false)
        return ModelAnswer(output: answer.output, outputTokens: answer.outputTokens, coverageBps: answer.coverageBps, attribution: answer.attribution) {
            // The first run succeeded, and the traced run repeats it step for step.
            (try? run(prompt: prompt, maxTokens: maxTokens, sampling: sampling, attribute: attribute, traced: true).explanation) ?? Explanation()
        }
    }

    /// One generation. With `traced`, every step is recorded and the answer carries its full
    /// explanation; without, the explanation is empty.
    private func run(prompt: String, maxTokens: Int, sampling: ModelRequest.Sampling, attribute: Bool, traced: Bool) throws(RemitError) -> ModelAnswer {
        var context = index.encode(prompt)
        var rng: SplitMix64? = nil
        if case .seeded(let seed) = sampling { rng = SplitMix64(seed: seed) }
        // Taken from the pool and given back after the attribution (not in a `defer`, so the
        // buffers move back instead of being copied; an answer that throws drops them).
        var credits = attribute ? creditBuffers.take() : NestedRangeCredits()
        var traces: [TokenTrace] = []
        var generated: [UInt32] = []
        var covered = 0
        var length = longestSuffix(of: context)
        var range = index.range(of: context[(context.count - length)...])
        while generated.count < maxTokens {
            let step = next(in: range, suffixLength: length, rng: &rng)
            if step.token == 0 { break }
            generated.append(step.token)
            context.append(step.token)
            // The matched suffix followed by the token occurs (its range is step.range), and no
            // longer suffix can (it would make the matched suffix longer), so the new matched
            // suffix is exactly one token longer: no search needed. Its range lies inside the
            // previous one, which is what NestedRangeCredits relies on.
            length += 1
            range = step.range
            if attribute {
                var documents = 0
                if step.suffixLength > 0 && step.range.count <= maxOccurrences {
                    documents = credits.credit(step.range, in: index, units: InfiniGramModel.tokenUnits)
                    covered += 1
                }
                if traced {
                    traces.append(TokenTrace(token: index.tokenText(step.token), suffixLength: step.suffixLength, occurrences: step.range.count, documents: documents))
                }
            }
        }
        let text = Tokenizer.detokenize(generated.map { index.tokenText($0) })
        let (entries, documents) = try credits.attribution(index.documents, documents: traced)
        if attribute { creditBuffers.put(consume credits) }
        var explanation = Explanation()
        if traced {
            explanation.tokens = traces
            explanation.method = "infinigram-suffix: each token credited to the documents holding the longest matched context suffix plus the token, by occurrence share (n-grams seen more than \(maxOccurrences) times credit nobody)"
            explanation.credits = AttributionTally.credits(entries, documents: documents, labels: index.documents.labels)
        }
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

    /// The next token after `context` whose longest occurring suffix has `suffixLength` tokens.
    /// Greedy: the most frequent continuation, ties to the smallest token id. Seeded: occurrence
    /// `u` of the suffix's suffix-array range, `u` uniform in 0..<count from the generator, and
    /// the token that follows it.
    public func next(after context: [UInt32], suffixLength: Int, rng: inout SplitMix64?) -> Step {
        next(in: index.range(of: context[(context.count - suffixLength)...]), suffixLength: suffixLength, rng: &rng)
    }

    /// The next token given the suffix-array range of the matched suffix.
    func next(in range: Range<Int>, suffixLength: Int, rng: inout SplitMix64?) -> Step {
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
