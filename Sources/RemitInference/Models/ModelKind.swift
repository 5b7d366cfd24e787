/// The kinds of model Remit builds; the raw value is the `kind` of a listing and a manifest.
public enum ModelKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// ∞-gram language model over a suffix array (token-level attribution).
    case infinigram
    /// BM25 retrieval with an extractive answer (attribution by score share).
    case bm25
    /// k-nearest-neighbour classification over numeric rows (exact kNN-Shapley attribution).
    case knnClassify = "knn-classify"
    /// k-nearest-neighbour regression over numeric rows (exact kNN-Shapley attribution).
    case knnRegress = "knn-regress"
    /// Verbatim span tracing of any text (OLMoTrace-style).
    case spanTrace = "span-trace"

    /// The listing's `attributionMethod` for this kind.
    public var attributionMethod: String {
        switch self {
        case .infinigram: "infinigram-suffix"
        case .bm25: "bm25-score-share"
        case .knnClassify, .knnRegress: "knn-shapley"
        case .spanTrace: "span-trace"
        }
    }

    /// True for the kinds built from text contributions (the others use numeric rows).
    public var usesText: Bool { self == .infinigram || self == .bm25 || self == .spanTrace }
}
