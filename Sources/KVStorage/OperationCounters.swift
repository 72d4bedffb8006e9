import Synchronization

/// Lock-free counts of store operations, shared by both stores.
final class OperationCounters: Sendable {
    let gets = Atomic<Int>(0)
    let puts = Atomic<Int>(0)
    let deletes = Atomic<Int>(0)
    let commits = Atomic<Int>(0)
}
