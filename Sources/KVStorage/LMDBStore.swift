import Foundation
import Synchronization

/// The default store: LMDB, a crash-safe copy-on-write B+tree in one memory-mapped file.
///
/// Reads run on the caller's thread in a short read transaction; writes go to one writer
/// thread that group-commits them. The map grows by itself up to `quotaBytes`.
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

    /// Opens (creating if needed) the store in the folder `options.path`.
    public init(options: Options, observer: (any StorageObserver)? = nil) throws(StorageError) {
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
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        quotaBytes = max(pageSize * 16, options.quotaBytes / pageSize * pageSize)
        do {
            environment = try LMDBEnvironment(
                path: options.path, initialMapSize: min(quotaBytes, 64 << 20), durability: options.durability)
        } catch {
            _ = Self.openPaths.withLock { $0.remove(canonical) }
            throw error
        }
        writer = LMDBWriter(
            environment: environment, durability: options.durability, syncInterval: options.syncInterval,
            quotaBytes: quotaBytes, counters: counters, observer: observer)
        writer.start()
    }

    public func value(forKey key: String) throws(StorageError) -> [UInt8]? {
        try KeyRules.validate(key)
        let start = monotonicSeconds()
        do {
            let value = try environment.withReadTransaction { txn throws(StorageError) in try txn.value(forKey: key) }
            counters.gets.add(1, ordering: .relaxed)
            observer?.storageDidPerform(.get, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
            return value
        } catch {
            observer?.storageDidPerform(.get, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: error)
            throw error
        }
    }

    @discardableResult
    public func setValue(_ value: [UInt8], forKey key: String) async throws(StorageError) -> Bool {
        try KeyRules.validate(key)
        if value.count > options.maxValueBytes {
            throw StorageError(.valueTooLarge, "value is \(value.count) bytes; the limit is \(options.maxValueBytes)")
        }
        return try await write(.put, key: key, change: .put(value))
    }

    @discardableResult
    public func removeValue(forKey key: String) async throws(StorageError) -> Bool {
        try KeyRules.validate(key)
        return try await write(.delete, key: key, change: .delete)
    }

    private func write(_ operation: StorageOperation, key: String, change: LMDBWriter.Change) async throws(StorageError) -> Bool {
        if closed.load(ordering: .acquiring) { throw StorageError.closed }
        let start = monotonicSeconds()
        let result = await writer.submit(key: Array(key.utf8), change: change)
        if case .success = result {
            if operation == .put { counters.puts.add(1, ordering: .relaxed) } else { counters.deletes.add(1, ordering: .relaxed) }
        }
        var failure: StorageError?
        if case .failure(let error) = result { failure = error }
        observer?.storageDidPerform(operation, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: failure)
        return try result.get()
    }

    public func probe() async throws(StorageError) {
        if closed.load(ordering: .acquiring) { throw StorageError.closed }
        _ = try await writer.submit(key: LMDBWriter.probeKey, change: .probe).get()
    }

    public func readProbe() throws(StorageError) {
        if closed.load(ordering: .acquiring) { throw StorageError.closed }
        _ = try environment.entryCount()
    }

    public var readOnlyReason: StorageError? { writer.readOnlyReason }

    public func keys(prefix: String, after: String?, limit: Int) throws(StorageError) -> KeyPage {
        let start = monotonicSeconds()
        let limit = max(0, limit)
        let rows = try environment.withReadTransaction { txn throws(StorageError) in
            try txn.scan(prefix: Array(prefix.utf8), after: after.map { Array($0.utf8) }, limit: limit)
        }
        let entries = rows.prefix(limit).map { KeyPage.Entry(key: String(decoding: $0.0, as: UTF8.self), bytes: $0.1) }
        observer?.storageDidPerform(.list, key: nil, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        return KeyPage(entries: entries, next: rows.count > limit ? entries.last?.key : nil)
    }

    public func statistics() throws(StorageError) -> StorageStatistics {
        let entries = try environment.entryCount()
        let info = try environment.info()
        var fileStat = stat()
        let dataFile = options.path + "/data.mdb"
        let onDisk = stat(dataFile, &fileStat) == 0 ? Int(fileStat.st_blocks) * 512 : 0
        return StorageStatistics(
            engine: "lmdb", entries: entries, bytesOnDisk: onDisk, bytesInUse: info.bytesInUse,
            mapSizeBytes: info.mapSize, quotaBytes: quotaBytes, pageSize: environment.pageSize,
            durability: options.durability.rawValue,
            gets: counters.gets.load(ordering: .relaxed), puts: counters.puts.load(ordering: .relaxed),
            deletes: counters.deletes.load(ordering: .relaxed), commits: counters.commits.load(ordering: .relaxed))
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
