import KVSnapshot

/// `--slo SPEC` (repeatable) and `--slo-period DURATION`, shared by `generate` and `summary`.
enum ObjectiveOptions {
    /// The objectives given (none: the defaults; `none`: no objectives) and the period in seconds.
    static func parse(_ specs: [String], period: String?) throws -> ([ServiceLevelObjective], Double) {
        var objectives = ServiceLevelObjective.defaults
        if specs == ["none"] {
            objectives = []
        } else if !specs.isEmpty {
            objectives = try specs.map { spec in
                guard let objective = ServiceLevelObjective(parsing: spec) else {
                    throw CommandFailure(message: "--slo: '\(spec)' is not \(ServiceLevelObjective.expected)")
                }
                return objective
            }
        }
        var seconds = ServiceLevelObjective.defaultPeriodSeconds
        if let period {
            guard let parsed = DurationSyntax.seconds(period), parsed > 0 else {
                throw CommandFailure(message: "--slo-period: '\(period)' is not a duration such as 7d or 30d")
            }
            seconds = parsed
        }
        return (objectives, seconds)
    }
}
