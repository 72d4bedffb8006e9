import Testing

@testable import KVMonitoring

@Suite struct HistogramQuantileTests {
    @Test func interpolatesFromZeroInTheFirstBucket() {
        // Rank 0.5 × 100 = 50 of 80 in (0, 0.1]: 0.1 × 50/80.
        let value = HistogramQuantile.quantile(0.5, buckets: [(0.1, 80), (1, 100), (.infinity, 100)])
        #expect(value == 0.1 * 50 / 80)
    }

    @Test func aRankInTheInfBucketGivesTheHighestFiniteBound() {
        #expect(HistogramQuantile.quantile(0.99, buckets: [(0.1, 10), (1, 50), (.infinity, 100)]) == 1)
    }

    @Test func unsortedAndNonMonotonicBucketsAreFixedFirst() {
        // Sorted: 0.1→10, 0.5→8 (raised to 10), +Inf→20. Rank 15 falls in (0.5, +Inf]: the highest finite bound.
        #expect(HistogramQuantile.quantile(0.75, buckets: [(.infinity, 20), (0.5, 8), (0.1, 10)]) == 0.5)
    }

    @Test func undefinedCasesReturnNil() {
        #expect(HistogramQuantile.quantile(0.99, buckets: [(0.1, 0), (.infinity, 0)]) == nil)
        #expect(HistogramQuantile.quantile(0.99, buckets: [(0.1, 5), (1, 10)]) == nil)
        #expect(HistogramQuantile.quantile(0.99, buckets: [(.infinity, 10)]) == nil)
        #expect(HistogramQuantile.quantile(0.99, buckets: []) == nil)
        #expect(HistogramQuantile.quantile(1.5, buckets: [(0.1, 5), (.infinity, 10)]) == nil)
    }
}
