import RemitCore

/// JSON form: `{"type": "generate", "prompt", "maxTokens", "seed"?}`, `{"type": "question",
/// "question", "topK"}`, `{"type": "features", "features": ["1.5", ...]}` (decimal strings that
/// round-trip exactly), `{"type": "trace", "text", "minTokens"}`. JSON is for transport: the
/// digest covers the canonical bytes.
extension ModelRequest: Codable {
    private enum Keys: String, CodingKey { case type, prompt, maxTokens, seed, question, topK, features, text, minTokens }

    /// Decodes the JSON form and checks the request rules.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "generate":
            let seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
            input = .generate(prompt: try c.decode(String.self, forKey: .prompt), maxTokens: try c.decode(UInt32.self, forKey: .maxTokens),
                              sampling: seed.map { .seeded($0) } ?? .greedy)
        case "question":
            input = .question(try c.decode(String.self, forKey: .question), topK: try c.decode(UInt32.self, forKey: .topK))
        case "features":
            let texts = try c.decode([String].self, forKey: .features)
            var values: [Double] = []
            for text in texts {
                guard let v = Double(text) else { throw RemitError(.modelBadRequest, "feature \"\(text)\" is not a decimal number") }
                values.append(v)
            }
            input = .features(values)
        case "trace":
            input = .trace(try c.decode(String.self, forKey: .text), minTokens: try c.decode(UInt32.self, forKey: .minTokens))
        default:
            throw RemitError(.modelBadRequest, "request type \"\(type)\" is not generate, question, features or trace")
        }
        try validate()
    }

    /// Encodes the JSON form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch input {
        case .generate(let prompt, let maxTokens, let sampling):
            try c.encode("generate", forKey: .type)
            try c.encode(prompt, forKey: .prompt)
            try c.encode(maxTokens, forKey: .maxTokens)
            if case .seeded(let seed) = sampling { try c.encode(seed, forKey: .seed) }
        case .question(let q, let topK):
            try c.encode("question", forKey: .type)
            try c.encode(q, forKey: .question)
            try c.encode(topK, forKey: .topK)
        case .features(let values):
            try c.encode("features", forKey: .type)
            try c.encode(values.map(\.description), forKey: .features)
        case .trace(let text, let minTokens):
            try c.encode("trace", forKey: .type)
            try c.encode(text, forKey: .text)
            try c.encode(minTokens, forKey: .minTokens)
        }
    }
}
