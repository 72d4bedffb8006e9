import Foundation

/// `always` durability: the thread that makes committed writes durable and acknowledges them,
/// while the writer thread already commits the next transaction (commit and sync pipelined).
///
/// The environment uses `MDB_NOMETASYNC`: a commit syncs its data pages and then writes its meta
/// page without a sync, so LMDB's own ordering (data durable before the meta page that points at
/// it) holds whatever else syncs. A committed write is acknowledged only after an fsync that
/// started after its commit returned, so the fsync covers its meta page; one fsync here covers
/// every commit handed over before it started. Acknowledgements go out in commit order.
/// Commits that wrote nothing (deletes of absent keys) need no fsync of their own: they wait
/// behind earlier writes, or are answered at once when none wait.
///
/// Thread safety: `@unchecked Sendable`; the queue and flags are guarded by `condition`, and the
/// environment's `sync()` is one `fdatasync`, safe beside the writer's transaction.
final class LMDBSyncer: @unchecked Sendable {
    private let environment: LMDBEnvironment
    /// Reports the committed writes in order and answers them (the writer's `acknowledge`).
    private let acknowledge: (LMDBWriter.Committed) -> Void
    /// Called when an fsync failed: makes the store read-only (and so calls `refuse`).
    private let failed: (StorageError) -> Void
    private let condition = NSCondition()
    private var queue: [LMDBWriter.Committed] = []
    /// Whether a commit handed over since the last fsync started wrote a meta page.
    private var needsSync = false
    /// Set once the store is read-only: nothing is acknowledged after it.
    private var refusal: StorageError?
    private var stopping = false
    private var finished = false

    init(environment: LMDBEnvironment, acknowledge: @escaping (LMDBWriter.Committed) -> Void,
         failed: @escaping (StorageError) -> Void) {
        self.environment = environment
        self.acknowledge = acknowledge
        self.failed = failed
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "kvstore-lmdb-sync"
        thread.start()
    }

    /// Hands over the writes of one committed transaction (writer thread, in commit order).
    func enqueue(_ results: [LMDBWriter.Committed], wroteMetaPage: Bool) {
        condition.lock()
        if let refusal {
            condition.unlock()
            Self.fail(results, with: refusal)
            return
        }
        queue += results
        if wroteMetaPage { needsSync = true }
        condition.signal()
        condition.unlock()
    }

    /// The store became read-only: every write not yet acknowledged fails with `refusal`, also
    /// one whose fsync is running (after a failed commit or fsync the kernel may have dropped
    /// dirty pages, so a later fsync could succeed falsely).
    func refuse(_ refusal: StorageError) {
        condition.lock()
        if self.refusal == nil { self.refusal = refusal }
        let rest = queue
        queue = []
        condition.unlock()
        Self.fail(rest, with: refusal)
    }

    /// Makes everything handed over durable, answers it, and stops the thread.
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
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let taken = queue
            let sync = needsSync
            queue = []
            needsSync = false
            condition.unlock()

            if sync {
                do { try environment.sync() } catch { failed(error) }
            }
            condition.lock()
            let refusal = self.refusal
            condition.unlock()
            if let refusal {
                Self.fail(taken, with: refusal)
            } else {
                for result in taken { acknowledge(result) }
            }
        }
    }

    private static func fail(_ results: [LMDBWriter.Committed], with refusal: StorageError) {
        for result in results { result.write.continuation.resume(returning: .failure(refusal)) }
    }
}
