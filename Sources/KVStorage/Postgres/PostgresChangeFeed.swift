import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Reads the shared change log in revision order and reports each revision to the store's observer,
/// whichever node wrote it: how a watch on one node wakes for a write on another (kine's polling of
/// an ordered log, bounded by `PostgresOptions.pollInterval`). A write on this node wakes it at once
/// and waits until its revision is reported, so a client that writes and then watches sees its change.
///
/// Also refreshes the store's statistics (revision, keys, bytes) and trims the log to
/// `PostgresOptions.changeLogRevisions`.
final class PostgresChangeFeed: Sendable {
    /// The meta row as last read.
    struct Totals: Sendable {
        var revision: Int64 = 0
        var keys: Int64 = 0
        var bytes: Int64 = 0
        var synchronousCommit = "unknown"
    }

    private struct State {
        /// The newest revision reported; nil until the first read.
        var delivered: Int64?
        var waiters: [(revision: Int64, continuation: CheckedContinuation<Void, Never>)] = []
        var totals = Totals()
        var closed = false
    }

    private let state = Mutex(State())
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>
    /// Rows read per query; a full batch is followed by the next at once.
    static let batch = 1000
    /// Polls between two trims of the change log.
    static let trimEvery = 100

    init() {
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    var totals: Totals { state.withLock { $0.totals } }

    /// Returns once `revision` has been reported to the observer (at once when it already has).
    func waitUntilDelivered(_ revision: Int64) async {
        wake.yield()
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.closed { return true }
                if let delivered = state.delivered, delivered >= revision { return true }
                state.waiters.append((revision, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Returns once the feed knows its position in the log (its first read), so that no write of
    /// this node commits before the revision the watch history starts at.
    func waitUntilPositioned() async {
        await waitUntilDelivered(0)
    }

    /// Ends the feed: every waiter returns.
    func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume() }
        wake.finish()
    }

    /// Polls until cancelled or closed. `query` runs one read with the store's connection and limits.
    func run(
        schema: PostgresSchema, retention: Int64, interval: Double, observer: (any StorageObserver)?, logger: Logger,
        query: @escaping @Sendable (_ body: @escaping @Sendable (PostgresConnection) async throws -> Poll) async throws(StorageError) -> Poll
    ) async {
        var polls = 0
        var failing = false
        var iterator = wakes.makeAsyncIterator()
        while !Task.isCancelled, !state.withLock({ $0.closed }) {
            let after = state.withLock { $0.delivered }
            let trim = polls % Self.trimEvery == 0
            polls += 1
            var full = false
            do {
                let poll = try await query { connection in
                    try await Self.read(connection, schema: schema, after: after, trim: trim ? retention : nil, logger: logger)
                }
                if failing { logger.info("kvstore storage change feed resumed") }
                failing = false
                full = poll.rows >= Self.batch
                deliver(poll, after: after, observer: observer)
            } catch {
                if !failing { logger.warning("kvstore storage change feed failed", metadata: ["reason": "\(error.message)"]) }
                failing = true
            }
            if full { continue }
            // Sleep for the interval, or less when a write on this node wakes the feed.
            let sleeper = Task {
                try? await Task.sleep(for: .milliseconds(Int64(max(0.001, interval) * 1000)))
                wake.yield()
            }
            _ = await iterator.next()
            sleeper.cancel()
        }
    }

    /// What one poll read.
    struct Poll: Sendable {
        var totals: Totals
        /// The changes after the revision asked for, grouped by revision, in order.
        var revisions: [[StorageChange]]
        var rows: Int
    }

    private func deliver(_ poll: Poll, after: Int64?, observer: (any StorageObserver)?) {
        var position = after
        if position == nil {
            // First read: the history starts here, the changes before it are not ours to report.
            position = poll.totals.revision
            observer?.storageFeedDidRestart(atRevision: poll.totals.revision)
        }
        for changes in poll.revisions {
            guard let revision = changes.first?.modRevision, revision > position! else { continue }
            if revision != position! + 1 {
                // The log was trimmed past this node's position: its watchers must re-list.
                observer?.storageFeedDidRestart(atRevision: revision - 1)
            }
            observer?.storageDidCommit(changes)
            position = revision
        }
        if poll.revisions.isEmpty, let current = position, poll.totals.revision > current,
           poll.rows == 0, after != nil {
            // Nothing in the log after our position although the store moved on: trimmed.
            observer?.storageFeedDidRestart(atRevision: poll.totals.revision)
            position = poll.totals.revision
        }
        let reached = position!
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.delivered = reached
            state.totals = poll.totals
            let ready = state.waiters.filter { $0.revision <= reached }.map(\.continuation)
            state.waiters.removeAll { $0.revision <= reached }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    private static func read(
        _ connection: PostgresConnection, schema: PostgresSchema, after: Int64?, trim: Int64?, logger: Logger
    ) async throws -> Poll {
        var totals = Totals()
        // The totals before the log: a revision the log has is never newer than the totals say.
        for try await (revision, keys, bytes, synchronous) in try await connection.query(PostgresQuery(
            unsafeSQL: "SELECT revision, keys, bytes, current_setting('synchronous_commit') FROM \(schema.meta) WHERE id = 1"
        ), logger: logger).decode((Int64, Int64, Int64, String).self) {
            totals = Totals(revision: revision, keys: keys, bytes: bytes, synchronousCommit: synchronous)
        }
        var revisions: [[StorageChange]] = []
        var rows = 0
        if let after, totals.revision > after {
            let (batchRows, complete) = try await changes(
                connection, schema: schema, where: "revision > $1 AND revision <= $2", binds: PostgresSchema.binds(after, totals.revision),
                limit: batch, logger: logger)
            rows = batchRows.count
            revisions = group(batchRows)
            if !complete {
                // The batch may end inside a revision: leave that one for the next poll, whole; or,
                // when it is the only one, read all of it (a revision is reported whole or not at all).
                if revisions.count > 1 {
                    revisions.removeLast()
                } else if let revision = revisions.first?.first?.modRevision {
                    let (all, _) = try await changes(
                        connection, schema: schema, where: "revision = $1", binds: PostgresSchema.binds(revision), limit: nil, logger: logger)
                    revisions = [all]
                }
            }
        }
        if let trim, totals.revision > trim {
            try await connection.query(PostgresQuery(
                unsafeSQL: "DELETE FROM \(schema.changes) WHERE revision <= $1", binds: PostgresSchema.binds(totals.revision - trim)),
                logger: logger)
        }
        return Poll(totals: totals, revisions: revisions, rows: rows)
    }

    /// The change rows matching `condition`, in order, and whether fewer than `limit` matched.
    private static func changes(
        _ connection: PostgresConnection, schema: PostgresSchema, where condition: String, binds: PostgresBindings, limit: Int?, logger: Logger
    ) async throws -> ([StorageChange], Bool) {
        let sequence = try await connection.query(PostgresQuery(
            unsafeSQL: """
                SELECT revision, key, kind, reason, value, create_revision, version, expires_at_ms FROM \(schema.changes) \
                WHERE \(condition) ORDER BY revision, seq\(limit.map { " LIMIT \($0)" } ?? "")
                """, binds: binds), logger: logger)
        var changes: [StorageChange] = []
        for try await (revision, key, kind, reason, value, create, version, expires)
            in sequence.decode((Int64, ByteBuffer, Int16, Int16, ByteBuffer?, Int64, Int64, Int64).self) {
            changes.append(ChangeRow.change(
                revision: revision, key: key, kind: kind, reason: reason, value: value, createRevision: create,
                version: version, expiresAtMs: expires))
        }
        return (changes, limit.map { changes.count < $0 } ?? true)
    }

    private static func group(_ changes: [StorageChange]) -> [[StorageChange]] {
        var revisions: [[StorageChange]] = []
        for change in changes {
            if revisions.last?.first?.modRevision == change.modRevision {
                revisions[revisions.count - 1].append(change)
            } else {
                revisions.append([change])
            }
        }
        return revisions
    }
}

/// How a change is spelled in the change log.
enum ChangeRow {
    static func kind(_ kind: StorageChange.Kind) -> Int16 { kind == .put ? 0 : 1 }
    static func reason(_ reason: StorageChange.Reason) -> Int16 { reason == .write ? 0 : 1 }

    static func change(
        revision: Int64, key: ByteBuffer, kind: Int16, reason: Int16, value: ByteBuffer?, createRevision: Int64,
        version: Int64, expiresAtMs: Int64
    ) -> StorageChange {
        let record = kind == 0
            ? KeyRecord(
                value: value.map { Array($0.readableBytesView) } ?? [], createRevision: createRevision, modRevision: revision,
                version: version, expiresAt: ExpiryTime.date(expiresAtMs))
            : nil
        return StorageChange(
            key: String(decoding: key.readableBytesView, as: UTF8.self), kind: kind == 0 ? .put : .delete, record: record,
            modRevision: revision, reason: reason == 0 ? .write : .expired)
    }
}
