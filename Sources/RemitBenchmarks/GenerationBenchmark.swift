import RemitInference

/// The generation part of `remit bench inference`: the same prompts answered by an
/// ``InfiniGramModel`` with and without attribution, interleaved, best round of each.
struct GenerationBenchmark {
    /// The model under test.
    let model: InfiniGramModel
    /// Prompts: the first three tokens of every 7,919th document (1,000 of them).
    let prompts: [String]
    /// Tokens generated per prompt at most.
    let maxTokens = 64

    init(model: InfiniGramModel, corpus: SyntheticCorpus) {
        self.model = model
        let index = model.index
        prompts = (0..<1_000).map { i in
            let doc = corpus.documents[(i * 7_919) % corpus.documents.count]
            return doc.prefix(3).map { index.tokenText($0) }.joined(separator: " ")
        }
    }

    /// Tokens per second without and with attribution, and the overhead.
    struct Rates {
        /// Best round of each (tokens/s).
        var plain: Double
        var attributed: Double
        /// Generation time with attribution over time without: the median over rounds of the
        /// ratio within a round (the two passes of a round run back to back).
        var overhead: Double
    }

    /// Runs `rounds` rounds; each times all prompts without attribution and all with it, back
    /// to back, in alternating order. The overhead is the median of the rounds' own ratios: on
    /// a shared virtual machine the speed drifts by tens of percent from second to second, and
    /// a ratio of two bests taken from different rounds measures the drift as much as the
    /// attribution; the ratio within a round does not.
    func measure(rounds: Int, _ sampling: (Int) -> ModelRequest.Sampling) throws -> Rates {
        let clock = ContinuousClock()
        var best = (plain: Double.infinity, attributed: Double.infinity)
        var produced = (plain: 0, attributed: 0)
        var ratios: [Double] = []
        for round in 0..<rounds {
            var time = (plain: 0.0, attributed: 0.0)
            for attribute in (round % 2 == 0 ? [false, true] : [true, false]) {
                let t0 = clock.now
                var count = 0
                for (i, prompt) in prompts.enumerated() {
                    count += Int(try model.generate(prompt: prompt, maxTokens: maxTokens, sampling: sampling(i), attribute: attribute).outputTokens)
                }
                let s = seconds(t0.duration(to: clock.now))
                if attribute { (time.attributed, produced.attributed) = (s, count) } else { (time.plain, produced.plain) = (s, count) }
            }
            best = (min(best.plain, time.plain), min(best.attributed, time.attributed))
            ratios.append(time.attributed / time.plain)
        }
        precondition(produced.plain == produced.attributed, "attribution must not change the tokens generated")
        ratios.sort()
        let median = ratios.count % 2 == 1 ? ratios[ratios.count / 2] : (ratios[ratios.count / 2 - 1] + ratios[ratios.count / 2]) / 2
        return Rates(plain: Double(produced.plain) / best.plain, attributed: Double(produced.attributed) / best.attributed,
                     overhead: median)
    }

    /// Seeded answers' credited tokens, generated tokens and occurrences summed over credited tokens.
    func creditStatistics() throws -> (credited: Int, steps: Int, occurrences: Int) {
        var out = (credited: 0, steps: 0, occurrences: 0)
        for (i, prompt) in prompts.enumerated() {
            let answer = try model.generate(prompt: prompt, maxTokens: maxTokens, sampling: .seeded(UInt64(i)), attribute: true)
            for t in answer.explanation.tokens {
                out.steps += 1
                if t.documents > 0 {
                    out.credited += 1
                    out.occurrences += t.occurrences
                }
            }
        }
        return out
    }
}
