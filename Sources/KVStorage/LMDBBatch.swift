/// One queued write for the LMDB writer thread.
enum LMDBWriteRequest: Sendable {
    /// `setValue`: a put in its own revision, without building a transaction.
    case put(key: String, value: [UInt8], expiresAtMs: Int64)
    /// `removeValue`: a delete in its own revision when the key is live.
    case delete(key: String)
    indirect case transaction(StoreTransaction)
    case removeExpired(limit: Int)
    /// Put, read back and delete `LMDBWriter.probeKey` inside the batch's transaction.
    case probe

    /// Whether the request writes no value, so it can only free space: such a request may use a
    /// small reserve above the quota (see `LMDBWriter.commitAtQuota`).
    var onlyFreesSpace: Bool {
        switch self {
        case .put, .probe: return false
        case .delete, .removeExpired: return true
        case .transaction(let transaction):
            return !(transaction.success + transaction.failure).contains { if case .put = $0 { true } else { false } }
        }
    }
}

/// What a request answers once its commit is acknowledged.
enum LMDBWriteReply: Sendable {
    /// `probe`: true.
    case flag(Bool)
    /// `put`: whether it created the key, and the record as stored.
    case stored(created: Bool, record: KeyRecord)
    /// `delete`: the revision of the delete, nil when no live key existed.
    case deleted(revision: Int64?)
    case outcome(TransactionOutcome)
    /// `removeExpired`: the number of keys removed.
    case removed(Int)
}

/// Applies a batch of requests inside one LMDB write transaction.
///
/// Each request is applied in queue order by one `TransactionApplier`, so each writing request
/// gets its own revision and sees the requests before it. The state record is rewritten only
/// when something was written: a batch of reads and no-op deletes dirties no page.
enum LMDBBatch {
    /// A request's answer and the changes of its revision (empty when it wrote nothing).
    struct Reply {
        var reply: LMDBWriteReply
        var changes: [StorageChange]
    }

    struct Applied {
        /// One per request, in order.
        var replies: [Reply]
        var state: LMDBLayout.State
    }

    static func apply(
        _ batch: [LMDBWriter.PendingWrite], state: LMDBLayout.State, nowMs: Int64, in txn: WriteTransaction
    ) throws(LMDBFailure) -> Applied {
        var applier = TransactionApplier(revision: state.revision, nowMs: nowMs)
        var table = LMDBRecordTable(txn)
        var replies: [Reply] = []
        replies.reserveCapacity(batch.count)
        for write in batch {
            switch write.request {
            case .put(let key, let value, let expiresAtMs):
                let (created, change) = try applier.put(key, value, expiresAtMs: expiresAtMs, in: &table)
                guard let record = change.record else { preconditionFailure("a put change carries its record") }
                replies.append(Reply(reply: .stored(created: created, record: record), changes: [change]))
            case .delete(let key):
                let change = try applier.delete(key, in: &table)
                replies.append(Reply(reply: .deleted(revision: change?.modRevision), changes: change.map { [$0] } ?? []))
            case .transaction(let transaction):
                let applied = try applier.apply(transaction, in: &table)
                replies.append(Reply(reply: .outcome(applied.outcome), changes: applied.changes))
            case .removeExpired(let limit):
                let changes = try applier.removeExpired(limit: limit, in: &table)
                replies.append(Reply(reply: .removed(changes.count), changes: changes))
            case .probe:
                replies.append(Reply(reply: .flag(try txn.probe(LMDBWriter.probeKey)), changes: []))
            }
        }
        var newState = state
        if applier.revision != state.revision {
            newState = LMDBLayout.State(revision: applier.revision, keys: state.keys + table.addedKeys)
            try txn.put(LMDBLayout.stateKey, newState.encoded)
        }
        return Applied(replies: replies, state: newState)
    }
}
