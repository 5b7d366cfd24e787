public import RemitCore

/// A loaded, deterministic model: the same manifest, datanet snapshots and request give the
/// same answer and attribution, byte for byte, on every machine.
///
/// ``answer(_:)`` is CPU work: call it from a thread of your own, or through ``ModelHost``,
/// which runs it off the cooperative thread pool.
public protocol Model: Sendable {
    /// What the model was built from.
    var manifest: ModelManifest { get }
    /// Bytes of index the model holds (counted against a ``ModelHost`` budget).
    var byteCount: Int { get }
    /// Answers a request of a kind this model accepts.
    func answer(_ request: ModelRequest) throws(RemitError) -> ModelAnswer
}

extension Model {
    /// Refuses a request of another family than the model's kind.
    func check(_ request: ModelRequest) throws(RemitError) {
        try request.validate()
        guard request.acceptedKinds.contains(manifest.kind) else {
            let accepted = request.acceptedKinds.map(\.rawValue).sorted().joined(separator: " or ")
            throw RemitError(.modelBadRequest, "model \(manifest.name) is a \(manifest.kind.rawValue) model; this request is for a \(accepted) model")
        }
    }
}
