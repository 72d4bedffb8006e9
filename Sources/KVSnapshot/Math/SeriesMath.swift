/// The one definition of the series maths the dashboard and the alert rules share: counter and
/// histogram increases with resets, restarts, 5xx codes, rates and ratios (as Prometheus would
/// compute them from the same samples).
public enum SeriesMath {
    /// The increase of a counter from `before` to `after`, as Prometheus' `increase()` sees it.
    ///
    /// A value that went down means the counter was reset: the increase is then the new value.
    /// A series without an earlier value (`nil`: created in between, or counted from zero after a
    /// restart) counts from zero as well.
    public static func counterIncrease(from before: Double?, to after: Double) -> Double {
        guard let before, after >= before else { return after }
        return after - before
    }

    /// Whether the process restarted between two snapshots: its uptime went backwards.
    ///
    /// This is the only rule (docs/dashboard.md: "when the uptime went backwards (a restart)").
    /// A different node id is not a restart: the dashboard shows one node's archive and alert
    /// observations carry no node, so only the uptime is available to both.
    public static func isRestart(previousUptime: Double?, uptime: Double) -> Bool {
        guard let previousUptime else { return false }
        return uptime < previousUptime
    }

    /// Whether `code` is an HTTP server error: exactly three characters, all digits, the first `5`.
    public static func isServerError(code: String?) -> Bool {
        guard let code else { return false }
        let digits = Array(code.utf8)
        return digits.count == 3 && digits[0] == UInt8(ascii: "5") && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Whether `sample` (of `kvstore_http_requests_total`) has a 5xx `code` label.
    public static func isServerError(_ sample: MetricSample) -> Bool {
        isServerError(code: sample.labels[KVMetricLabel.code])
    }

    /// The seconds an increase accrued over: `elapsed`, but after a restart at most the new
    /// uptime (the counters started from zero when the process did).
    public static func rateInterval(elapsed: Double, uptime: Double, restarted: Bool) -> Double {
        restarted && uptime > 0 ? min(elapsed, uptime) : elapsed
    }

    /// `increase` per second over `seconds`; nil when the interval is not positive.
    public static func rate(_ increase: Double, over seconds: Double) -> Double? {
        seconds > 0 ? increase / seconds : nil
    }

    /// `part / whole`; nil when `whole` is not positive (no traffic, no limit).
    public static func ratio(_ part: Double, of whole: Double) -> Double? {
        whole > 0 ? part / whole : nil
    }
}
