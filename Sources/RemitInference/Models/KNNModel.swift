public import RemitCore

/// k-nearest-neighbour classification or regression over numeric rows with exact kNN-Shapley
/// attribution (docs/PROTOCOL.md §10.4.3). Distance is squared Euclidean summed over features in
/// order; ties rank the smaller row (contribution id) first.
///
/// Classification: the predicted class is the most frequent among the K nearest (ties: the class
/// of the nearest row among the tied classes); values use `f = 1[row class = predicted class]`.
/// Regression: the prediction is the mean target of the K nearest (summed nearest first); values
/// use `f = target`. Only positive Shapley values are credited, by their share (values scaled by
/// 2^40 and floored to integer units); coverage is the positive units over the units of all
/// absolute values.
public struct KNNModel: Model {
    /// What the model was built from.
    public let manifest: ModelManifest
    /// The rows.
    public let rows: RowIndex
    /// Neighbours that vote.
    public let k: Int
    /// Bytes of index mapped (what a ``ModelHost`` budget counts).
    public var byteCount: Int { rows.file.storage.byteCount }

    /// The default parameters.
    public static let defaultParams = ["k": "5"]

    /// Wraps loaded rows; `k` comes from the manifest's params.
    public init(manifest: ModelManifest, rows: RowIndex) throws(RemitError) {
        self.manifest = manifest
        self.rows = rows
        k = try ModelParams.int(manifest.params, "k", default: 5, range: 1...1024)
    }

    /// What a query gives before attribution.
    public struct Evaluation: Sendable {
        /// Row indices, nearest first.
        public var ranking: [Int]
        /// Squared distances by row index.
        public var distances: [Double]
        /// Shapley values by rank.
        public var values: [Double]
        /// The predicted output.
        public var output: String
    }

    /// Ranks the rows for `query`, predicts, and computes every row's Shapley value.
    public func evaluate(_ query: [Double]) throws(RemitError) -> Evaluation {
        let f = rows.featureCount
        guard query.count == f else {
            throw RemitError(.modelBadRequest, "model \(manifest.name) takes \(f) features (\(rows.featureNames.joined(separator: ", "))); the request has \(query.count)")
        }
        let n = rows.count
        var distances = [Double](repeating: 0, count: n)
        let values = rows.values
        query.withUnsafeBufferPointer { q in
            for i in 0..<n {
                var d = 0.0
                let base = i * f
                for j in 0..<f {
                    let delta = values[base + j] - q[j]
                    d += delta * delta
                }
                distances[i] = d
            }
        }
        let ranking = KNNShapley.ranking(distances)
        let m = min(k, n)
        let output: String
        var utility: [Double]
        if rows.isClassification {
            var votes: [UInt32: Int] = [:]
            var firstRank: [UInt32: Int] = [:]
            for (rank, i) in ranking.prefix(m).enumerated() {
                let c = rows.classOf[i]
                votes[c, default: 0] += 1
                if firstRank[c] == nil { firstRank[c] = rank }
            }
            let predicted = votes.keys.min { a, b in votes[a]! != votes[b]! ? votes[a]! > votes[b]! : firstRank[a]! < firstRank[b]! }
            output = predicted.map { rows.classNames.string(Int($0)) } ?? ""
            utility = ranking.map { rows.classOf[$0] == predicted ? 1 : 0 }
        } else {
            var sum = 0.0
            for i in ranking.prefix(m) { sum += rows.targets[i] }
            output = m == 0 ? "" : (sum / Double(m)).description
            utility = ranking.map { rows.targets[$0] }
        }
        return Evaluation(ranking: ranking, distances: distances, values: KNNShapley.values(rankedF: utility, k: k), output: output)
    }

    /// Answers a request of this model's family, with its attribution (docs/PROTOCOL.md §10.4).
    public func answer(_ request: ModelRequest) throws(RemitError) -> ModelAnswer {
        try check(request)
        guard case .features(let query) = request.input else { fatalError("checked above") }
        let evaluation = try evaluate(query)
        var credited: [AttributionTally.DocumentUnits] = []
        var positive: UInt64 = 0
        var absolute: UInt64 = 0
        for (rank, i) in evaluation.ranking.enumerated() {
            let value = evaluation.values[rank]
            let units = ExactMath.units(abs(value), shift: 40)
            absolute += units
            if value > 0 && units > 0 {
                positive += units
                credited.append(AttributionTally.DocumentUnits(document: i, units: units))
            }
        }
        credited.sort { $0.document < $1.document }
        let (entries, credits) = try AttributionTally.finish(credited, rows.documents)
        var explanation = Explanation()
        explanation.credits = credits
        explanation.method = "knn-shapley: exact kNN-Shapley values (Jia et al. 2019), positive values credited by share"
        var top: [Int] = []  // ranks of the ten largest values, largest first, ties to the nearer rank
        for rank in evaluation.ranking.indices {
            let value = evaluation.values[rank]
            if top.count == 10, let last = top.last, !(value > evaluation.values[last]) { continue }
            let at = top.firstIndex { value > evaluation.values[$0] } ?? top.count
            top.insert(rank, at: at)
            if top.count > 10 { top.removeLast() }
        }
        explanation.neighbours = top.map { rank in
            let i = evaluation.ranking[rank]
            return NeighbourValue(contribution: rows.documents.contribution(i), label: rows.documents.labels.string(i),
                                  distance: evaluation.distances[i], target: rows.targetText(i), shapley: evaluation.values[rank])
        }
        let coverage: UInt16 = entries.isEmpty || absolute == 0 ? 0 : UInt16(max(1, absolute.dividingFullWidth(positive.multipliedFullWidth(by: 10_000)).quotient))
        return ModelAnswer(output: evaluation.output, outputTokens: 1, coverageBps: coverage, attribution: entries, explanation: explanation)
    }
}
