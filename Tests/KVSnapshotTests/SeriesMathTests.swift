import KVSnapshot
import KVTestSupport
import Testing

@Suite struct SeriesMathTests {
    /// The shared table through `SeriesMath` itself; the dashboard and the alerts run the same rows.
    @Test(arguments: IncreaseCase.all)
    func increasesHandleResetsRestartsAndGaps(row: IncreaseCase) throws {
        var steps: [Double] = []
        var total = CounterIncrease()
        var latency: [Double: Double] = [:]
        for (before, after) in zip(row.samples, row.samples.dropFirst()) {
            let restarted = SeriesMath.isRestart(previousUptime: before.uptime, uptime: after.uptime)
            let increase = CounterReading.requests(after.metrics[0])
                .increase(since: .requests(before.metrics[0]), restarted: restarted)
            steps.append(increase.total)
            total = total + increase
            let buckets = HistogramReading(after.metrics.dropFirst().first)
                .increase(since: HistogramReading(before.metrics.dropFirst().first), restarted: restarted)
            for bucket in buckets { latency[bucket.upperBound, default: 0] += bucket.count }
        }
        #expect(steps.count == row.stepIncreases.count)
        for (step, expected) in zip(steps, row.stepIncreases) { #expect(nearlyEqual(step, expected)) }
        #expect(nearlyEqual(total.part, row.errors))
        let rate = try #require(SeriesMath.rate(total.total, over: row.seconds))
        #expect(nearlyEqual(rate, row.rate))
        if let expected = row.latencyIncrease {
            #expect(IncreaseCase.bounds.map { latency[$0] ?? -1 } == expected)
        } else {
            #expect(latency.isEmpty)
        }
    }

    @Test func counterIncreaseIsTheNewValueAfterADecrease() {
        #expect(SeriesMath.counterIncrease(from: 10, to: 25) == 15)
        #expect(SeriesMath.counterIncrease(from: 10, to: 10) == 0)
        #expect(SeriesMath.counterIncrease(from: 10, to: 4) == 4)
        #expect(SeriesMath.counterIncrease(from: nil, to: 7) == 7)
    }

    /// docs/dashboard.md: "series with a `5xx` `code`": exactly three digits starting with 5.
    @Test(arguments: [("500", true), ("503", true), ("599", true), ("5", false), ("50", false), ("5000", false),
                      ("5xx", false), ("200", false), ("499", false), ("", false)])
    func serverErrorIsExactlyThreeDigitsStartingWith5(code: String, expected: Bool) {
        #expect(SeriesMath.isServerError(code: code) == expected)
    }

    @Test func restartIsUptimeGoingBackwards() {
        #expect(SeriesMath.isRestart(previousUptime: 100, uptime: 5))
        #expect(!SeriesMath.isRestart(previousUptime: 100, uptime: 100))
        #expect(!SeriesMath.isRestart(previousUptime: 100, uptime: 115))
        #expect(!SeriesMath.isRestart(previousUptime: nil, uptime: 0))
    }

    @Test func histogramResetIsJudgedPerSeries() {
        typealias S = HistogramReading.Series
        func series(_ counts: [UInt64], count: UInt64? = nil) -> S {
            S(buckets: zip(IncreaseCase.bounds, counts).map { HistogramBucket(upperBound: $0, cumulativeCount: $1) },
              count: count ?? counts.last)
        }
        #expect(!HistogramReading.wasReset(from: series([1, 2, 3, 4]), to: series([1, 3, 5, 7])))
        #expect(HistogramReading.wasReset(from: series([1, 2, 3, 4]), to: series([2, 3, 2, 5])))
        #expect(HistogramReading.wasReset(from: series([1, 2, 3, 4], count: 9), to: series([1, 2, 3, 4], count: 8)))
        #expect(HistogramReading.wasReset(from: series([1, 2, 3, 4]), to: series([1, 2, 4])))
    }

    @Test func rateAndRatioNeedAPositiveDenominator() {
        #expect(SeriesMath.rate(30, over: 15) == 2)
        #expect(SeriesMath.rate(30, over: 0) == nil)
        #expect(SeriesMath.ratio(1, of: 4) == 0.25)
        #expect(SeriesMath.ratio(1, of: 0) == nil)
        #expect(SeriesMath.rateInterval(elapsed: 15, uptime: 10, restarted: true) == 10)
        #expect(SeriesMath.rateInterval(elapsed: 15, uptime: 10, restarted: false) == 15)
        #expect(SeriesMath.rateInterval(elapsed: 15, uptime: 0, restarted: true) == 15)
    }

    @Test func everyMetricNameIsDefinedOnce() {
        let names = KVMetricName.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
    }
}
