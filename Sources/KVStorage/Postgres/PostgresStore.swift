import Foundation
import Logging
import PostgresNIO
import Synchronization

/// A store shared by many kvstore nodes: the data lives in PostgreSQL (or an engine that speaks its
/// protocol), the node keeps nothing but its pool and a position in the change log.
///
/// Same semantics as the local engines, through the same `TransactionApplier`: each write is one
/// database transaction that locks the meta row, loads the records it names, applies the
/// transaction to them in memory and writes back the records, the change-log rows and the new
/// revision; a `2xx` follows only after `COMMIT` returned. Every operation is bounded by
/// `statementTimeout` (`storage_unavailable` past it, never a hung request); a lost connection or
/// a server turned standby sends the connector looking for the writable host again.
public final class PostgresStore: KeyValueStore {
    let options: PostgresOptions
    let schema: PostgresSchema
    private let connector: PostgresConnector
    private let feed = PostgresChangeFeed()
    private let feedTask = Mutex<Task<Void, Never>?>(nil)
    /// Batches concurrent writes into one database transaction (set once in `init`).
    private let groupCommitBox = Mutex<PostgresGroupCommit?>(nil)
    private var groupCommit: PostgresGroupCommit { groupCommitBox.withLock { $0! } }
    let observer: (any StorageObserver)?
    let now: @Sendable () -> Date
    let logger: Logger
    private let counters = OperationCounters()
    private let closed = Atomic<Bool>(false)
    /// The longest a committed write waits for the change feed to report it.
    static let feedWait = 1.0
    /// Connections leased by an operation right now.
    private let inUse = Atomic<Int>(0)

    /// Starts connecting at once, in the background: operations before the database answers wait
    /// up to `statementTimeout` each. `now` is the clock that decides expiry.
    public init(
        options: PostgresOptions, observer: (any StorageObserver)? = nil, logger: Logger = Logger(label: "kvstore.postgres"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.options = options
        self.schema = PostgresSchema(name: options.schema)
        self.connector = PostgresConnector(options: options, schema: schema, logger: logger)
        self.observer = observer
        self.now = now
        self.logger = logger
        groupCommitBox.withLock { $0 = PostgresGroupCommit { [weak self] jobs in
            guard let self else {
                for job in jobs { job.done(.failure(StorageError.closed)) }
                return
            }
            await self.commitBatch(jobs)
        } }
        startFeed()
    }

    private func startFeed() {
        let feed = feed, schema = schema, options = options, observer = observer, logger = logger
        let task = Task { [weak self] in
            await feed.run(
                schema: schema, retention: options.changeLogRevisions, interval: options.pollInterval, observer: observer,
                logger: logger
            ) { [weak self] body throws(StorageError) in
                guard let self else { throw StorageError.closed }
                return try await self.run(.feed, body)
            }
        }
        feedTask.withLock { $0 = task }
    }

    // MARK: reads

    public func value(forKey key: String) async throws(StorageError) -> [UInt8]? {
        try await recordAndRevision(forKey: key).record?.value
    }

    public func record(forKey key: String) async throws(StorageError) -> KeyRecord? {
        try await recordAndRevision(forKey: key).record
    }

    public func recordAndRevision(forKey key: String) async throws(StorageError) -> (record: KeyRecord?, revision: Int64) {
        try KeyRules.validate(key)
        let start = monotonicSeconds()
        let nowMs = ExpiryTime.now(now)
        let schema = schema, logger = logger
        let keyBytes = ByteBuffer(bytes: Array(key.utf8))
        let result: (KeyRecord?, Int64)
        do {
            result = try await run(.get) { connection in
                let rows = try await connection.query(PostgresQuery(
                    unsafeSQL: """
                        SELECT m.revision, k.value, k.create_revision, k.mod_revision, k.version, k.expires_at_ms \
                        FROM \(schema.meta) m LEFT JOIN \(schema.keys) k ON k.key = $1 AND (k.expires_at_ms = 0 OR k.expires_at_ms > $2) \
                        WHERE m.id = 1
                        """, binds: PostgresSchema.binds(keyBytes, nowMs)), logger: logger)
                var answer: (KeyRecord?, Int64) = (nil, 0)
                for try await (revision, value, create, mod, version, expires)
                    in rows.decode((Int64, ByteBuffer?, Int64?, Int64?, Int64?, Int64?).self) {
                    let record = value.map { value in
                        KeyRecord(
                            value: Array(value.readableBytesView), createRevision: create ?? 0, modRevision: mod ?? 0,
                            version: version ?? 0, expiresAt: ExpiryTime.date(expires ?? 0))
                    }
                    answer = (record, revision)
                }
                return answer
            }
        } catch {
            observer?.storageDidPerform(.get, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: error)
            throw error
        }
        counters.gets.add(1, ordering: .relaxed)
        observer?.storageDidPerform(.get, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        return result
    }

    public func currentRevision() async throws(StorageError) -> Int64 {
        let schema = schema, logger = logger
        return try await run(.revision) { connection in
            var revision: Int64 = 0
            for try await value in try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT revision FROM \(schema.meta) WHERE id = 1"), logger: logger
            ).decode(Int64.self) {
                revision = value
            }
            return revision
        }
    }

    public func keys(prefix: String, after: String?, limit: Int) async throws(StorageError) -> KeyPage {
        let start = monotonicSeconds()
        let limit = max(0, limit)
        guard limit > 0 else { return KeyPage(entries: [], next: nil) }
        let prefixBytes = Array(prefix.utf8)
        var binds = PostgresSchema.binds(ExpiryTime.now(now))
        var conditions = ["(expires_at_ms = 0 OR expires_at_ms > $1)"]
        func require(_ condition: String, _ bytes: [UInt8]) {
            binds.append(ByteBuffer(bytes: bytes))
            conditions.append("key \(condition) $\(binds.count)")
        }
        if !prefixBytes.isEmpty { require(">=", prefixBytes) }
        if let after { require(">", Array(after.utf8)) }
        if !prefixBytes.isEmpty, let upper = Self.successor(of: prefixBytes) { require("<", upper) }
        let schema = schema, logger = logger, bindings = binds
        let sql = """
            SELECT key, length(value), create_revision, mod_revision, version, expires_at_ms FROM \(schema.keys) \
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY key LIMIT \(limit + 1)
            """
        var entries: [KeyPage.Entry] = try await run(.list) { connection in
            var entries: [KeyPage.Entry] = []
            for try await (key, bytes, create, mod, version, expires) in try await connection.query(
                PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger
            ).decode((ByteBuffer, Int32, Int64, Int64, Int64, Int64).self) {
                entries.append(KeyPage.Entry(
                    key: String(decoding: key.readableBytesView, as: UTF8.self), bytes: Int(bytes), createRevision: create,
                    modRevision: mod, version: version, expiresAt: ExpiryTime.date(expires)))
            }
            return entries
        }
        var next: String?
        if entries.count > limit {
            entries.removeLast(entries.count - limit)
            next = entries.last?.key
        }
        observer?.storageDidPerform(.list, key: nil, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        return KeyPage(entries: entries, next: next)
    }

    /// The smallest byte string above every string that starts with `prefix`; nil when there is none.
    static func successor(of prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.popLast() {
            if last < 0xFF {
                bytes.append(last + 1)
                return bytes
            }
        }
        return nil
    }

    // MARK: writes

    public func commit(_ transaction: StoreTransaction) async throws(StorageError) -> TransactionOutcome {
        try TransactionValidation.validate(transaction, maxValueBytes: options.maxValueBytes)
        let start = monotonicSeconds()
        var keys = transaction.compare.map(\.key)
        keys += (transaction.success + transaction.failure).map(\.key)
        let outcome = try await write(keys: keys, dueLimit: 0, operation: .commit, key: nil) { applier, table throws(StorageError) in
            let applied = try applier.apply(transaction, in: &table)
            return (applied.outcome, applied.changes)
        }
        counters.count(outcome)
        counters.commits.add(1, ordering: .relaxed)
        observer?.storageDidPerform(.commit, key: nil, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        return outcome
    }

    public func setValue(_ value: [UInt8], forKey key: String, expiresAt: Date?) async throws(StorageError) -> (created: Bool, record: KeyRecord) {
        try KeyRules.validate(key)
        try TransactionValidation.validateSize(value, maxValueBytes: options.maxValueBytes)
        let start = monotonicSeconds()
        let expiresAtMs = ExpiryTime.milliseconds(expiresAt)
        let (created, record) = try await write(keys: [key], dueLimit: 0, operation: .put, key: key) {
            applier, table throws(StorageError) -> ((Bool, KeyRecord?), [StorageChange]) in
            let (created, change) = try applier.put(key, value, expiresAtMs: expiresAtMs, in: &table)
            return ((created, change.record), [change])
        }
        counters.puts.add(1, ordering: .relaxed)
        counters.commits.add(1, ordering: .relaxed)
        observer?.storageDidPerform(.put, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        guard let record else { throw StorageError(.io, "a put stored no record") }
        return (created, record)
    }

    public func deleteValue(forKey key: String) async throws(StorageError) -> Int64? {
        try KeyRules.validate(key)
        let start = monotonicSeconds()
        let revision = try await write(keys: [key], dueLimit: 0, operation: .delete, key: key) {
            applier, table throws(StorageError) -> (Int64?, [StorageChange]) in
            guard let change = try applier.delete(key, in: &table) else { return (nil, []) }
            return (change.modRevision, [change])
        }
        counters.deletes.add(1, ordering: .relaxed)
        counters.commits.add(1, ordering: .relaxed)
        observer?.storageDidPerform(.delete, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        return revision
    }

    public func removeExpired(limit: Int) async throws(StorageError) -> Int {
        guard limit > 0 else { return 0 }
        // Without the meta row's lock first: a sweep that finds nothing due does not stop the writers.
        let nowMs = ExpiryTime.now(now)
        let schema = schema, logger = logger
        let due = try await run(.sweep) { connection in
            var due = false
            for try await value in try await connection.query(PostgresQuery(
                unsafeSQL: "SELECT EXISTS (SELECT 1 FROM \(schema.keys) WHERE expires_at_ms > 0 AND expires_at_ms <= $1)",
                binds: PostgresSchema.binds(nowMs)), logger: logger
            ).decode(Bool.self) {
                due = value
            }
            return due
        }
        guard due else { return 0 }
        let removed = try await write(keys: [], dueLimit: limit, operation: .commit, key: nil) { applier, table throws(StorageError) in
            let changes = try applier.removeExpired(limit: limit, in: &table)
            return (changes.count, changes)
        }
        counters.expired.add(removed, ordering: .relaxed)
        return removed
    }

    /// Runs `body` on the named records (and up to `dueLimit` due keys) in one database transaction,
    /// writes back what it changed at the next revision, commits, and waits until the change feed
    /// has reported that revision.
    private func write<T: Sendable>(
        keys: [String], dueLimit: Int, operation: StorageOperation, key: String?,
        _ body: @escaping @Sendable (inout TransactionApplier, inout SQLRecordTable) throws(StorageError) -> (T, [StorageChange])
    ) async throws(StorageError) -> T {
        let start = monotonicSeconds()
        let (result, revision): (T, Int64?)
        do {
            try await positioned()
            let groupCommit = groupCommit
            let answer = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(any Sendable, Int64?), any Error>) in
                groupCommit.submit(PostgresGroupCommit.Job(
                    keys: keys.map { Array($0.utf8) }, dueLimit: dueLimit,
                    body: { applier, table throws(StorageError) in
                        let (result, changes) = try body(&applier, &table)
                        return (result, changes)
                    },
                    done: { continuation.resume(with: $0) }))
            }
            guard let typed = answer.0 as? T else { throw StorageError(.io, "a batched write returned an unexpected result") }
            (result, revision) = (typed, answer.1)
        } catch {
            let failure = error as? StorageError ?? StorageError(.io, "\(error)")
            observer?.storageDidPerform(operation, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: failure)
            throw failure
        }
        if let revision {
            // Committed: answer once the feed has reported it, or after `feedWait` when the feed
            // lags (its watchers see the change when it catches up).
            let feed = feed
            _ = try? await Deadline.run(seconds: min(options.statementTimeout, Self.feedWait)) { await feed.waitUntilDelivered(revision) }
        }
        return result
    }

    /// Waits (within `statementTimeout`) until the change feed has its first position.
    private func positioned() async throws(StorageError) {
        let feed = feed, timeout = options.statementTimeout
        do {
            try await Deadline.run(seconds: timeout) { await feed.waitUntilPositioned() }
        } catch {
            throw PostgresFailure.storageError(error, timeout: timeout)
        }
    }

    // MARK: the rest of the contract

    /// A durable write of this node's row in the probe table: fails when the database cannot be
    /// reached or written (a standby), which is what readiness must say.
    public func probe() async throws(StorageError) {
        let schema = schema, logger = logger, node = options.nodeID, nowMs = ExpiryTime.now(now)
        try await run(.probe) { connection in
            try await connection.query(PostgresQuery(
                unsafeSQL: """
                    INSERT INTO \(schema.probe) (node, at_ms) VALUES ($1, $2) ON CONFLICT (node) DO UPDATE SET at_ms = excluded.at_ms
                    """, binds: PostgresSchema.binds(node, nowMs)), logger: logger)
        }
    }

    /// Liveness: the node's own side only (the database being down fails readiness, not liveness).
    public func readProbe() throws(StorageError) {
        if closed.load(ordering: .relaxed) { throw StorageError.closed }
    }

    public func statistics() throws(StorageError) -> StorageStatistics {
        if closed.load(ordering: .relaxed) { throw StorageError.closed }
        let totals = feed.totals
        return StorageStatistics(
            // Bytes are keys plus values (what the quota counts), not the database's own size on disk.
            engine: "postgres", entries: Int(totals.keys), bytesOnDisk: Int(totals.bytes), bytesInUse: Int(totals.bytes), mapSizeBytes: 0,
            quotaBytes: options.quotaBytes, pageSize: 0, durability: "synchronous_commit=\(totals.synchronousCommit)",
            gets: counters.gets.load(ordering: .relaxed), puts: counters.puts.load(ordering: .relaxed),
            deletes: counters.deletes.load(ordering: .relaxed), commits: counters.commits.load(ordering: .relaxed),
            expiredKeysRemoved: counters.expired.load(ordering: .relaxed))
    }

    public func close() async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        feed.close()
        feedTask.withLock { $0 }?.cancel()
        await connector.close()
    }

    /// Runs `body` on a connection of the writable server's pool, within `statementTimeout`; a lost
    /// connection drops the pool, and every failure becomes a `StorageError`. Reports the wait for the
    /// connection, the time on it and the connections in use to the observer.
    func run<T: Sendable>(
        _ operation: DatabaseCall.Operation, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StorageError) -> T {
        if closed.load(ordering: .relaxed) { throw StorageError.closed }
        let connector = connector, timeout = options.statementTimeout, observer = observer
        let attempt = Mutex<Int?>(nil)
        let start = monotonicSeconds()
        let leased = Mutex<Double?>(nil)
        do {
            let result = try await Deadline.run(seconds: timeout) {
                let connected = try await connector.connected()
                attempt.withLock { $0 = connected.id }
                return try await connected.client.withConnection { connection in
                    leased.withLock { $0 = monotonicSeconds() }
                    observer?.storageConnectionsInUse(self.inUse.add(1, ordering: .relaxed).newValue)
                    defer { observer?.storageConnectionsInUse(self.inUse.subtract(1, ordering: .relaxed).newValue) }
                    return try await body(connection)
                }
            }
            report(operation, start: start, leased: leased.withLock { $0 }, failure: nil)
            return result
        } catch {
            // Failing before a connection was leased is the pool's failure (shut down by a discard,
            // unable to connect), whatever its error type: the database is unavailable.
            let beforeLease = leased.withLock { $0 } == nil
            if PostgresFailure.isConnectionLost(error) || beforeLease, let id = attempt.withLock({ $0 }) {
                await connector.discard(id, reason: PostgresFailure.describe(error))
            }
            let failure = PostgresFailure.storageError(error, timeout: timeout, beforeLease: beforeLease)
            report(operation, start: start, leased: leased.withLock { $0 }, failure: failure)
            throw failure
        }
    }

    private func report(_ operation: DatabaseCall.Operation, start: Double, leased: Double?, failure: StorageError?) {
        guard let observer else { return }
        let end = monotonicSeconds()
        observer.storageDidCallDatabase(DatabaseCall(
            operation: operation, waitSeconds: (leased ?? end) - start, seconds: leased.map { end - $0 } ?? 0, failure: failure))
    }
}
