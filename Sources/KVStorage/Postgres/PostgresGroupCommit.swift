import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Group commit for the shared store: the writes that wait while a database transaction runs go
/// together into the next one, each with its own revision, under one lock of the meta row and one
/// `COMMIT` (PostgreSQL's own group commit cannot help while the meta row serializes writers).
///
/// A write whose own step fails (quota, a bad key) is undone alone: the others of its batch still
/// commit. When the database transaction fails, every write of the batch fails with its error
/// (none of them committed, or the outcome is unknown: `storage_unavailable`).
final class PostgresGroupCommit: Sendable {
    /// One write waiting for a batch: the keys it reads, whether it sweeps, and its step.
    struct Job: Sendable {
        let keys: [[UInt8]]
        /// Up to this many due keys are loaded for it (a sweep); a sweep runs in a batch of its own.
        let dueLimit: Int
        let body: @Sendable (inout TransactionApplier, inout SQLRecordTable) throws(StorageError) -> (any Sendable, [StorageChange])
        let done: @Sendable (Result<(any Sendable, Int64?), any Error>) -> Void
    }

    /// The most writes in one database transaction.
    static let maxBatch = 256

    private struct State {
        var queue: [Job] = []
        var running = false
    }
    private let state = Mutex(State())
    /// Runs one batch in one database transaction; answers each job's result in order.
    private let runBatch: @Sendable ([Job]) async -> Void

    init(runBatch: @escaping @Sendable ([Job]) async -> Void) {
        self.runBatch = runBatch
    }

    /// Queues `job`; starts draining the queue when no batch is running.
    func submit(_ job: Job) {
        let start = state.withLock { state -> Bool in
            state.queue.append(job)
            if state.running { return false }
            state.running = true
            return true
        }
        // Detached: the batches hold many requests' writes, so the drain must not carry (and log
        // under) the task-locals of the request that started it.
        if start { Task.detached { await self.drain() } }
    }

    private func drain() async {
        while let batch = nextBatch() {
            await runBatch(batch)
        }
    }

    /// The next batch: the queued writes up to `maxBatch`, a sweep alone; nil (and not running) when none wait.
    private func nextBatch() -> [Job]? {
        state.withLock { state in
            guard !state.queue.isEmpty else {
                state.running = false
                return nil
            }
            if state.queue[0].dueLimit > 0 { return [state.queue.removeFirst()] }
            var count = 0
            while count < min(state.queue.count, Self.maxBatch), state.queue[count].dueLimit == 0 { count += 1 }
            let batch = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            return batch
        }
    }
}

extension PostgresStore {
    /// One database transaction for `jobs`: lock the meta row, load every record they name, apply
    /// them in order (each at the next revision, a failed one undone), write back the final records,
    /// the change-log rows and the totals, commit; then answer every job.
    func commitBatch(_ jobs: [PostgresGroupCommit.Job]) async {
        let nowMs = ExpiryTime.now(now)
        let schema = schema, logger = logger, quota = options.quotaBytes
        let keys = Array(Set(jobs.flatMap(\.keys)))
        let dueLimit = jobs.map(\.dueLimit).max() ?? 0
        let outcome: Result<[Result<(any Sendable, Int64?), any Error>], any Error>
        do {
            let results = try await run(.commit) { connection in
                try await connection.withTransaction(logger: logger) { connection in
                    let statements = PostgresWriteStatements(schema: schema, connection: connection, logger: logger)
                    let meta = try await statements.lockMeta()
                    let records = try await statements.records(keys)
                    let due = dueLimit > 0 ? try await statements.due(atMs: nowMs, limit: dueLimit) : []
                    var table = SQLRecordTable(records: records, due: due, keys: meta.keys, bytes: meta.bytes, quotaBytes: quota)
                    var applier = TransactionApplier(revision: meta.revision, nowMs: nowMs)
                    var changes: [StorageChange] = []
                    var results: [Result<(any Sendable, Int64?), any Error>] = []
                    for job in jobs {
                        let (savedTable, savedApplier) = (table, applier)
                        do {
                            let before = applier.revision
                            let (result, jobChanges) = try job.body(&applier, &table)
                            changes += jobChanges
                            results.append(.success((result, applier.revision > before ? applier.revision : nil)))
                        } catch {
                            (table, applier) = (savedTable, savedApplier)
                            results.append(.failure(error))
                        }
                    }
                    if applier.revision > meta.revision {
                        try await statements.apply(table, changes: changes, revision: applier.revision)
                    }
                    return results
                }
            }
            outcome = .success(results)
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let results):
            observer?.storageDidCommitBatch(writes: jobs.count)
            for (job, result) in zip(jobs, results) { job.done(result) }
        case .failure(let error):
            for job in jobs { job.done(.failure(error)) }
        }
    }
}
