/// Each health check over the window: its worst state and the time it spent unhealthy and
/// degraded, from the same runs the health timeline draws (a snapshot's status lasts until the
/// next snapshot; after the last one of a segment, one usual interval; clipped to the window).
struct HealthOverWindow {
    struct Check: Equatable {
        /// The worst state reported in the window (`absent` when the check was never reported).
        var worst: HealthStatusCode
        var unhealthySeconds: Double
        var degradedSeconds: Double
    }

    /// By check name.
    let checks: [String: Check]

    init(chart: HealthTimelineChart, timeline: ChartTimeline) {
        var checks: [String: Check] = [:]
        for (row, name) in chart.checks.enumerated() {
            let runs = chart.runs(row: row, timeline: timeline)
            func seconds(_ status: HealthStatusCode) -> Double {
                runs.filter { $0.status == status }.reduce(0) { $0 + ($1.to - $1.from) }
            }
            let worst = runs.map(\.status).max { $0.rawValue < $1.rawValue } ?? .absent
            checks[name] = Check(worst: worst, unhealthySeconds: seconds(.unhealthy), degradedSeconds: seconds(.degraded))
        }
        self.checks = checks
    }
}
