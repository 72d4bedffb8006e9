import Synchronization

/// Lock-free counts of store operations, shared by both stores.
final class OperationCounters: Sendable {
    let gets = Atomic<Int>(0)
    let puts = Atomic<Int>(0)
    let deletes = Atomic<Int>(0)
    let commits = Atomic<Int>(0)
    /// Expired keys deleted by `removeExpired`.
    let expired = Atomic<Int>(0)

    /// Counts the operations of the branch a transaction ran.
    func count(_ outcome: TransactionOutcome) {
        for result in outcome.results {
            switch result {
            case .get: gets.add(1, ordering: .relaxed)
            case .put: puts.add(1, ordering: .relaxed)
            case .delete: deletes.add(1, ordering: .relaxed)
            }
        }
    }
}
