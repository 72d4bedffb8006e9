import Foundation
import Synchronization

/// The default store: LMDB, a crash-safe copy-on-write B+tree in one memory-mapped file.
///
/// Reads run on the caller's thread in a short read transaction; writes go to one writer
/// thread that group-commits them. The map grows by itself up to `quotaBytes`. The on-disk
/// layout is described in `LMDBLayout`; an older folder is migrated at open.
public final class LMDBStore: KeyValueStore {
    /// Where and how to open the store.
    public struct Options: Sendable {
        public var path: String
        public var durability: Durability
        public var syncInterval: Double
        public var maxValueBytes: Int
        public var quotaBytes: Int

        public init(path: String, durability: Durability = .always, syncInterval: Double = 1,
                    maxValueBytes: Int = 1 << 20, quotaBytes: Int = 8 << 30) {
            self.path = path
            self.durability = durability
            self.syncInterval = syncInterval
            self.maxValueBytes = maxValueBytes
            self.quotaBytes = quotaBytes
        }
    }

    /// Paths open in this process: LMDB forbids opening one environment twice in a process.
    private static let openPaths = Mutex<Set<String>>([])

    private let environment: LMDBEnvironment
    private let writer: LMDBWriter
    private let counters = OperationCounters()
    private let options: Options
    private let quotaBytes: Int
    private let observer: (any StorageObserver)?
    private let closed = Atomic<Bool>(false)
    private let canonicalPath: String
    private let now: @Sendable () -> Date
    /// What this open did to the folder's layout: nil unless it migrated an older one.
    public let layoutMigration: LayoutMigration?

    /// Opens (creating if needed) the store in the folder `options.path`, migrating an older
    /// layout first (reported to `observer` and in `layoutMigration`). `now` is the clock that
    /// decides expiry (tests inject one).
    public init(
        options: Options, observer: (any StorageObserver)? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) throws(StorageError) {
        do {
            try FileManager.default.createDirectory(atPath: options.path, withIntermediateDirectories: true)
        } catch {
            throw StorageError(.io, "cannot create data folder \(options.path): \(error.localizedDescription)")
        }
        let canonical = URL(fileURLWithPath: options.path).standardizedFileURL.resolvingSymlinksInPath().path
        let inserted = Self.openPaths.withLock { $0.insert(canonical).inserted }
        if !inserted { throw StorageError(.io, "\(options.path) is already open in this process") }
        self.canonicalPath = canonical
        self.options = options
        self.observer = observer
        self.now = now
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        quotaBytes = max(pageSize * 16, options.quotaBytes / pageSize * pageSize)
        let state: LMDBLayout.State
        do throws(StorageError) {
            environment = try LMDBEnvironment(
                path: options.path, initialMapSize: min(quotaBytes, 64 << 20), durability: options.durability)
            do throws(StorageError) {
                (state, layoutMigration) = try LMDBLayoutMigration.prepare(environment)
            } catch {
                environment.close()
                throw error
            }
        } catch {
            _ = Self.openPaths.withLock { $0.remove(canonical) }
            throw error
        }
        if let layoutMigration { observer?.storageDidMigrateLayout(layoutMigration) }
        writer = LMDBWriter(
            environment: environment, durability: options.durability, syncInterval: options.syncInterval,
            quotaBytes: quotaBytes, counters: counters, observer: observer, state: state, now: now)
        writer.start()
    }

    private var nowMs: Int64 { ExpiryTime.now(now) }

    public func value(forKey key: String) throws(StorageError) -> [UInt8]? {
        try KeyRules.validate(key)
        let start = monotonicSeconds()
        do {
            let nowMs = nowMs
            let value = try environment.withReadTransaction { txn throws(StorageError) in try txn.value(key, atMs: nowMs) }
            counters.gets.add(1, ordering: .relaxed)
            observer?.storageDidPerform(.get, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
            return value
        } catch {
            observer?.storageDidPerform(.get, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: error)
            throw error
        }
    }

    public func record(forKey key: String) throws(StorageError) -> KeyRecord? {
        try recordAndRevision(forKey: key).record
    }

    /// The record and the revision from one read transaction (a `GET`: one snapshot, one transaction).
    public func recordAndRevision(forKey key: String) throws(StorageError) -> (record: KeyRecord?, revision: Int64) {
        try KeyRules.validate(key)
        let start = monotonicSeconds()
        do {
            let nowMs = nowMs
            let (record, revision) = try environment.withReadTransaction { txn throws(StorageError) in
                (try txn.record(key, atMs: nowMs), try txn.state().revision)
            }
            counters.gets.add(1, ordering: .relaxed)
            observer?.storageDidPerform(.get, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
            return (record?.keyRecord, revision)
        } catch {
            observer?.storageDidPerform(.get, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: error)
            throw error
        }
    }

    public func currentRevision() throws(StorageError) -> Int64 {
        try environment.withReadTransaction { txn throws(StorageError) in try txn.state().revision }
    }

    public func setValue(_ value: [UInt8], forKey key: String, expiresAt: Date?) async throws(StorageError) -> (created: Bool, record: KeyRecord) {
        try KeyRules.validate(key)
        try TransactionValidation.validateSize(value, maxValueBytes: options.maxValueBytes)
        let reply = try await write(.put, key: key, request: .put(key: key, value: value, expiresAtMs: ExpiryTime.milliseconds(expiresAt)))
        guard case .stored(let created, let record) = reply else { throw Self.unexpectedReply }
        return (created, record)
    }

    public func deleteValue(forKey key: String) async throws(StorageError) -> Int64? {
        try KeyRules.validate(key)
        guard case .deleted(let revision) = try await write(.delete, key: key, request: .delete(key: key)) else { throw Self.unexpectedReply }
        return revision
    }

    private func write(_ operation: StorageOperation, key: String, request: LMDBWriteRequest) async throws(StorageError) -> LMDBWriteReply {
        if closed.load(ordering: .acquiring) { throw StorageError.closed }
        let start = monotonicSeconds()
        let result = await submit(request)
        if case .success = result {
            if operation == .put { counters.puts.add(1, ordering: .relaxed) } else { counters.deletes.add(1, ordering: .relaxed) }
        }
        var failure: StorageError?
        if case .failure(let error) = result { failure = error }
        observer?.storageDidPerform(operation, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: failure)
        return try result.get()
    }

    public func commit(_ transaction: StoreTransaction) async throws(StorageError) -> TransactionOutcome {
        try TransactionValidation.validate(transaction, maxValueBytes: options.maxValueBytes)
        guard case .outcome(let outcome) = try await submit(.transaction(transaction)).get() else { throw Self.unexpectedReply }
        counters.count(outcome)
        return outcome
    }

    public func removeExpired(limit: Int) async throws(StorageError) -> Int {
        if limit <= 0 { return 0 }
        guard case .removed(let count) = try await submit(.removeExpired(limit: limit)).get() else { throw Self.unexpectedReply }
        counters.expired.add(count, ordering: .relaxed)
        return count
    }

    public func probe() async throws(StorageError) {
        _ = try await submit(.probe).get()
    }

    private func submit(_ request: LMDBWriteRequest) async -> Result<LMDBWriteReply, StorageError> {
        if closed.load(ordering: .acquiring) { return .failure(.closed) }
        return await writer.submit(request)
    }

    private static let unexpectedReply = StorageError(.io, "the writer answered a request with the wrong kind of reply")

    public func readProbe() throws(StorageError) {
        if closed.load(ordering: .acquiring) { throw StorageError.closed }
        _ = try environment.entryCount()
    }

    public var readOnlyReason: StorageError? { writer.readOnlyReason }

    /// Writes queued for the writer thread and not yet in a batch (for tests).
    var queuedWriteCount: Int { writer.queuedWriteCount }

    public func keys(prefix: String, after: String?, limit: Int) throws(StorageError) -> KeyPage {
        let start = monotonicSeconds()
        let limit = max(0, limit)
        let nowMs = nowMs
        let rows = try environment.withReadTransaction { txn throws(StorageError) in
            try txn.listing(prefix: Array(prefix.utf8), after: after.map { Array($0.utf8) }, limit: limit, atMs: nowMs)
        }
        let entries = Array(rows.prefix(limit))
        observer?.storageDidPerform(.list, key: nil, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        return KeyPage(entries: entries, next: rows.count > limit ? entries.last?.key : nil)
    }

    public func statistics() throws(StorageError) -> StorageStatistics {
        let entries = try environment.withReadTransaction { txn throws(StorageError) in try txn.state().keys }
        let info = try environment.info()
        var fileStat = stat()
        let dataFile = options.path + "/data.mdb"
        let onDisk = stat(dataFile, &fileStat) == 0 ? Int(fileStat.st_blocks) * 512 : 0
        return StorageStatistics(
            engine: "lmdb", entries: entries, bytesOnDisk: onDisk, bytesInUse: info.bytesInUse,
            mapSizeBytes: info.mapSize, quotaBytes: quotaBytes, pageSize: environment.pageSize,
            durability: options.durability.rawValue,
            gets: counters.gets.load(ordering: .relaxed), puts: counters.puts.load(ordering: .relaxed),
            deletes: counters.deletes.load(ordering: .relaxed), commits: counters.commits.load(ordering: .relaxed),
            expiredKeysRemoved: counters.expired.load(ordering: .relaxed))
    }

    public func close() async {
        guard closed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        writer.stop()
        try? environment.sync()
        environment.close()
        _ = Self.openPaths.withLock { $0.remove(canonicalPath) }
    }

    deinit {
        if !closed.load(ordering: .acquiring) {
            writer.stop()
            environment.close()
            _ = Self.openPaths.withLock { $0.remove(canonicalPath) }
        }
    }
}
