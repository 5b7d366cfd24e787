public import RemitCore

extension MarketConfig {
    /// The same market with every owner's payee book in `folder`, as `folder/<owner name>.sqlite`.
    ///
    /// A payee book is a single-process SQLite book, so several nodes serving the same owners on
    /// one shared ledger each need their own (`remit serve --books DIR`). Owner names become file
    /// names here: each must be 1 to 64 letters, digits, `-`, `_` or `.`, not starting with `.`,
    /// and no two owners may share one.
    public func withBooks(in folder: String) throws(RemitError) -> MarketConfig {
        guard !folder.isEmpty else { throw RemitError(.marketInvalid, "the books folder is empty: name a folder for the owners' payee books") }
        var copy = self
        var seen: Set<String> = []
        for index in copy.owners.indices {
            let name = copy.owners[index].name
            guard MarketConfig.isBookName(name) else {
                throw RemitError(.marketInvalid, "\(file): owner name \"\(name)\" cannot name a book file in \(folder): use 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'")
            }
            guard seen.insert(name).inserted else {
                throw RemitError(.marketInvalid, "\(file): two owners are named \"\(name)\"; with a books folder each owner's book is <name>.sqlite, so names must differ")
            }
            copy.owners[index].book = folder.hasSuffix("/") ? "\(folder)\(name).sqlite" : "\(folder)/\(name).sqlite"
        }
        return copy
    }

    /// True when `name` is safe as a file name: 1 to 64 ASCII letters, digits, `-`, `_` or `.`, not starting with `.`.
    static func isBookName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...64).contains(bytes.count), bytes[0] != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ".")
        }
    }
}
