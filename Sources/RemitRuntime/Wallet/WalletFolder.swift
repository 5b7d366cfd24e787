import Foundation
public import RemitChannels
public import RemitCore
public import RemitCrypto

/// An agent's wallet on disk: its sealed key (`agent.key`), its payer book (`book.sqlite`) and its
/// event log (`events.jsonl`).
public struct WalletFolder: Sendable {
    /// The folder.
    public let path: String

    /// The wallet in `path`.
    public init(path: String) { self.path = path }

    /// The sealed key.
    public var keyFile: String { (path as NSString).appendingPathComponent("agent.key") }
    /// The payer book.
    public var bookFile: String { (path as NSString).appendingPathComponent("book.sqlite") }
    /// The event log.
    public var eventsFile: String { (path as NSString).appendingPathComponent("events.jsonl") }

    /// Opens the wallet's key, creating the folder and a new key sealed under `password` when
    /// there is none yet.
    public func openOrCreateKey(password: [UInt8], limits: Keystore.Limits = .interactive) throws(RemitError) -> (key: SigningKey, created: Bool) {
        let fm = FileManager.default
        if let data = fm.contents(atPath: keyFile) {
            do {
                return (try Keystore.open(Array(data), password: password), false)
            } catch {
                throw RemitError(.runtimeIO, "wallet key \(keyFile): \(error.message) [\(error.code)]")
            }
        }
        do {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RemitError(.runtimeIO, "cannot create the wallet folder \(path): \(error)")
        }
        let key = SigningKey()
        let sealed: [UInt8]
        do {
            sealed = try Keystore.seal(key, password: password, limits: limits)
        } catch {
            throw RemitError(.runtimeIO, "cannot seal the wallet key: \(error.message)")
        }
        guard fm.createFile(atPath: keyFile, contents: Data(sealed), attributes: [.posixPermissions: 0o600]) else {
            throw RemitError(.runtimeIO, "cannot write \(keyFile)")
        }
        return (key, true)
    }

    /// The wallet's public key, read without the password.
    public func publicKey() throws(RemitError) -> PublicKey {
        guard let data = FileManager.default.contents(atPath: keyFile) else {
            throw RemitError(.runtimeIO, "no wallet at \(path) (\(keyFile) is missing); run an agent with --wallet \(path) first")
        }
        do {
            return try Keystore.inspect(Array(data)).publicKey
        } catch {
            throw RemitError(.runtimeIO, "wallet key \(keyFile): \(error.message)")
        }
    }

    /// The payer book's channels and receipts, read without the key.
    public func contents() throws(RemitError) -> PayerBook.Contents { try PayerBook.inspect(path: bookFile) }
}
