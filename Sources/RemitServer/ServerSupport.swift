import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import RemitCore
import ServiceLifecycle
import Synchronization

/// Response helpers: every body is JSON with sorted keys, every refusal `{"error": {code, message}}`.
enum Reply {
    static let json = "application/json"

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        bytes(MessageJSON.encode(value, pretty: false), status: status, headers: headers)
    }

    static func bytes(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, contentType: String = json, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func failure(_ error: RemitError, status: HTTPResponse.Status) -> Response {
        json(HTTPBodies.Failure(code: error.code.rawValue, message: error.message), status: status)
    }
}

/// A response already decided by a handler, thrown to unwind (the middleware returns it as is).
struct Decided: Error {
    var response: Response
}

/// Turns every error into a JSON error with the status of its class, counts refusals, and logs
/// server-side failures (code and route only: no body or header is logged).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let metrics: ServerMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        metrics.requests.increment()
        do {
            return try await next(request, context)
        } catch let decided as Decided {
            return decided.response
        } catch let error as RemitError {
            metrics.refused(error.code)
            let status = HTTPStatusMap.status(for: error.code)
            if status == .internalServerError {
                logger.error("request failed", metadata: ["http.route": "\(request.method) \(request.uri.path)", "error.code": "\(error.code)"])
            }
            return Reply.failure(error, status: status)
        } catch let error as any HTTPResponseError {
            let code: RemitError.Code = switch error.status.code {
            case 404, 405: .httpNotFound
            case 413: .httpBodyTooLarge
            case 400..<500: .httpBadRequest
            default: .httpInternal
            }
            metrics.refused(code)
            let message = switch error.status.code {
            case 404: "no route \(request.method) \(request.uri.path); see /openapi.yaml"
            case 413: "the request body is above this server's limit"
            default: "\(error.status)"
            }
            return Reply.failure(RemitError(code, message), status: error.status)
        } catch {
            metrics.refused(.httpInternal)
            logger.error("request failed", metadata: ["http.route": "\(request.method) \(request.uri.path)", "error.type": "\(type(of: error))"])
            return Reply.failure(RemitError(.httpInternal, "the server failed on \(request.method) \(request.uri.path)"), status: .internalServerError)
        }
    }
}

/// Refuses a body whose declared length is above the limit before anything is read (413).
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
            throw RemitError(.httpBodyTooLarge, "the request body is \(length) bytes; this server accepts at most \(maxBodyBytes)")
        }
        return try await next(request, context)
    }
}

/// Cuts off a request that takes longer than the timeout (503 `http.timeout`). The work keeps
/// running to its end, so a payment it accepted is still made durable and the payer's retry
/// with the same voucher gets the answer and receipt. One sweeper (a ``Service``) expires
/// deadlines every 100 ms, so a request costs two dictionary operations, not a timer.
final class RequestTimeout: Service, Sendable {
    let timeout: Duration
    /// Requests in flight: deadline and the result to fail (guarded by the Mutex).
    private let pending = Mutex<(next: UInt64, items: [UInt64: (deadline: ContinuousClock.Instant, shot: OneShot<Response>)])>((0, [:]))

    init(timeout: Duration) { self.timeout = timeout }

    func run(_ work: @escaping @Sendable () async throws -> Response) async throws -> Response {
        let shot = OneShot<Response>()
        let deadline = ContinuousClock.now + timeout
        let id = pending.withLock { pending -> UInt64 in
            pending.next &+= 1
            pending.items[pending.next] = (deadline, shot)
            return pending.next
        }
        Task {
            do { shot.finish(.success(try await work())) } catch { shot.finish(.failure(error)) }
            _ = self.pending.withLock { $0.items.removeValue(forKey: id) }
        }
        return try await shot.value()
    }

    /// Fails every request past its deadline.
    func sweep() {
        let now = ContinuousClock.now
        let expired = pending.withLock { pending -> [OneShot<Response>] in
            let late = pending.items.filter { $0.value.deadline <= now }
            for key in late.keys { pending.items.removeValue(forKey: key) }
            return late.map(\.value.shot)
        }
        for shot in expired {
            shot.finish(.failure(RemitError(.httpTimeout, "the request took longer than this server's \(timeout) timeout; retry (a payment it accepted is kept)")))
        }
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(100)) }
            } catch {
                return
            }
            sweep()
        }
    }
}

/// Set once a graceful shutdown starts (`/healthz` then says `draining`).
final class DrainFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    var isDraining: Bool { flag.load(ordering: .relaxed) }

    func start() { flag.store(true, ordering: .relaxed) }
}

/// A result set once; the first `finish` wins.
final class OneShot<Value: Sendable>: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Value, any Error>?)
        case done(Result<Value, any Error>)
    }

    /// The continuation or the result (guarded by the Mutex).
    private let state = Mutex<State>(.waiting(nil))

    func finish(_ result: Result<Value, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            guard case .waiting(let continuation) = state else { return nil }
            state = .done(result)
            return continuation
        }
        continuation?.resume(with: result)
    }

    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Value, any Error>? in
                switch state {
                case .done(let result): return result
                case .waiting: state = .waiting(continuation); return nil
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}

extension Request {
    /// The body, read up to `limit` bytes (413 above).
    func bytes(limit: Int) async throws -> [UInt8] {
        var buffer = try await body.collect(upTo: limit)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// A header's value.
    func header(_ name: String) -> String? {
        guard let field = HTTPField.Name(name) else { return nil }
        return headers[field]
    }

    /// A query parameter parsed as an integer.
    func integer<T: FixedWidthInteger>(_ name: String, as: T.Type = T.self) throws(RemitError) -> T? {
        guard let text = uri.queryParameters[name[...]] else { return nil }
        guard let value = T(String(text)) else { throw RemitError(.httpBadRequest, "query parameter \(name)=\(text) is not an integer") }
        return value
    }
}

extension MessageJSON {
    /// Decodes a request body, mapping failures to `http.bad_request` unless they are message errors.
    static func decodeBody<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(RemitError) -> T {
        guard !bytes.isEmpty else { throw RemitError(.httpBadRequest, "the request body is empty; it should be JSON (see /openapi.yaml)") }
        return try MessageJSON.decode(type, from: bytes)
    }
}
