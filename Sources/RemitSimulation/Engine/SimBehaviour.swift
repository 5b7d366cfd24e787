import RemitChannels
import RemitCore
import RemitInference
import RemitRuntime

/// What simulated agents do each step, drawn from a random stream of their own (so the result
/// does not depend on which agent runs first): how many queries (Poisson), which model
/// (weighted by the inverse of its quote), and what to ask.
enum SimBehaviour {
    static func act(_ agent: World.SimAgent, world: World, step: Int, text: TextGenerator, market: [Double]) async -> AgentStepResult {
        var rng = SimRandom(seed: world.scenario.seed, "agent/\(agent.name)/step/\(step)")
        var result = AgentStepResult(population: agent.spec.name)
        let count = rng.poisson(agent.spec.queriesPerStep)
        guard count > 0 else { return result }
        var byModel: [ModelID: [ModelRequest]] = [:]
        var order: [ModelID] = []
        let now = world.clock.now()
        var weights: [(ModelID, Double)] = []
        for id in agent.models {
            guard let listing = await agent.wallet.directory.listing(id, now: now) else { continue }
            let quote = (try? Pricing.quote(sample(world.models[id]!.spec.kind, text: text, rng: &rng, market: market, step: step), listing: listing.message)) ?? .zero
            weights.append((id, 1 / (Double(quote.units) + 1)))
        }
        let total = weights.reduce(0) { $0 + $1.1 }
        for _ in 0..<count {
            var pick = rng.unit() * total
            var chosen = weights.last?.0
            for (id, weight) in weights {
                pick -= weight
                if pick <= 0 {
                    chosen = id
                    break
                }
            }
            guard let id = chosen else { continue }
            // An agent does not pay twice for an answer it has: it asks something else (a trader's
            // signal request is the same all step, so it asks each model once per step).
            let kind = world.models[id]!.spec.kind
            var request = sample(kind, text: text, rng: &rng, market: market, step: step)
            var fresh = agent.asked.insert(request.digest, model: id)
            var attempts = 1
            while !fresh, attempts < 4, kind != "knn-classify", kind != "knn-regress" {
                request = sample(kind, text: text, rng: &rng, market: market, step: step)
                fresh = agent.asked.insert(request.digest, model: id)
                attempts += 1
            }
            guard fresh else { continue }
            if byModel[id] == nil { order.append(id) }
            byModel[id, default: []].append(request)
        }
        for id in order {
            let requests = byModel[id]!
            switch world.scenario.payments {
            case .voucher:
                for request in requests {
                    do {
                        result.receipts.append(try await agent.wallet.query(model: id, request: request).receipt.receipt)
                    } catch {
                        result.refusals.append(error.code.rawValue)
                    }
                }
            case .tick:
                do {
                    let answers = try await agent.wallet.queryStream(model: id, requests: requests)
                    result.receipts += answers.map(\.receipt.receipt)
                    result.refusals += Array(repeating: "stream.unanswered", count: requests.count - answers.count)
                } catch {
                    result.refusals += Array(repeating: error.code.rawValue, count: requests.count)
                }
            }
        }
        return result
    }

    /// A request for a model of `kind`: topic words for text models, the market's last five
    /// returns for signal models.
    static func sample(_ kind: String, text: TextGenerator, rng: inout SimRandom, market: [Double], step: Int) -> ModelRequest {
        switch kind {
        case "bm25": .question(text.question(&rng), topK: 2)
        case "infinigram": .generate(prompt: text.question(&rng), maxTokens: 8, sampling: .greedy)
        case "span-trace": .trace(text.honest(&rng), minTokens: 4)
        default: .features(market[step..<(step + 5)].map(PriceSeries.bps))
        }
    }
}
