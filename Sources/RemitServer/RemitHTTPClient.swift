import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
public import RemitCore
public import RemitCrypto

/// The HTTP client side of the API: JSON in and out, refusals turned back into the server's
/// ``RemitError`` (same code and message), admin requests signed with the operator key. Built
/// on AsyncHTTPClient with a connection pool sized for many concurrent agents. Call
/// ``shutdown()`` when done.
public final class RemitHTTPClient: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:8402`.
    public let baseURL: String
    let client: HTTPClient
    let timeout: TimeAmount
    private let closed = Atomic<Bool>(false)

    /// A client for the server at `baseURL`, keeping up to `connections` connections open.
    public init(baseURL: String, connections: Int = 64, timeoutSeconds: Int64 = 60) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections))
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(timeoutSeconds))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        timeout = .seconds(timeoutSeconds)
    }

    /// Closes the connections.
    public func shutdown() async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        try? await client.shutdown()
    }

    deinit {
        // A client dropped without shutdown() (an error path): close its connections in the background.
        if !closed.load(ordering: .relaxed) { _ = client.shutdown() }
    }

    /// A response: status, headers and body.
    public struct Reply: Sendable {
        /// The status code.
        public var status: Int
        /// Headers by lower-cased name (first value).
        public var headers: [String: String]
        /// The body.
        public var body: [UInt8]

        /// A header's value, by name in any case.
        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// Sends a request and returns whatever the server answered.
    public func send(_ method: String, _ path: String, body: [UInt8]? = nil, headers: [(String, String)] = []) async throws(RemitError) -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(request, timeout: timeout)
            var buffer = try await response.body.collect(upTo: 64 << 20)
            var fields: [String: String] = [:]
            for header in response.headers where fields[header.name.lowercased()] == nil { fields[header.name.lowercased()] = header.value }
            return Reply(status: Int(response.status.code), headers: fields, body: buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch {
            throw RemitError(.httpUnreachable, "\(method) \(baseURL)\(path) failed: \(error)")
        }
    }

    /// Sends a request and decodes a 2xx JSON answer; any other status throws the server's error.
    public func call<T: Decodable>(_ method: String, _ path: String, body: [UInt8]? = nil, headers: [(String, String)] = [],
                                   as type: T.Type) async throws(RemitError) -> T {
        let reply = try await send(method, path, body: body, headers: headers)
        guard (200..<300).contains(reply.status) else { throw RemitHTTPClient.error(reply, method: method, path: path) }
        do {
            return try MessageJSON.decode(type, from: reply.body)
        } catch {
            throw RemitError(.httpBadResponse, "\(method) \(path): the \(reply.status) answer does not decode: \(error.message)")
        }
    }

    /// Sends an admin request signed with the ledger operator's key (docs/PROTOCOL.md §12.7).
    public func admin<T: Decodable>(_ path: String, body: [UInt8], ledger: LedgerID, operatorKey: SigningKey, as type: T.Type) async throws(RemitError) -> T {
        let signature = AdminSignature.sign(ledger: ledger, method: "POST", path: path, body: body, timestamp: UInt64(Date().timeIntervalSince1970),
                                            key: operatorKey)
        return try await call("POST", path, body: body, headers: [(HTTPWire.adminHeader, signature.headerValue)], as: type)
    }

    /// The server's error in a non-2xx reply.
    static func error(_ reply: Reply, method: String, path: String) -> RemitError {
        if let failure = try? MessageJSON.decode(HTTPBodies.Failure.self, from: reply.body) {
            return RemitError(RemitError.Code(failure.error.code), failure.error.message)
        }
        return RemitError(.httpBadResponse, "\(method) \(path) answered \(reply.status) without a Remit error body")
    }
}
