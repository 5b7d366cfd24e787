import Foundation
public import RemitCore
public import RemitCrypto
import Synchronization

/// The operator's signature on an admin request (docs/PROTOCOL.md §12.7): the header
/// `X-Remit-Admin: t=<unix seconds>,sig=<128 hex digits>` signs, with the ledger operator's key,
/// the canonical bytes `tag "remit/http-admin/v1" ‖ ledger id ‖ method ‖ path ‖ BLAKE2b-256(body) ‖ t`
/// (strings length-prefixed as in §2). A server accepts it within `window` seconds of its clock
/// and only once.
public struct AdminSignature: Sendable, Hashable {
    /// The domain tag.
    public static let tag = "remit/http-admin/v1"
    /// When it was signed (Unix seconds).
    public var timestamp: UInt64
    /// The operator's signature.
    public var signature: Signature

    /// The bytes signed for a request.
    public static func signedBytes(ledger: LedgerID, method: String, path: String, body: [UInt8], timestamp: UInt64) -> [UInt8] {
        var writer = CanonicalWriter(capacity: 128 + path.utf8.count)
        writer.writeTag(tag)
        writer.write(ledger)
        writer.write(method)
        writer.write(path)
        writer.write(BLAKE2b.hash(body))
        writer.write(timestamp)
        return writer.bytes
    }

    /// Signs a request with the operator's key.
    public static func sign(ledger: LedgerID, method: String, path: String, body: [UInt8], timestamp: UInt64, key: SigningKey) -> AdminSignature {
        AdminSignature(timestamp: timestamp, signature: key.sign(signedBytes(ledger: ledger, method: method, path: path, body: body, timestamp: timestamp)))
    }

    /// The header value: `t=<seconds>,sig=<hex>`.
    public var headerValue: String { "t=\(timestamp),sig=\(signature.hex)" }

    /// Parses a header value.
    public init(headerValue: some StringProtocol) throws(RemitError) {
        var t: UInt64?
        var sig: Signature?
        for part in headerValue.split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { t = UInt64(pair[1]) }
            if pair[0] == "sig" { sig = try? Signature(hex: pair[1]) }
        }
        guard let t, let sig else {
            throw RemitError(.adminUnauthorized, "\(HTTPWire.adminHeader) must be t=<unix seconds>,sig=<128 hex digits>")
        }
        self.init(timestamp: t, signature: sig)
    }

    /// Creates a signature value.
    public init(timestamp: UInt64, signature: Signature) {
        self.timestamp = timestamp
        self.signature = signature
    }
}

/// Checks admin signatures: the operator's key, the time window, and that no signature is used twice.
final class AdminGuard: Sendable {
    let operatorKey: PublicKey
    let ledger: LedgerID
    let window: UInt64
    /// Signatures accepted within the window, with their timestamps (guarded by the Mutex).
    private let seen = Mutex<[Signature: UInt64]>([:])

    init(operatorKey: PublicKey, ledger: LedgerID, window: UInt64 = 300) {
        self.operatorKey = operatorKey
        self.ledger = ledger
        self.window = window
    }

    func check(header: String?, method: String, path: String, body: [UInt8], now: UInt64) throws(RemitError) {
        guard let header else {
            throw RemitError(.adminUnauthorized, "admin routes need the \(HTTPWire.adminHeader) header signed by the ledger operator \(AccountID(operatorKey))")
        }
        let admin = try AdminSignature(headerValue: header)
        let skew = admin.timestamp > now ? admin.timestamp - now : now - admin.timestamp
        guard skew <= window else {
            throw RemitError(.adminUnauthorized, "admin signature time \(admin.timestamp) is \(skew) s from the server's \(now); at most \(window) s are accepted")
        }
        let bytes = AdminSignature.signedBytes(ledger: ledger, method: method, path: path, body: body, timestamp: admin.timestamp)
        guard operatorKey.isValidSignature(admin.signature, for: bytes) else {
            throw RemitError(.adminUnauthorized, "admin signature does not verify under the ledger operator \(AccountID(operatorKey)) for \(method) \(path)")
        }
        let fresh = seen.withLock { seen -> Bool in
            seen = seen.filter { now <= $0.value + window }
            guard seen[admin.signature] == nil else { return false }
            seen[admin.signature] = admin.timestamp
            return true
        }
        guard fresh else { throw RemitError(.adminReplayed, "this admin signature (t=\(admin.timestamp)) was already used; sign each request anew") }
    }
}
