public import RemitCore
public import RemitCrypto

/// What a caller asks a model; its canonical bytes (docs/PROTOCOL.md §10.6) are what a voucher's
/// and a receipt's `requestDigest` commit to, so a receipt can be replayed from the request alone.
public struct ModelRequest: Sendable, Hashable {
    /// How the language model picks each token.
    public enum Sampling: Sendable, Hashable {
        /// The most frequent continuation; ties go to the smallest token id.
        case greedy
        /// Proportional to continuation counts, drawn with ``SplitMix64`` from this seed.
        case seeded(UInt64)
    }

    /// The input, one case per family of model.
    public enum Input: Sendable, Hashable {
        /// Continue `prompt` with at most `maxTokens` tokens (`infinigram`).
        case generate(prompt: String, maxTokens: UInt32, sampling: Sampling)
        /// Answer a question from the `topK` best passages (`bm25`).
        case question(String, topK: UInt32)
        /// Predict from a feature vector (`knn-classify`, `knn-regress`).
        case features([Double])
        /// Find spans of `text` of at least `minTokens` tokens verbatim in the datanet (`span-trace`).
        case trace(String, minTokens: UInt32)
    }

    /// The input.
    public var input: Input

    /// Creates a request.
    public init(_ input: Input) { self.input = input }

    /// Generation request.
    public static func generate(prompt: String, maxTokens: UInt32 = 32, sampling: Sampling = .greedy) -> ModelRequest {
        ModelRequest(.generate(prompt: prompt, maxTokens: maxTokens, sampling: sampling))
    }

    /// Question request.
    public static func question(_ text: String, topK: UInt32 = 3) -> ModelRequest { ModelRequest(.question(text, topK: topK)) }

    /// Feature-vector request.
    public static func features(_ values: [Double]) -> ModelRequest { ModelRequest(.features(values)) }

    /// Span-tracing request.
    public static func trace(_ text: String, minTokens: UInt32 = 4) -> ModelRequest { ModelRequest(.trace(text, minTokens: minTokens)) }

    /// The domain tag of request bytes.
    public static let tag = "remit/model-request/v1"
    /// Longest text a request may carry, in UTF-8 bytes.
    public static let maxTextBytes = 65_536

    /// Tag, then a u8 input type and its fields (docs/PROTOCOL.md §10.6).
    public var canonicalBytes: [UInt8] {
        var w = CanonicalWriter()
        w.writeTag(ModelRequest.tag)
        switch input {
        case .generate(let prompt, let maxTokens, let sampling):
            w.write(UInt8(1))
            w.write(prompt)
            w.write(maxTokens)
            switch sampling {
            case .greedy: w.write(UInt8(0))
            case .seeded(let seed):
                w.write(UInt8(1))
                w.write(seed)
            }
        case .question(let text, let topK):
            w.write(UInt8(2))
            w.write(text)
            w.write(topK)
        case .features(let values):
            w.write(UInt8(3))
            w.writeList(values) { w, v in w.write(v.bitPattern) }
        case .trace(let text, let minTokens):
            w.write(UInt8(4))
            w.write(text)
            w.write(minTokens)
        }
        return w.bytes
    }

    /// BLAKE2b-256 of the canonical bytes: the receipt's `requestDigest`.
    public var digest: Digest32 { BLAKE2b.hash(canonicalBytes) }

    /// Decodes canonical bytes, refusing anything ``validate()`` refuses.
    public init(canonicalBytes bytes: [UInt8]) throws(RemitError) {
        var r = CanonicalReader(bytes)
        let tag = try r.readTag()
        guard tag == ModelRequest.tag else {
            throw RemitError(.modelBadRequest, "expected a \(ModelRequest.tag) request, got domain tag \"\(tag)\"")
        }
        let type = try r.readUInt8("type")
        switch type {
        case 1:
            let prompt = try r.readString("prompt", maxLength: ModelRequest.maxTextBytes)
            let maxTokens = try r.readUInt32("maxTokens")
            let mode = try r.readUInt8("sampling")
            let sampling: Sampling
            switch mode {
            case 0: sampling = .greedy
            case 1: sampling = .seeded(try r.readUInt64("seed"))
            default: throw RemitError(.modelBadRequest, "request sampling \(mode) is not 0 (greedy) or 1 (seeded)")
            }
            input = .generate(prompt: prompt, maxTokens: maxTokens, sampling: sampling)
        case 2:
            input = .question(try r.readString("question", maxLength: ModelRequest.maxTextBytes), topK: try r.readUInt32("topK"))
        case 3:
            input = .features(try r.readList("features", maxCount: 4096) { r throws(RemitError) in Double(bitPattern: try r.readUInt64("feature")) })
        case 4:
            input = .trace(try r.readString("text", maxLength: ModelRequest.maxTextBytes), minTokens: try r.readUInt32("minTokens"))
        default:
            throw RemitError(.modelBadRequest, "request type \(type) is not 1 (generate), 2 (question), 3 (features) or 4 (trace)")
        }
        try r.expectEnd("model request")
        try validate()
    }

    /// Checks the rules of §10.6: maxTokens 1...4096, topK 1...100, 1...4096 finite features,
    /// minTokens 1...1024, texts at most 64 KiB.
    public func validate() throws(RemitError) {
        func text(_ s: String, _ field: String) throws(RemitError) {
            guard s.utf8.count <= ModelRequest.maxTextBytes else {
                throw RemitError(.modelBadRequest, "request \(field) is \(s.utf8.count) bytes; at most \(ModelRequest.maxTextBytes) are allowed")
            }
        }
        switch input {
        case .generate(let prompt, let maxTokens, _):
            try text(prompt, "prompt")
            guard (1...4096).contains(maxTokens) else { throw RemitError(.modelBadRequest, "maxTokens \(maxTokens) is outside 1...4096") }
        case .question(let q, let topK):
            try text(q, "question")
            guard (1...100).contains(topK) else { throw RemitError(.modelBadRequest, "topK \(topK) is outside 1...100") }
        case .features(let values):
            guard (1...4096).contains(values.count) else { throw RemitError(.modelBadRequest, "\(values.count) features; a request carries 1...4096") }
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw RemitError(.modelBadRequest, "feature \(bad) is \(values[bad]); features must be finite numbers")
            }
        case .trace(let t, let minTokens):
            try text(t, "text")
            guard (1...1024).contains(minTokens) else { throw RemitError(.modelBadRequest, "minTokens \(minTokens) is outside 1...1024") }
        }
    }

    /// The model kinds that accept this request.
    public var acceptedKinds: Set<ModelKind> {
        switch input {
        case .generate: [.infinigram]
        case .question: [.bm25]
        case .features: [.knnClassify, .knnRegress]
        case .trace: [.spanTrace]
        }
    }
}
