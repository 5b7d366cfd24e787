import Foundation
public import RemitCore
public import RemitCrypto

extension FortunesImporter {
    /// What an import did.
    public struct Report: Sendable {
        /// Quotes added.
        public var added: Int
        /// Exact duplicates refused.
        public var duplicates: Int
        /// Quotes credited to a named author.
        public var attributed: Int
        /// Distinct contributors (authors, plus the community contributor when used).
        public var contributors: Int
    }

    /// Imports fortune collections into `folder`: creates the datanet (curator key and custodian
    /// sealed under `password`) when the folder holds none, signs each quote with its author's
    /// custodial key, and adds them all as one version. Duplicates are refused and counted.
    public static func importCollections(
        _ files: [String], into folder: String, name: String = "fortunes", ledger: LedgerID, bond: Amount = .zero,
        password: [UInt8], limits: Keystore.Limits, read: (String) throws(RemitError) -> [UInt8]
    ) async throws(RemitError) -> (Datanet, Report) {
        let datanet: Datanet
        let custodian: Custodian
        if DatanetFiles.exists(DatanetFiles.path(folder, "datanet.json")) {
            datanet = try Datanet(folder: folder)
            custodian = try DatanetKeys.custodian(in: folder, password: password)
        } else {
            let curator = SigningKey()
            datanet = try Datanet.create(in: folder, name: name, description: "Quotations from the Debian fortunes collections",
                                         curator: curator, ledger: ledger, bond: bond, holdingPeriod: 7 * 86_400)
            custodian = try DatanetKeys.seal(curator: curator, in: folder, password: password, limits: limits)
        }
        var entries: [Entry] = []
        for file in files {
            entries += parse(try read(file), collection: (file as NSString).lastPathComponent)
        }
        let (pending, contributors) = self.pending(entries, custodian: custodian)
        try DatanetKeys.record(contributors: contributors, in: folder)
        let report = try await datanet.add(pending)
        return (datanet, Report(added: report.added.count, duplicates: report.duplicates.count,
                                attributed: entries.filter { $0.author != nil }.count, contributors: contributors.count))
    }
}
