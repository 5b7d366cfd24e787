import RemitCore
import RemitRuntime
import Testing

/// `remit serve --books DIR`: each node on a shared ledger keeps its owners' payee books apart.
@Suite("Market file: books folder")
struct MarketConfigBooksTests {
    static func market(owners: [String]) throws -> MarketConfig {
        let blocks = owners.map { name in
            """
              - name: \(name)
                key: owners/\(name).key
                demoPassword: true
                book: owners/\(name).sqlite
                models: [{ folder: models/m, policy: policies/p.yaml }]
            """
        }
        return try MarketConfig.parse("ledger: \"postgres://remit@db:5432/remit?schema=m\"\nowners:\n" + blocks.joined(separator: "\n"),
                                      file: "/srv/m/market.yaml")
    }

    @Test("every owner's book moves to DIR/<name>.sqlite; the rest of the market stays")
    func moves() throws {
        let config = try MarketConfigBooksTests.market(owners: ["fortunes", "signals_2"])
        #expect(config.ledger == "postgres://remit@db:5432/remit?schema=m")
        #expect(config.owners.map(\.book) == ["/srv/m/owners/fortunes.sqlite", "/srv/m/owners/signals_2.sqlite"])
        let node = try config.withBooks(in: "/var/lib/node2")
        #expect(node.owners.map(\.book) == ["/var/lib/node2/fortunes.sqlite", "/var/lib/node2/signals_2.sqlite"])
        #expect(try config.withBooks(in: "node3/").owners.map(\.book) == ["node3/fortunes.sqlite", "node3/signals_2.sqlite"])
        #expect(node.owners.map(\.key) == config.owners.map(\.key))
        #expect(node.ledger == config.ledger)
    }

    @Test("owner names that cannot name a file, or name the same one, are refused", arguments: [["../x"], [".hidden"], ["a/b"], ["same", "same"]])
    func refused(owners: [String]) throws {
        let config = try MarketConfigBooksTests.market(owners: owners)
        #expect(throws: RemitError.self) { try config.withBooks(in: "books") }
    }

    @Test("an empty books folder is refused")
    func emptyFolder() throws {
        let config = try MarketConfigBooksTests.market(owners: ["fortunes"])
        let error = #expect(throws: RemitError.self) { try config.withBooks(in: "") }
        #expect(error?.code == .marketInvalid)
    }
}
