import KVSnapshot

/// One snapshot's request counter split by status class (`2xx`, `3xx`, `4xx`, `5xx` from the
/// `code` label), for the status classes chart; each class goes through `CounterReading`.
struct StatusClassReadings: Sendable {
    /// The classes drawn, bottom of the stack first.
    static let classes = ["2xx", "3xx", "4xx", "5xx"]

    var requests: [String: CounterReading]

    /// Each class's requests (no part: the chart stacks the classes).
    init(requests: [String: CounterReading]) {
        self.requests = requests
    }

    /// Each class's requests per second since `before`, in the order of `classes`.
    func rates(since before: StatusClassReadings, restarted: Bool, over seconds: Double) -> [Double] {
        Self.classes.map { name in
            let increase = requests[name].map {
                $0.increase(since: before.requests[name] ?? CounterReading(nil), restarted: restarted).total
            } ?? 0
            return SeriesMath.rate(increase, over: seconds) ?? .nan
        }
    }

    /// `2xx` for a code `200`–`299`, and so on; nil for anything that is not three digits from 2 to 5.
    static func statusClass(_ sample: MetricSample) -> String? {
        guard let code = sample.labels[KVMetricLabel.code], code.utf8.count == 3, code.allSatisfy(\.isASCII),
              code.allSatisfy(\.isNumber), let first = code.first, ("2"..."5").contains(first) else { return nil }
        return "\(first)xx"
    }
}
