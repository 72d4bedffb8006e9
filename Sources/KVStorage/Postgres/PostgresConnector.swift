import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// Owns this node's connection pool to the writable server of `PostgresOptions.hosts`.
///
/// Finds the server the way libpq's `target_session_attrs=read-write` does: the hosts in order, the
/// first whose `pg_is_in_recovery()` is false. Migrates the schema on it, then keeps its
/// `PostgresClient` until an operation reports that the connection failed or the server became a
/// standby (`discard`); the next operation looks again, so a promoted standby is found without a
/// restart. A failed search is remembered for `retryInterval`: meanwhile operations fail at once.
actor PostgresConnector {
    struct Connected: Sendable {
        let client: PostgresClient
        let host: PostgresOptions.Host
        let id: Int
    }

    private let options: PostgresOptions
    private let schema: PostgresSchema
    private let logger: Logger
    private var current: (connected: Connected, runner: Task<Void, Never>)?
    private var search: Task<(Connected, Task<Void, Never>), any Error>?
    private var lastFailure: (at: ContinuousClock.Instant, error: StorageError)?
    private var nextID = 0
    private var closed = false
    static let retryInterval: Duration = .milliseconds(500)

    init(options: PostgresOptions, schema: PostgresSchema, logger: Logger) {
        self.options = options
        self.schema = schema
        self.logger = logger
    }

    /// The pool of the writable server, found first when there is none.
    func connected() async throws -> Connected {
        if closed { throw StorageError.closed }
        if let current { return current.connected }
        if let lastFailure, ContinuousClock.now - lastFailure.at < Self.retryInterval { throw lastFailure.error }
        let search = self.search ?? startSearch()
        do {
            let found = try await search.value
            if self.search == search { self.search = nil }
            if closed {
                found.1.cancel()
                throw StorageError.closed
            }
            if current == nil {
                current = found
                lastFailure = nil
                logger.info("kvstore storage connected", metadata: ["host": "\(found.0.host)"])
            }
            return current!.connected
        } catch {
            if self.search == search { self.search = nil }
            let failure = error as? StorageError ?? StorageError(.unavailable, "\(error)")
            lastFailure = (ContinuousClock.now, failure)
            throw failure
        }
    }

    /// Drops the pool `id` after its connection failed or its server stopped accepting writes.
    func discard(_ id: Int, reason: String) {
        guard let current, current.connected.id == id else { return }
        logger.warning("kvstore storage connection lost", metadata: ["host": "\(current.connected.host)", "reason": "\(reason)"])
        current.runner.cancel()
        self.current = nil
    }

    func close() {
        closed = true
        current?.runner.cancel()
        current = nil
        search?.cancel()
    }

    private func startSearch() -> Task<(Connected, Task<Void, Never>), any Error> {
        nextID += 1
        let id = nextID
        let options = options, schema = schema, logger = logger
        // Detached here and below: a task started while a request is served would inherit its
        // task-locals, and log the shared connection's lines under that request's id.
        let task = Task.detached { try await Self.findWritable(options: options, schema: schema, id: id, logger: logger) }
        search = task
        return task
    }

    /// The first host of the list that accepts writes, its pool running and the schema migrated.
    private static func findWritable(
        options: PostgresOptions, schema: PostgresSchema, id: Int, logger: Logger
    ) async throws -> (Connected, Task<Void, Never>) {
        var reasons: [String] = []
        for host in options.hosts {
            // One plain connection to ask (it fails at once where the pool would wait), then the pool.
            do {
                let writable = try await Deadline.run(seconds: options.connectTimeout + options.statementTimeout) {
                    let connection = try await PostgresConnection.connect(
                        configuration: try connectionConfiguration(options, host), id: id, logger: quiet(logger))
                    do {
                        let writable = try await isWritable(connection, host: host, schema: schema, logger: logger)
                        try? await connection.close()
                        return writable
                    } catch {
                        try? await connection.close()
                        throw error
                    }
                }
                if writable {
                    let client = PostgresClient(configuration: try configuration(options, host), backgroundLogger: quiet(logger))
                    let runner = Task.detached { await client.run() }
                    return (Connected(client: client, host: host, id: id), runner)
                }
                reasons.append("\(host): a standby (in recovery)")
            } catch is Deadline.Exceeded {
                reasons.append("\(host): no answer within \(Self.seconds(options.connectTimeout + options.statementTimeout)) s")
            } catch {
                reasons.append("\(host): \(PostgresFailure.describe(error))")
            }
        }
        throw StorageError(.unavailable, "no writable PostgreSQL server: " + reasons.joined(separator: "; "))
    }

    /// Whether the server accepts writes; if it does, the schema is migrated on it.
    private static func isWritable(
        _ connection: PostgresConnection, host: PostgresOptions.Host, schema: PostgresSchema, logger: Logger
    ) async throws -> Bool {
        var inRecovery = true
        for try await value in try await connection.query("SELECT pg_is_in_recovery()", logger: logger).decode(Bool.self) {
            inRecovery = value
        }
        guard !inRecovery else { return false }
        let applied = try await schema.migrate(on: connection, logger: logger)
        if !applied.isEmpty {
            logger.notice("kvstore storage schema migrated", metadata: [
                "host": "\(host)", "schema": "\(schema.name)", "versions": "\(applied.map(String.init).joined(separator: ","))",
            ])
        }
        return true
    }

    /// libpq's `sslmode=prefer`: encrypted when the server offers TLS, its certificate not checked
    /// (Debian's clusters come with a self-signed one); `require` checks it against the system's roots.
    static var unverified: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }

    /// postgres-nio's own lines at warning and above only (it reports every failed connection attempt).
    private static func quiet(_ logger: Logger) -> Logger {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        return quiet
    }

    private static func connectionConfiguration(
        _ options: PostgresOptions, _ host: PostgresOptions.Host
    ) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch options.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: Self.unverified))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: host.host, port: host.port, username: options.user, password: options.password, database: options.database, tls: tls)
        configuration.options.connectTimeout = .milliseconds(Int64(options.connectTimeout * 1000))
        configuration.options.additionalStartupParameters = startupParameters(options)
        return configuration
    }

    private static func startupParameters(_ options: PostgresOptions) -> [(String, String)] {
        [("statement_timeout", String(Int64(options.statementTimeout * 1000))), ("application_name", "kvstore-\(options.nodeID)")]
    }

    private static func configuration(_ options: PostgresOptions, _ host: PostgresOptions.Host) throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch options.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(Self.unverified)
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host.host, port: host.port, username: options.user, password: options.password, database: options.database, tls: tls)
        configuration.options.connectTimeout = .milliseconds(Int64(options.connectTimeout * 1000))
        configuration.options.maximumConnections = options.poolSize
        configuration.options.minimumConnections = 0
        configuration.options.additionalStartupParameters = startupParameters(options)
        return configuration
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// What a failed database call means for the store.
enum PostgresFailure {
    /// Whether `error` says the connection or the server's role is gone (so the pool must be
    /// dropped and the writable host found again), not that one statement failed.
    static func isConnectionLost(_ error: any Error) -> Bool {
        let error = unwrapped(error)
        if error is Deadline.Exceeded { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
             .sslUnsupported, .failedToAddSSLHandler, .messageDecodingFailure, .unexpectedBackendMessage:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            // 08: connection exception; 57P: shutdown or crash of the server; 25006: read-only (a standby).
            return state.hasPrefix("08") || state.hasPrefix("57P") || state == "25006"
        default:
            return false
        }
    }

    static func sqlState(_ error: any Error) -> String? {
        (unwrapped(error) as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether the server refused for lack of resources (53: too many connections, out of memory or disk).
    static func isOverloaded(_ error: any Error) -> Bool {
        sqlState(error)?.hasPrefix("53") == true
    }

    /// The error inside postgres-nio's transaction wrapper: the one that made the transaction fail.
    static func unwrapped(_ error: any Error) -> any Error {
        guard let wrapped = error as? PostgresTransactionError else { return error }
        return wrapped.closureError ?? wrapped.beginError ?? wrapped.commitError ?? wrapped.rollbackError ?? error
    }

    /// One readable line: the server's message and SQLSTATE, else the client's error code.
    static func describe(_ error: any Error) -> String {
        let error = unwrapped(error)
        if let error = error as? StorageError { return error.message }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }

    /// The store's error for a failed call: `unavailable` when the database cannot be reached or
    /// written, else a plain storage error.
    static func storageError(_ error: any Error, timeout: Double, beforeLease: Bool = false) -> StorageError {
        let error = unwrapped(error)
        if let error = error as? StorageError { return error }
        if error is Deadline.Exceeded || sqlState(error) == "57014" {
            return StorageError(.unavailable, "the database did not answer within \(PostgresConnector.seconds(timeout)) s")
        }
        if isConnectionLost(error) || beforeLease || isOverloaded(error) {
            return StorageError(.unavailable, "the database connection failed: " + describe(error))
        }
        return StorageError(.io, "the database refused a statement: " + describe(error))
    }
}
