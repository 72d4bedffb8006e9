/// The fleet page's charts: one line per node and one for the whole fleet, at common steps.
struct FleetCharts {
    /// The name of the fleet's line in every legend.
    static let totalName = "fleet total"

    let names: [String]
    /// `nodes[node][step]`.
    let nodes: [[FleetStepSummary]]
    /// `totals[step]`.
    let totals: [FleetStepSummary]
    let timeline: ChartTimeline
    /// What every chart marks: each alert's firing periods on any node (joined per alert name) and
    /// the user's marks. Restarts and gaps are per node: each node's page marks its own.
    let annotations: ChartAnnotations

    init(nodes fleet: [FleetNode], from: Double, to: Double, localTime: LocalTime, marks: [ChartMark] = []) {
        let steps = FleetSteps(from: from, to: to, typicalIntervals: fleet.compactMap(\.store.typicalInterval))
        names = fleet.map(\.name)
        nodes = fleet.map { steps.summaries(of: $0.points) }
        let nodes = self.nodes
        totals = steps.times.indices.map { step in FleetStepSummary.total(nodes.map { $0[step] }) }
        timeline = ChartTimeline(times: steps.times, startsSegment: steps.times.indices.map { $0 == 0 }, from: from, to: to,
                                 localTime: localTime, typicalInterval: steps.step)
        let firing = FiringPeriod.merged(fleet.flatMap { FiringPeriod.periods(points: $0.points, windowEnd: to) })
        annotations = ChartAnnotations(firing: firing, marks: marks)
    }

    /// The line charts in page order; the fleet's line first, then the nodes in the table's order.
    var lineCharts: [LineChart] {
        func lines(_ value: (FleetStepSummary) -> Double) -> [ChartLine] {
            [ChartLine(name: Self.totalName, values: totals.map(value))]
                + zip(names, nodes).map { ChartLine(name: $0.0, values: $0.1.map(value)) }
        }
        let charts = [
            LineChart(id: "fleet-request-rate", title: "Request rate by node (fleet total: the sum)", unit: .requestsPerSecond,
                      lines: lines(\.requestRate)),
            LineChart(id: "fleet-error-ratio", title: "Error ratio by node (5xx share; fleet total: of all requests)",
                      unit: .percent, lines: lines(\.errorRatio)),
            LineChart(id: "fleet-latency-p99", title: "Latency p99 by node (fleet total: of all requests)",
                      unit: .milliseconds, lines: lines(\.latencyP99)),
            LineChart(id: "fleet-memory", title: "Resident memory by node (fleet total: the sum)", unit: .mebibytes,
                      lines: lines(\.memoryBytes)),
        ]
        return charts.map { chart in
            var chart = chart
            chart.annotations = annotations
            return chart
        }
    }

    /// One band per node, coloured by its overall health.
    var healthChart: HealthTimelineChart {
        var chart = HealthTimelineChart(id: "fleet-health", title: "Node health over time", checks: names,
                                        statuses: nodes.map { $0.map(\.health) })
        chart.annotations = annotations
        return chart
    }

    /// Every chart, drawn, their files named for the page of `options`.
    func draw(options: DashboardOptions) throws -> [DashboardCharts.Drawn] {
        try DashboardCharts.draw(lineCharts, healthChart, timeline: timeline, options: options)
    }
}
