import Foundation
public import RemitCore
public import RemitCrypto

/// The keystores of a datanet folder: `curator.key` (signs the registration and removals) and
/// `custodian.key` (derives the custodial contributor keys, see ``Custodian``), both sealed
/// with the same password; and `contributors.json`, the custodial contributors' public keys by name.
public enum DatanetKeys {
    /// The fixed id of the offline "local" ledger that datanets sign for when no ledger is
    /// given: BLAKE2b-256 of ASCII `remit/local-ledger/v1` and one 0x00 byte.
    public static let localLedger = LedgerID(BLAKE2b.hash(Array("remit/local-ledger/v1".utf8) + [0]))

    /// The password `--demo-password` stands for; it protects nothing and is for the demo only.
    public static let demoPassword = Array("remit demo password".utf8)

    /// Seals `curator` and a new custodian key in `folder`.
    @discardableResult
    public static func seal(curator: SigningKey, in folder: String, password: [UInt8], limits: Keystore.Limits) throws(RemitError) -> Custodian {
        let custodian = SigningKey()
        try write(curator, to: DatanetFiles.path(folder, "curator.key"), password: password, limits: limits)
        try write(custodian, to: DatanetFiles.path(folder, "custodian.key"), password: password, limits: limits)
        return Custodian(key: custodian)
    }

    private static func write(_ key: SigningKey, to path: String, password: [UInt8], limits: Keystore.Limits) throws(RemitError) {
        do {
            try DatanetFiles.write(path, try Keystore.seal(key, password: password, limits: limits), secret: true)
        } catch let error as CryptoError {
            throw RemitError(.fileIO, "cannot seal \(path): \(error.message)", cause: error)
        } catch {
            throw error as! RemitError
        }
    }

    /// Opens `curator.key`.
    public static func curator(in folder: String, password: [UInt8]) throws(RemitError) -> SigningKey {
        try open(DatanetFiles.path(folder, "curator.key"), password: password)
    }

    /// Opens `custodian.key`.
    public static func custodian(in folder: String, password: [UInt8]) throws(RemitError) -> Custodian {
        Custodian(key: try open(DatanetFiles.path(folder, "custodian.key"), password: password))
    }

    private static func open(_ path: String, password: [UInt8]) throws(RemitError) -> SigningKey {
        let file = try DatanetFiles.read(path, what: "keystore")
        do {
            return try Keystore.open(file, password: password)
        } catch {
            throw RemitError(.datanetInvalid, "cannot open \(path): \(error.message) [\(error.code)]", cause: error)
        }
    }

    /// The custodial contributors recorded so far: name → public key.
    public static func contributors(in folder: String) throws(RemitError) -> [String: PublicKey] {
        let path = DatanetFiles.path(folder, "contributors.json")
        guard DatanetFiles.exists(path) else { return [:] }
        return try MessageJSON.decode([String: PublicKey].self, from: try DatanetFiles.read(path, what: "contributor list"))
    }

    /// Adds names to `contributors.json`.
    public static func record(contributors: [String: PublicKey], in folder: String) throws(RemitError) {
        var all = try self.contributors(in: folder)
        all.merge(contributors) { old, _ in old }
        try DatanetFiles.write(DatanetFiles.path(folder, "contributors.json"), MessageJSON.encode(all))
    }
}
