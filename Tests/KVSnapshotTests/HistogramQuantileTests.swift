import Testing
import KVSnapshot

@Suite struct HistogramQuantileTests {
    func buckets(_ pairs: [(Double, Double)]) -> [HistogramQuantile.Bucket] {
        pairs.map { HistogramQuantile.Bucket(upperBound: $0.0, count: $0.1) }
    }

    @Test func interpolatesFromZeroInTheFirstBucket() {
        // Rank 0.5 × 100 = 50 of 80 in (0, 0.1]: 0.1 × 50/80.
        #expect(HistogramQuantile.quantile(0.5, buckets: buckets([(0.1, 80), (1, 100), (.infinity, 100)])) == 0.1 * 50 / 80)
    }

    @Test func aRankInTheInfBucketGivesTheHighestFiniteBound() {
        #expect(HistogramQuantile.quantile(0.99, buckets: buckets([(0.1, 10), (1, 50), (.infinity, 100)])) == 1)
    }

    @Test func unsortedAndNonMonotonicBucketsAreFixedFirst() {
        // Sorted: 0.1→10, 0.5→8 (raised to 10), +Inf→20. Rank 15 falls in (0.5, +Inf]: the highest finite bound.
        #expect(HistogramQuantile.quantile(0.75, buckets: buckets([(.infinity, 20), (0.5, 8), (0.1, 10)])) == 0.5)
    }

    @Test func bucketsWithTheSameBoundAreMerged() {
        // Two series' buckets summed by le: 0.1→(4+4), +Inf→(10+10); rank 10 of 20 → (0.1, +Inf] → 0.1.
        #expect(HistogramQuantile.quantile(0.5, buckets: buckets([(0.1, 4), (.infinity, 10), (0.1, 4), (.infinity, 10)])) == 0.1)
    }

    @Test func undefinedCasesAreNaNAndOutOfRangeQuantilesInfinite() {
        #expect(HistogramQuantile.quantile(0.99, buckets: buckets([(0.1, 0), (.infinity, 0)])).isNaN)
        #expect(HistogramQuantile.quantile(0.99, buckets: buckets([(0.1, 5), (1, 10)])).isNaN)
        #expect(HistogramQuantile.quantile(0.99, buckets: buckets([(.infinity, 10)])).isNaN)
        #expect(HistogramQuantile.quantile(0.99, buckets: []).isNaN)
        #expect(HistogramQuantile.quantile(1.5, buckets: buckets([(0.1, 5), (.infinity, 10)])) == .infinity)
        #expect(HistogramQuantile.quantile(-1, buckets: buckets([(0.1, 5), (.infinity, 10)])) == -.infinity)
    }
}
