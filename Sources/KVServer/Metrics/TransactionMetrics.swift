import KVMonitoring

/// `kvstore_txn_operations` and `kvstore_txn_total{result}`, resolved once at start-up.
struct TransactionMetrics: Sendable {
    /// Powers of two from 1 to 16384: the range of `kv.txn.max_operations` (1–10000).
    static let buckets: [Double] = (0...14).map { Double(1 << $0) }

    let operations: Histogram
    let succeeded: Counter
    let failed: Counter

    init(registry: MetricsRegistry) throws {
        operations = try registry.registerHistogram(KVMetrics.txnOperations, buckets: Self.buckets).labels()
        let total = try registry.registerCounter(KVMetrics.txnTotal)
        succeeded = total.labels("succeeded")
        failed = total.labels("failed")
    }

    /// Records one committed transaction of `operations` compares plus operations.
    func record(operations count: Int, succeeded didSucceed: Bool) {
        operations.observe(Double(count))
        (didSucceed ? succeeded : failed).increment()
    }
}
