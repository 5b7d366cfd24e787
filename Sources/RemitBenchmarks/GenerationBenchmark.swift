import RemitInference

/// The generation part of `remit bench inference`: the same prompts answered by an
/// ``InfiniGramModel`` with and without attribution, interleaved, best round of each.
struct GenerationBenchmark {
    /// The model under test.
    let model: InfiniGramModel
    /// Prompts: the first three tokens of every 7,919th document (200 of them).
    let prompts: [String]
    /// Tokens generated per prompt at most.
    let maxTokens = 64

    init(model: InfiniGramModel, corpus: SyntheticCorpus) {
        self.model = model
        let index = model.index
        prompts = (0..<200).map { i in
            let doc = corpus.documents[(i * 7_919) % corpus.documents.count]
            return doc.prefix(3).map { index.tokenText($0) }.joined(separator: " ")
        }
    }

    /// Tokens per second without and with attribution (best of `rounds` interleaved rounds each).
    struct Rates {
        var plain: Double
        var attributed: Double
        var tokens: Int
        /// Generation time with attribution over time without.
        var overhead: Double { plain / attributed }
    }

    func measure(rounds: Int, _ sampling: (Int) -> ModelRequest.Sampling) throws -> Rates {
        let clock = ContinuousClock()
        var best = (plain: Double.infinity, attributed: Double.infinity)
        var produced = (plain: 0, attributed: 0)
        for round in 0..<rounds {
            for attribute in (round % 2 == 0 ? [false, true] : [true, false]) {
                let t0 = clock.now
                var count = 0
                for (i, prompt) in prompts.enumerated() {
                    count += Int(try model.generate(prompt: prompt, maxTokens: maxTokens, sampling: sampling(i), attribute: attribute).outputTokens)
                }
                let s = seconds(t0.duration(to: clock.now))
                if attribute { (best.attributed, produced.attributed) = (min(best.attributed, s), count) } else { (best.plain, produced.plain) = (min(best.plain, s), count) }
            }
        }
        precondition(produced.plain == produced.attributed, "attribution must not change the tokens generated")
        return Rates(plain: Double(produced.plain) / best.plain, attributed: Double(produced.attributed) / best.attributed, tokens: produced.plain)
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
