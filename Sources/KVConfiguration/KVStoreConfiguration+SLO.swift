import KVSnapshot

extension KVStoreConfiguration {
    /// The service level objectives the live dashboard judges (its objectives table), the same as
    /// `deploy/prometheus/slo.yml` holds by default.
    public struct SLO: Sendable, Equatable {
        /// The most objectives a dashboard shows.
        public static let maximumCount = 8

        /// Key `slo.objectives`: `availability:99.9%`, `latency:250ms:99%`; empty for no table.
        public var objectives: [ServiceLevelObjective]
        /// Key `slo.period`: the seconds the objectives are judged over.
        public var periodSeconds: Double

        public init(objectives: [ServiceLevelObjective] = ServiceLevelObjective.defaults,
                    periodSeconds: Double = ServiceLevelObjective.defaultPeriodSeconds) {
            self.objectives = objectives
            self.periodSeconds = periodSeconds
        }
    }
}

extension ValueParser where Value == [ServiceLevelObjective] {
    /// `slo.objectives`: 0 to 8 objectives, as a YAML sequence or one comma-separated string.
    static var serviceLevelObjectives: Self {
        let expected = "a list of at most \(KVStoreConfiguration.SLO.maximumCount) objectives, each "
            + ServiceLevelObjective.expected.dropFirst("an objective ".count)
        return Self(expected: expected, parse: { raw throws(ValueProblem) in
            let items: [String]
            switch raw {
            case .list(let list): items = list
            case .text(let text): items = text.trimmingWhitespace().isEmpty ? [] : text.split(separator: ",").map(String.init)
            case .null: items = []
            case .sequence, .mapping, .unsupported: throw ValueProblem(value: raw.display, expected: expected)
            }
            guard items.count <= KVStoreConfiguration.SLO.maximumCount else { throw ValueProblem(value: raw.display, expected: expected) }
            var objectives: [ServiceLevelObjective] = []
            for (index, item) in items.enumerated() {
                let text = item.trimmingWhitespace()
                guard let objective = ServiceLevelObjective(parsing: text) else {
                    throw ValueProblem(value: RawSetting.text(text).display, expected: ServiceLevelObjective.expected)
                        .nested(in: "[\(index)]", line: nil)
                }
                objectives.append(objective)
            }
            return objectives
        }, render: { $0.map(\.description).joined(separator: ", ") })
    }
}
