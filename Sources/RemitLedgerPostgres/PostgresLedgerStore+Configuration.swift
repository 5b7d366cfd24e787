import Foundation
public import RemitCore

extension RemitError.Code {
    /// A ledger location (a `postgres://` URL) that cannot be used: malformed, or an unknown option.
    public static let ledgerBadURL = Self("ledger.bad_url")
}

extension PostgresLedgerStore {
    /// Where a PostgreSQL ledger lives, read from a URL:
    /// `postgres://user[:password]@host[:port]/database[?schema=name&sslmode=disable|prefer|require|verify-full&pool=n]`.
    ///
    /// `schema` (default `public`) lets several ledgers share one database; it is created when
    /// missing. `host=/dir` as a query item connects through the Unix socket in `/dir` instead of
    /// TCP. The password may also come from `$PGPASSWORD`. `pool` caps this process's connections.
    public struct Configuration: Sendable, Hashable, CustomStringConvertible {
        /// Whether to use TLS, as libpq's `sslmode`: `prefer` and `require` encrypt without
        /// checking the server's certificate (as libpq does); `verify-full` checks it and the host name.
        public enum TLSMode: String, Sendable, Hashable, CaseIterable {
            /// Plain TCP.
            case disable
            /// TLS when the server offers it (the default, as libpq).
            case prefer
            /// TLS or no connection.
            case require
            /// TLS with the server's certificate checked against the system's roots and the host name.
            case verifyFull = "verify-full"
        }

        /// Host name or address (TCP).
        public var host: String
        /// TCP port (also names the Unix socket file).
        public var port: Int
        /// The directory of the server's Unix socket, when connecting through it.
        public var socketDirectory: String?
        /// The role to log in as.
        public var username: String
        /// Its password, if the server asks for one.
        public var password: String?
        /// The database.
        public var database: String
        /// The schema holding the ledger's tables.
        public var schema: String
        /// TLS use.
        public var tls: TLSMode
        /// The most connections this process opens to the server.
        public var maximumConnections: Int

        /// True when `text` is a PostgreSQL URL (`postgres://` or `postgresql://`) rather than a file path.
        public static func isURL(_ text: String) -> Bool {
            text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
        }

        /// Reads a `postgres://` URL; refuses anything it would have to guess about.
        public init(url text: String) throws(RemitError) {
            try self.init(url: text, environment: ProcessInfo.processInfo.environment)
        }

        /// Reads a `postgres://` URL, taking `PGUSER` and `PGPASSWORD` from `environment`.
        public init(url text: String, environment: [String: String]) throws(RemitError) {
            func bad(_ rule: String) -> RemitError {
                RemitError(.ledgerBadURL, "ledger URL \(Configuration.redacted(text)): \(rule)")
            }
            guard Configuration.isURL(text), let components = URLComponents(string: text) else {
                throw bad("expected postgres://user@host:port/database")
            }
            var host = components.host ?? ""
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            self.host = host.isEmpty ? "localhost" : host
            port = components.port ?? 5432
            guard (1...65_535).contains(port) else { throw bad("port \(port) is outside 1...65535") }
            username = components.user ?? environment["PGUSER"] ?? "postgres"
            guard !username.isEmpty else { throw bad("the user name is empty") }
            password = components.password ?? environment["PGPASSWORD"]
            let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
            guard !path.contains("/") else { throw bad("the path must be one database name, not \(path)") }
            database = path.isEmpty ? username : path
            schema = "public"
            tls = .prefer
            socketDirectory = nil
            maximumConnections = 8
            for item in components.queryItems ?? [] {
                let value = item.value ?? ""
                switch item.name {
                case "schema":
                    guard Configuration.isIdentifier(value) else {
                        throw bad("schema \(value) must be 1 to 63 lower-case letters, digits or _, not starting with a digit")
                    }
                    schema = value
                case "sslmode":
                    guard let mode = TLSMode(rawValue: value) else {
                        throw bad("sslmode \(value) is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    tls = mode
                case "host":
                    guard value.hasPrefix("/") else { throw bad("host=\(value) must be an absolute socket directory") }
                    socketDirectory = value
                case "pool":
                    guard let count = Int(value), (1...100).contains(count) else { throw bad("pool=\(value) must be 1...100") }
                    maximumConnections = count
                default:
                    throw bad("unknown option \(item.name) (known: schema, sslmode, host, pool)")
                }
            }
        }

        /// The same ledger location in another schema of the same database.
        public func inSchema(_ name: String) throws(RemitError) -> Configuration {
            guard Configuration.isIdentifier(name) else {
                throw RemitError(.ledgerBadURL, "schema \(name) must be 1 to 63 lower-case letters, digits or _, not starting with a digit")
            }
            var copy = self
            copy.schema = name
            return copy
        }

        /// The URL, without the password.
        public var description: String {
            var query: [String] = []
            if schema != "public" { query.append("schema=\(schema)") }
            if tls != .prefer { query.append("sslmode=\(tls.rawValue)") }
            if let socketDirectory { query.append("host=\(socketDirectory)") }
            if maximumConnections != 8 { query.append("pool=\(maximumConnections)") }
            let hostPart = host.contains(":") ? "[\(host)]" : host
            return "postgres://\(username)@\(hostPart):\(port)/\(database)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        }

        /// A plain lower-case SQL identifier that needs no quoting.
        static func isIdentifier(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            guard let first = bytes.first, bytes.count <= 63 else { return false }
            func letter(_ b: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || b == UInt8(ascii: "_") }
            return letter(first) && bytes.allSatisfy { letter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        }

        /// `text` with any password replaced by `***`, for messages.
        static func redacted(_ text: String) -> String {
            guard var components = URLComponents(string: text), components.password != nil else { return text }
            components.password = "***"
            return components.string ?? text
        }
    }
}
