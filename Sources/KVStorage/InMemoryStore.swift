import Synchronization

/// A store that keeps everything in memory: for tests, caches and development.
///
/// Same key rules, value limit and quota (keys + values bytes) as `LMDBStore`; nothing survives a restart.
public final class InMemoryStore: KeyValueStore {
    private struct State {
        var values: [[UInt8]: [UInt8]] = [:]
        var bytes = 0
        var closed = false
    }
    private let state = Mutex(State())
    private let counters = OperationCounters()
    private let maxValueBytes: Int
    private let quotaBytes: Int
    private let observer: (any StorageObserver)?

    public init(maxValueBytes: Int = 1 << 20, quotaBytes: Int = 8 << 30, observer: (any StorageObserver)? = nil) {
        self.maxValueBytes = maxValueBytes
        self.quotaBytes = quotaBytes
        self.observer = observer
    }

    public func value(forKey key: String) throws(StorageError) -> [UInt8]? {
        try KeyRules.validate(key)
        let start = monotonicSeconds()
        let result = try state.withLock { state throws(StorageError) -> [UInt8]? in
            if state.closed { throw StorageError.closed }
            return state.values[Array(key.utf8)]
        }
        counters.gets.add(1, ordering: .relaxed)
        observer?.storageDidPerform(.get, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        return result
    }

    @discardableResult
    public func setValue(_ value: [UInt8], forKey key: String) async throws(StorageError) -> Bool {
        try KeyRules.validate(key)
        if value.count > maxValueBytes {
            throw StorageError(.valueTooLarge, "value is \(value.count) bytes; the limit is \(maxValueBytes)")
        }
        let start = monotonicSeconds()
        let keyBytes = Array(key.utf8)
        let quota = quotaBytes
        let created = try state.withLock { state throws(StorageError) -> Bool in
            if state.closed { throw StorageError.closed }
            let old = state.values[keyBytes]
            let delta = value.count - (old?.count ?? -keyBytes.count)
            if delta > 0 && state.bytes + delta > quota {
                throw StorageError(.quotaExceeded, "the store is at its quota of \(quota) bytes")
            }
            state.values[keyBytes] = value
            state.bytes += delta
            return old == nil
        }
        counters.puts.add(1, ordering: .relaxed)
        counters.commits.add(1, ordering: .relaxed)
        observer?.storageDidPerform(.put, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        return created
    }

    @discardableResult
    public func removeValue(forKey key: String) async throws(StorageError) -> Bool {
        try KeyRules.validate(key)
        let start = monotonicSeconds()
        let keyBytes = Array(key.utf8)
        let existed = try state.withLock { state throws(StorageError) -> Bool in
            if state.closed { throw StorageError.closed }
            guard let old = state.values.removeValue(forKey: keyBytes) else { return false }
            state.bytes -= old.count + keyBytes.count
            return true
        }
        counters.deletes.add(1, ordering: .relaxed)
        observer?.storageDidPerform(.delete, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        return existed
    }

    public func keys(prefix: String, after: String?, limit: Int) throws(StorageError) -> KeyPage {
        let start = monotonicSeconds()
        let prefixBytes = Array(prefix.utf8)
        let afterBytes = after.map { Array($0.utf8) }
        let matching = try state.withLock { state throws(StorageError) -> [([UInt8], Int)] in
            if state.closed { throw StorageError.closed }
            return state.values.compactMap { key, value in
                guard key.starts(with: prefixBytes) else { return nil }
                if let afterBytes, !afterBytes.lexicographicallyPrecedes(key) { return nil }
                return (key, value.count)
            }
        }
        let sorted = matching.sorted { $0.0.lexicographicallyPrecedes($1.0) }
        let page = sorted.prefix(max(0, limit)).map { KeyPage.Entry(key: String(decoding: $0.0, as: UTF8.self), bytes: $0.1) }
        observer?.storageDidPerform(.list, key: nil, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        return KeyPage(entries: page, next: sorted.count > page.count ? page.last?.key : nil)
    }

    public func probe() async throws(StorageError) {
        try state.withLock { state throws(StorageError) in
            if state.closed { throw StorageError.closed }
        }
    }

    public func readProbe() throws(StorageError) {
        try state.withLock { state throws(StorageError) in
            if state.closed { throw StorageError.closed }
        }
    }

    public func statistics() throws(StorageError) -> StorageStatistics {
        let (entries, bytes) = try state.withLock { state throws(StorageError) in
            if state.closed { throw StorageError.closed }
            return (state.values.count, state.bytes)
        }
        return StorageStatistics(
            engine: "memory", entries: entries, bytesOnDisk: 0, bytesInUse: bytes, mapSizeBytes: 0,
            quotaBytes: quotaBytes, pageSize: 0, durability: "none",
            gets: counters.gets.load(ordering: .relaxed), puts: counters.puts.load(ordering: .relaxed),
            deletes: counters.deletes.load(ordering: .relaxed), commits: counters.commits.load(ordering: .relaxed))
    }

    public func close() async {
        state.withLock { $0.closed = true }
    }
}
