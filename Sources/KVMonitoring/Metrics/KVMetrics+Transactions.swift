import KVSnapshot

extension KVMetrics {
    /// Compares plus operations (both branches) of each committed `POST /api/v1/txn`: the count
    /// that `kv.txn.max_operations` bounds.
    public static let txnOperations = MetricDescriptor(
        name: .txnOperations,
        help: "Compares plus operations (both branches) of each committed transaction (POST /api/v1/txn).",
        type: .histogram
    )
    /// Committed transactions by result: `succeeded` (every compare held) or `failed` (the failure branch ran).
    public static let txnTotal = MetricDescriptor(
        name: .txnTotal,
        help: "Committed transactions, by result: succeeded (every compare held, the success branch ran) or failed (the failure branch ran).",
        type: .counter,
        labelNames: ["result"]
    )
}
