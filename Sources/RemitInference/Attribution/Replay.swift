public import RemitCore
import RemitCrypto

/// Replays a receipt: rebuilds the model from the datanet snapshots at the versions its manifest
/// names, answers the request again, and compares everything the receipt commits to.
public enum Replay {
    /// The outcome of a replay.
    public struct Result: Sendable {
        /// The first difference found, or nil when everything matches.
        public var firstDifference: String?
        /// The recomputed answer (nil when the replay stopped before answering).
        public var answer: ModelAnswer?

        /// True when the receipt matches the recomputation.
        public var isMatch: Bool { firstDifference == nil }
    }

    /// Checks, in order: the receipt's signature; that its model id is the manifest's name under
    /// the signer and its modelVersion the manifest's; its requestDigest; that the snapshots are
    /// the manifest's datanet versions; then, recomputed, responseDigest, outputTokens,
    /// coverageBps and every attribution entry. Returns the first difference.
    public static func verifyAttribution(
        receipt: Signed<Receipt>, request: ModelRequest, manifest: ModelManifest, snapshots: [DatanetSnapshot]
    ) throws(RemitError) -> Result {
        func differ(_ text: String) -> Result { Result(firstDifference: text, answer: nil) }
        do {
            try receipt.verify()
        } catch {
            return differ("receipt does not verify: \(error.message) [\(error.code)]")
        }
        let r = receipt.message
        let expectedModel = manifest.modelID(owner: receipt.signer)
        if r.model != expectedModel {
            return differ("receipt model \(r.model) is not model \"\(manifest.name)\" of the signer (\(expectedModel))")
        }
        if r.modelVersion != manifest.modelVersion {
            return differ("receipt modelVersion \(r.modelVersion) is not the manifest's \(manifest.modelVersion)")
        }
        if r.requestDigest != request.digest {
            return differ("receipt requestDigest \(r.requestDigest) is not the request's digest \(request.digest)")
        }
        let given = snapshots.map(\.reference).sorted { $0.datanet < $1.datanet }
        for wanted in manifest.datanets where !given.contains(wanted) {
            return differ("no snapshot of datanet \(wanted.datanet) at version \(wanted.version) was given")
        }
        let used = snapshots.filter { manifest.datanets.contains($0.reference) }
        let model = try ModelFactory.buildInMemory(manifest, snapshots: used)
        let answer = try model.answer(request)
        func mismatch(_ text: String) -> Result { Result(firstDifference: text, answer: answer) }
        if r.responseDigest != answer.responseDigest {
            return mismatch("responseDigest: receipt \(r.responseDigest), replay \(answer.responseDigest) (replayed output: \"\(answer.output.prefix(80))\")")
        }
        if r.outputTokens != answer.outputTokens { return mismatch("outputTokens: receipt \(r.outputTokens), replay \(answer.outputTokens)") }
        if r.coverageBps != answer.coverageBps { return mismatch("coverageBps: receipt \(r.coverageBps), replay \(answer.coverageBps)") }
        for i in 0..<max(r.attribution.count, answer.attribution.count) {
            guard i < r.attribution.count else {
                return mismatch("attribution[\(i)]: receipt has \(r.attribution.count) entries, replay credits also \(answer.attribution[i].contribution)")
            }
            guard i < answer.attribution.count else {
                return mismatch("attribution[\(i)]: receipt credits \(r.attribution[i].contribution), replay has only \(answer.attribution.count) entries")
            }
            let a = r.attribution[i]
            let b = answer.attribution[i]
            if a.contribution != b.contribution { return mismatch("attribution[\(i)].contribution: receipt \(a.contribution), replay \(b.contribution)") }
            if a.contributor != b.contributor { return mismatch("attribution[\(i)].contributor: receipt \(AccountID(a.contributor)), replay \(AccountID(b.contributor))") }
            if a.weightBps != b.weightBps { return mismatch("attribution[\(i)].weightBps (\(a.contribution)): receipt \(a.weightBps), replay \(b.weightBps)") }
        }
        return Result(firstDifference: nil, answer: answer)
    }

    /// Replays a bundle against datanets on disk, taking each at the version the manifest names;
    /// the rebuild and the answer run off the cooperative thread pool.
    public static func verifyAttribution(bundle: ReceiptBundle, datanets: [Datanet]) async throws(RemitError) -> Result {
        var snapshots: [DatanetSnapshot] = []
        for reference in bundle.manifest.datanets {
            guard let datanet = datanets.first(where: { $0.id == reference.datanet }) else {
                return Result(firstDifference: "datanet \(reference.datanet) named by the manifest was not given", answer: nil)
            }
            do {
                snapshots.append(try await datanet.snapshot(at: reference.version))
            } catch {
                if error.code == .datanetUnknownVersion || error.code == .datanetInvalid {
                    return Result(firstDifference: "datanet \(datanet.name): \(error.message)", answer: nil)
                }
                throw error
            }
        }
        let frozen = snapshots
        // Rebuilding an index is CPU work: run it on the inference queue, not the cooperative pool.
        return try await ModelHost.offPool { () throws(RemitError) in
            try verifyAttribution(receipt: bundle.receipt, request: bundle.request, manifest: bundle.manifest, snapshots: frozen)
        }.get()
    }
}
