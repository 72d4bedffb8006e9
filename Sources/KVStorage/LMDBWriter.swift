import Foundation

/// The one thread that writes to LMDB, committing every queued write in one transaction.
///
/// Concurrent writers share one commit and one fsync (group commit). Thread safety:
/// `@unchecked Sendable` because all mutable state is guarded by `condition`, and the
/// environment's write methods are only called from the writer thread.
final class LMDBWriter: @unchecked Sendable {
    enum Change {
        case put([UInt8])
        case delete
        /// Put, read back and delete `probeKey` inside the batch's transaction.
        case probe
    }
    /// A key no client can use (keys may not contain control characters).
    static let probeKey: [UInt8] = [0] + Array("kvstore-health-probe".utf8)
    struct PendingWrite {
        let key: [UInt8]
        let change: Change
        let continuation: CheckedContinuation<Result<Bool, StorageError>, Never>
    }

    private let environment: LMDBEnvironment
    private let durability: Durability
    private let syncInterval: Double
    private let quotaBytes: Int
    private let observer: (any StorageObserver)?
    private let counters: OperationCounters
    private let condition = NSCondition()
    private var queue: [PendingWrite] = []
    private var stopping = false
    private var finished = false
    private var syncDeadline: Date?
    /// `always` mode: writes whose transaction committed but whose meta page is not yet on disk
    /// (the environment uses `MDB_NOMETASYNC`). The next commit's data sync, or an explicit
    /// sync when no more writes wait, makes them durable; only then are they acknowledged.
    /// This halves the fsyncs per commit under load.
    private var awaitingMetaSync: [(PendingWrite, Bool)] = []
    /// The most writes in one transaction; bounds the latency one commit adds.
    private let maxBatch = 4096

    init(environment: LMDBEnvironment, durability: Durability, syncInterval: Double, quotaBytes: Int,
         counters: OperationCounters, observer: (any StorageObserver)?) {
        self.environment = environment
        self.durability = durability
        self.syncInterval = syncInterval
        self.quotaBytes = quotaBytes
        self.counters = counters
        self.observer = observer
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "kvstore-lmdb-writer"
        thread.start()
    }

    /// Queues one write and waits for the commit that makes it durable.
    func submit(key: [UInt8], change: Change) async -> Result<Bool, StorageError> {
        await withCheckedContinuation { continuation in
            condition.lock()
            if stopping {
                condition.unlock()
                continuation.resume(returning: .failure(.closed))
                return
            }
            queue.append(PendingWrite(key: key, change: change, continuation: continuation))
            condition.signal()
            condition.unlock()
        }
    }

    /// Finishes every queued write, syncs, and stops the thread.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping {
                if let deadline = syncDeadline {
                    if !condition.wait(until: deadline) { break }
                } else {
                    condition.wait()
                }
            }
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            let done = stopping && queue.isEmpty
            condition.unlock()

            if !batch.isEmpty { commit(batch) }
            if !awaitingMetaSync.isEmpty && (done || !hasQueuedWrites()) { syncAndAcknowledge() }
            if let deadline = syncDeadline, deadline <= Date() || done {
                try? environment.sync()
                syncDeadline = nil
            }
            if done {
                condition.lock()
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
        }
    }

    private func hasQueuedWrites() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return !queue.isEmpty
    }

    /// Called after a transaction committed: its writes are acknowledged now (`batched`,
    /// `none`) or once their meta page is durable (`always`).
    private func committed(_ results: [(PendingWrite, Bool)]) {
        guard durability == .always else {
            for (write, result) in results { write.continuation.resume(returning: .success(result)) }
            return
        }
        // This commit's data sync also flushed the previous commit's meta page.
        for (write, result) in awaitingMetaSync { write.continuation.resume(returning: .success(result)) }
        awaitingMetaSync = results
    }

    /// Flushes the last meta page and acknowledges the writes that waited for it.
    private func syncAndAcknowledge() {
        let waiting = awaitingMetaSync
        awaitingMetaSync = []
        do {
            try environment.sync()
            for (write, result) in waiting { write.continuation.resume(returning: .success(result)) }
        } catch {
            for (write, _) in waiting { write.continuation.resume(returning: .failure(error)) }
        }
    }

    private func commit(_ batch: [PendingWrite]) {
        let start = monotonicSeconds()
        do throws(LMDBFailure) {
            let results = try environment.withWriteTransaction { txn throws(LMDBFailure) -> [Bool] in
                var results: [Bool] = []
                results.reserveCapacity(batch.count)
                for write in batch {
                    switch write.change {
                    case .put(let value): results.append(try txn.put(write.key, value))
                    case .delete: results.append(try txn.delete(write.key))
                    case .probe: results.append(try txn.probe(write.key))
                    }
                }
                return results
            }
            counters.commits.add(1, ordering: .relaxed)
            if durability == .batched && syncDeadline == nil {
                syncDeadline = Date(timeIntervalSinceNow: syncInterval)
            }
            observer?.storageDidPerform(.commit, key: nil, seconds: monotonicSeconds() - start, batchSize: batch.count, error: nil)
            committed(Array(zip(batch, results)))
            growIfNearlyFull()
        } catch where error.isMapFull {
            if growMap() {
                commit(batch)
            } else if batch.count > 1 {
                for write in batch { commit([write]) }
            } else {
                commitAtQuota(batch[0])
            }
        } catch {
            observer?.storageDidPerform(.commit, key: nil, seconds: monotonicSeconds() - start, batchSize: batch.count, error: error.storageError)
            // A failed commit may not have synced: make the earlier commits durable explicitly.
            if !awaitingMetaSync.isEmpty { syncAndAcknowledge() }
            for write in batch { write.continuation.resume(returning: .failure(error.storageError)) }
        }
    }

    /// A single write that does not fit at the quota: a put is refused; a delete may use a
    /// small reserve above the quota so that space can always be freed.
    private func commitAtQuota(_ write: PendingWrite) {
        let refusal = StorageError(.quotaExceeded, "the store is at its quota of \(quotaBytes) bytes; delete keys or raise storage.quota_bytes")
        if case .probe = write.change {
            write.continuation.resume(returning: .failure(refusal))
            return
        }
        guard case .delete = write.change else {
            if !awaitingMetaSync.isEmpty { syncAndAcknowledge() }
            write.continuation.resume(returning: .failure(refusal))
            return
        }
        let reserve = max(1 << 20, quotaBytes / 64)
        do {
            try environment.resizeMap(to: quotaBytes + reserve)
            let existed = try environment.withWriteTransaction { txn throws(LMDBFailure) in try txn.delete(write.key) }
            counters.commits.add(1, ordering: .relaxed)
            committed([(write, existed)])
        } catch let failure as LMDBFailure {
            write.continuation.resume(returning: .failure(failure.isMapFull ? refusal : failure.storageError))
        } catch {
            write.continuation.resume(returning: .failure(error as? StorageError ?? refusal))
        }
        // Back to the quota; LMDB keeps the map at least as large as the pages in use.
        try? environment.resizeMap(to: quotaBytes)
    }

    private func growIfNearlyFull() {
        let info = environment.info()
        if info.bytesInUse > info.mapSize / 4 * 3 { _ = growMap() }
    }

    /// Doubles the map (at least +64 MiB), up to the quota; false when already there.
    private func growMap() -> Bool {
        let current = environment.info().mapSize
        guard current < quotaBytes else { return false }
        let target = min(quotaBytes, max(current * 2, current + (64 << 20)))
        do {
            try environment.resizeMap(to: target)
            return true
        } catch {
            return false
        }
    }
}
