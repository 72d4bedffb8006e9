import Foundation

/// The one thread that writes to LMDB, committing every queued write in one transaction.
///
/// Concurrent writers share one commit and one fsync (group commit). Thread safety:
/// `@unchecked Sendable` because all mutable state is guarded by `condition`, and the
/// environment's write methods are only called from the writer thread.
/// Map growth and the quota are in `LMDBWriter+Space.swift` (hence the internal members it uses).
final class LMDBWriter: @unchecked Sendable {
    /// A key no client can use (keys may not contain control characters).
    static let probeKey: [UInt8] = [0] + Array("kvstore-health-probe".utf8)
    struct PendingWrite {
        let request: LMDBWriteRequest
        let continuation: CheckedContinuation<Result<LMDBWriteReply, StorageError>, Never>
    }
    /// A committed write with its answer and the changes of its revision, waiting to be acknowledged.
    struct Committed {
        let write: PendingWrite
        let reply: LMDBBatch.Reply
    }

    let environment: LMDBEnvironment
    private let durability: Durability
    private let syncInterval: Double
    let quotaBytes: Int
    private let observer: (any StorageObserver)?
    let counters: OperationCounters
    private let now: @Sendable () -> Date
    /// The store revision and user-record count as of the last commit (writer thread only).
    private var state: LMDBLayout.State
    private let condition = NSCondition()
    private var queue: [PendingWrite] = []
    private var stopping = false
    private var finished = false
    private var syncDeadline: Date?
    /// Set once a commit, sync or map resize failed; every later write is refused with it.
    /// Written only on the writer thread, under `condition`, so that thread may read it unlocked.
    var readOnly: StorageError?
    /// `always` mode: writes whose transaction committed but whose meta page is not yet on disk
    /// (the environment uses `MDB_NOMETASYNC`). They are acknowledged only after an fsync that
    /// followed their commit: the next commit that writes (its data sync also flushes the earlier
    /// meta page) or an explicit sync when no more writes wait. A commit that wrote nothing (only
    /// deletes of absent keys) syncs nothing, so its writes join the wait instead.
    /// This halves the fsyncs per commit under load.
    private var awaitingSync: [Committed] = []
    /// The most writes in one transaction; bounds the latency one commit adds.
    private let maxBatch = 4096

    init(environment: LMDBEnvironment, durability: Durability, syncInterval: Double, quotaBytes: Int,
         counters: OperationCounters, observer: (any StorageObserver)?, state: LMDBLayout.State,
         now: @escaping @Sendable () -> Date) {
        self.environment = environment
        self.state = state
        self.now = now
        self.durability = durability
        self.syncInterval = syncInterval
        self.quotaBytes = quotaBytes
        self.counters = counters
        self.observer = observer
    }

    /// Writes queued and not yet taken into a batch (tests use it to line up a group commit).
    var queuedWriteCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count
    }

    /// The failure that made the store read-only, nil while writes are accepted.
    var readOnlyReason: StorageError? {
        condition.lock()
        defer { condition.unlock() }
        return readOnly
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "kvstore-lmdb-writer"
        thread.start()
    }

    /// Queues one write and waits for the commit that makes it durable.
    func submit(_ request: LMDBWriteRequest) async -> Result<LMDBWriteReply, StorageError> {
        await withCheckedContinuation { continuation in
            condition.lock()
            if stopping || readOnly != nil {
                let refusal = readOnly ?? .closed
                condition.unlock()
                continuation.resume(returning: .failure(refusal))
                return
            }
            queue.append(PendingWrite(request: request, continuation: continuation))
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
            if !awaitingSync.isEmpty && (done || !hasQueuedWrites()) { syncAndAcknowledge() }
            if let deadline = syncDeadline, deadline <= Date() || done {
                syncDeadline = nil
                if readOnly == nil {
                    do { try environment.sync() } catch { enterReadOnly(error) }
                }
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

    /// Reports the write's changes to the observer, then answers it: the write is durable per
    /// the durability mode. Called in commit order, so changes are reported in revision order.
    private func acknowledge(_ committed: Committed) {
        if !committed.reply.changes.isEmpty { observer?.storageDidCommit(committed.reply.changes) }
        committed.write.continuation.resume(returning: .success(committed.reply.reply))
    }

    /// Called after a transaction committed: its writes are acknowledged now (`batched`,
    /// `none`) or once an fsync covers them (`always`; see `awaitingSync`).
    func committed(_ results: [Committed], wroteMetaPage: Bool) {
        guard durability == .always else {
            for result in results { acknowledge(result) }
            return
        }
        guard wroteMetaPage else {
            // Nothing written, nothing synced: these answers describe the state the waiting
            // writes made, so they wait with them; with none waiting that state is durable.
            if awaitingSync.isEmpty {
                for result in results { acknowledge(result) }
            } else {
                awaitingSync += results
            }
            return
        }
        // This commit's data sync also flushed the previous commit's meta page.
        for result in awaitingSync { acknowledge(result) }
        awaitingSync = results
    }

    /// Flushes the last meta page and acknowledges the writes that waited for it.
    private func syncAndAcknowledge() {
        do {
            try environment.sync()
            for result in awaitingSync { acknowledge(result) }
            awaitingSync = []
        } catch {
            enterReadOnly(error)
        }
    }

    /// Refuses every later write and fails the writes that waited for a sync. After a failed
    /// commit or fsync the kernel may have dropped dirty pages, so a retry could falsely succeed
    /// (PostgreSQL panics for the same reason); after a failed resize there is no map at all.
    @discardableResult
    func enterReadOnly(_ cause: StorageError) -> StorageError {
        if let readOnly { return readOnly }
        let refusal = StorageError(.readOnly, "the store is read-only until restart: \(cause.description)")
        condition.lock()
        readOnly = refusal
        condition.unlock()
        observer?.storageDidBecomeReadOnly(refusal)
        for result in awaitingSync { result.write.continuation.resume(returning: .failure(refusal)) }
        awaitingSync = []
        return refusal
    }

    func fail(_ batch: [PendingWrite], with error: StorageError) {
        for write in batch { write.continuation.resume(returning: .failure(error)) }
    }

    /// The id of the last transaction that wrote a meta page (nil when the map is gone).
    func lastTransactionID() -> Int? {
        try? environment.info().lastTransactionID
    }

    /// Whether a commit since `before` (an earlier `lastTransactionID()`) wrote a meta page;
    /// false when unknown, so that writes wait for an explicit sync rather than being acknowledged early.
    func metaPageWritten(since before: Int?) -> Bool {
        guard let before, let after = lastTransactionID() else { return false }
        return after != before
    }

    /// Applies `batch` in one write transaction and commits it; keeps the new state on success.
    func apply(_ batch: [PendingWrite]) throws(LMDBFailure) -> [Committed] {
        let nowMs = ExpiryTime.now(now)
        let applied = try environment.withWriteTransaction { txn throws(LMDBFailure) in
            try LMDBBatch.apply(batch, state: state, nowMs: nowMs, in: txn)
        }
        state = applied.state
        var results: [Committed] = []
        results.reserveCapacity(batch.count)
        for index in batch.indices { results.append(Committed(write: batch[index], reply: applied.replies[index])) }
        return results
    }

    func commit(_ batch: [PendingWrite]) {
        if let readOnly { return fail(batch, with: readOnly) }
        let start = monotonicSeconds()
        let before = lastTransactionID()
        do throws(LMDBFailure) {
            let results = try apply(batch)
            counters.commits.add(1, ordering: .relaxed)
            if durability == .batched && syncDeadline == nil {
                syncDeadline = Date(timeIntervalSinceNow: syncInterval)
            }
            observer?.storageDidPerform(.commit, key: nil, seconds: monotonicSeconds() - start, batchSize: batch.count, error: nil)
            observer?.storageDidCommitBatch(writes: batch.count)
            committed(results, wroteMetaPage: metaPageWritten(since: before))
            growIfNearlyFull()
        } catch where error.isMapFull {
            if growMap() {
                commit(batch)
            } else if batch.count > 1 {
                for write in batch { commit([write]) }
            } else {
                commitAtQuota(batch[0])
            }
        } catch where error.isTransactionFull && batch.count > 1 {
            // Too many dirty pages for one transaction: commit the batch in halves.
            commit(Array(batch[..<(batch.count / 2)]))
            commit(Array(batch[(batch.count / 2)...]))
        } catch where !error.isCommitFailure && batch.count > 1 {
            // One request failed and aborted the transaction: commit each on its own, so that
            // only the failing one fails (each client transaction is all-or-nothing).
            for write in batch { commit([write]) }
        } catch {
            observer?.storageDidPerform(.commit, key: nil, seconds: monotonicSeconds() - start, batchSize: batch.count, error: error.storageError)
            // A failed put or delete aborted the transaction: nothing changed. A failed commit
            // (a write or fsync of the data file) leaves the file in doubt.
            fail(batch, with: error.isCommitFailure ? enterReadOnly(error.storageError) : error.storageError)
        }
    }
}
