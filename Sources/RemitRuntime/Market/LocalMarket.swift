import Foundation
public import Logging
public import RemitCore
import RemitCrypto
import RemitInference
public import RemitLedger

/// A market opened in this process from a ``MarketConfig``: the ledger, its datanets registered,
/// and every owner listing its models, with a ``ModelEndpoint`` per model for wallets to use.
public struct LocalMarket: Sendable {
    /// The configuration it was opened from.
    public let config: MarketConfig
    /// The ledger.
    public let ledger: Ledger
    /// The ledger as wallets and owners reach it.
    public let access: LocalLedgerAccess
    /// The model owners.
    public let owners: [ModelOwner]
    /// One endpoint per listed model.
    public let endpoints: [LocalModelEndpoint]

    /// Opens the market: the ledger (which must exist), registers the datanets' messages that are
    /// missing, opens each owner's payee book and lists its models (re-using a listing the ledger
    /// already holds when nothing changed).
    ///
    /// `ledger`, when given, is used instead of opening `config.ledger`: that is how a caller that
    /// links another store (`remit serve` on PostgreSQL) hands over a ledger it opened itself.
    /// Several nodes may open the same market on one shared ledger at once: datanet messages
    /// another node registered first are skipped, and a listing another node wrote first is
    /// adopted (or superseded when it differs).
    public static func open(
        _ config: MarketConfig, ledger opened: Ledger? = nil, clock: any LedgerClock = SystemClock(), modelBudgetBytes: Int = 512 << 20,
        logger: Logger = Logger(label: "remit.market")
    ) async throws(RemitError) -> LocalMarket {
        let ledger: Ledger
        if let opened {
            ledger = opened
        } else {
            ledger = try await LedgerOpening.open(config.ledger, clock: clock)
        }
        let access = LocalLedgerAccess(ledger: ledger)
        for folder in config.datanets {
            let datanet = try Datanet(folder: folder)
            guard datanet.ledger == ledger.id else {
                throw RemitError(.marketInvalid, "datanet \(folder) is signed for ledger \(datanet.ledger), not \(ledger.id); create it with --ledger-id \(ledger.id)")
            }
            let added = try await access.register(datanetMessages: await datanet.ledgerMessages())
            if added > 0 { logger.info("registered datanet messages", metadata: ["datanet": "\(folder)", "count": "\(added)"]) }
        }
        let host = ModelHost(budgetBytes: modelBudgetBytes, logger: logger)
        var owners: [ModelOwner] = []
        var endpoints: [LocalModelEndpoint] = []
        for ownerConfig in config.owners {
            let key: SigningKey
            do {
                guard let file = FileManager.default.contents(atPath: ownerConfig.key) else {
                    throw RemitError(.marketInvalid, "\(config.file): owner \(ownerConfig.name): cannot read keystore \(ownerConfig.key)")
                }
                key = try Keystore.open(Array(file), password: try ownerConfig.password.read())
            } catch let error as RemitError {
                throw error
            } catch {
                throw RemitError(.marketInvalid, "\(config.file): owner \(ownerConfig.name): \(error)")
            }
            let owner: ModelOwner
            do {
                owner = try ModelOwner(key: key, ledger: access, bookPath: ownerConfig.book, host: host, logger: logger)
            } catch let error as RemitError {
                throw error
            } catch {
                throw RemitError(.marketInvalid, "\(config.file): owner \(ownerConfig.name): cannot open its book \(ownerConfig.book): \(error)")
            }
            for model in ownerConfig.models {
                let policy = try PolicyDocument.load(path: model.policy).revenue(file: model.policy)
                let listing = try await owner.list(folder: model.folder, policy: policy, tags: model.tags)
                endpoints.append(LocalModelEndpoint(owner: owner, model: listing.message.model))
            }
            owners.append(owner)
        }
        return LocalMarket(config: config, ledger: ledger, access: access, owners: owners, endpoints: endpoints)
    }
}

/// Opens a ledger named by a path or URL.
public enum LedgerOpening {
    /// True when `location` names a PostgreSQL ledger (`postgres://` or `postgresql://`) rather than a file.
    static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Opens the ledger at `location`: a SQLite file path. A PostgreSQL URL is refused here (this
    /// layer does not link the PostgreSQL store): open it with `PostgresLedgerStore` and pass the
    /// ledger to ``LocalMarket/open(_:ledger:clock:modelBudgetBytes:logger:)``, as `remit` does.
    public static func open(_ location: String, clock: any LedgerClock) async throws(RemitError) -> Ledger {
        if isPostgres(location) {
            throw RemitError(.marketInvalid, "the ledger is a PostgreSQL URL, which LedgerOpening does not open (it opens SQLite files): open it with PostgresLedgerStore and pass the Ledger to LocalMarket.open(_:ledger:)")
        }
        guard FileManager.default.fileExists(atPath: location) else {
            throw RemitError(.marketInvalid, "no ledger at \(location); create one with `remit ledger init --path \(location)`")
        }
        return try await Ledger.open(store: try SQLiteLedgerStore(path: location), clock: clock)
    }
}
