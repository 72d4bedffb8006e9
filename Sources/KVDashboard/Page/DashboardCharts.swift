import Foundation

/// The page's charts, drawn from the points of one window.
struct DashboardCharts {
    /// A drawn chart: its fixed id and title, the `<svg>` markup and its text alternative.
    struct Drawn {
        var id: String
        var title: String
        var svg: String
        /// The chart's `<desc>` (per series: latest, lowest and highest, with the unit), also shown as text.
        var summary: String

        /// The chart as a file of its own (`charts/<id>.svg`): the XML declaration, then the `<svg>`.
        var fileData: Data { Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg).utf8) }
        /// The chart file's path relative to its page.
        var path: String

        init(id: String, title: String, svg: String, summary: String, options: DashboardOptions) {
            self.id = id
            self.title = title
            self.svg = svg
            self.summary = summary
            path = options.chartPath(id)
        }
    }

    let points: ArraySlice<SeriesPoint>
    let checkNames: [String]
    let timeline: ChartTimeline
    /// What every time chart marks: the points' restarts, gaps and firing alerts, and the user's marks.
    let annotations: ChartAnnotations

    init(points: ArraySlice<SeriesPoint>, checkNames: [String], from: Double, to: Double, localTime: LocalTime,
         typicalInterval: Double?, marks: [ChartMark] = []) {
        self.points = points
        self.checkNames = checkNames
        annotations = ChartAnnotations(points: points, typicalInterval: typicalInterval, windowEnd: to, marks: marks)
        var starts = points.column { $0.startsSegment }
        if !starts.isEmpty { starts[0] = true }
        timeline = ChartTimeline(times: points.column { $0.time }, startsSegment: starts, from: from, to: to,
                                 localTime: localTime, typicalInterval: typicalInterval)
        var health = HealthTimelineChart(checks: checkNames,
                                         statuses: checkNames.indices.map { index in points.column { $0.status(ofCheck: index) } })
        health.annotations = annotations
        healthChart = health
    }

    /// The line charts in page order, each with the window's annotations.
    var lineCharts: [LineChart] {
        seriesCharts.map { chart in
            var chart = chart
            chart.annotations = annotations
            return chart
        }
    }

    private var seriesCharts: [LineChart] {
        func line(_ name: String, _ value: (SeriesPoint) -> Double) -> ChartLine {
            ChartLine(name: name, values: points.column(value))
        }
        return [
            LineChart(id: "request-rate", title: "Request rate", unit: .requestsPerSecond,
                      lines: [line("requests", { $0.requestRate })]),
            LineChart(id: "error-ratio", title: "Error ratio (5xx share of requests)", unit: .percent,
                      lines: [line("5xx", { $0.errorRatio })]),
            LineChart(id: "latency", title: "Request latency", unit: .milliseconds,
                      lines: [line("p50", { $0.latencyP50 }), line("p95", { $0.latencyP95 }), line("p99", { $0.latencyP99 })]),
            LineChart(id: "memory", title: "Resident memory", unit: .mebibytes, lines: [line("resident", { $0.memoryBytes })]),
            LineChart(id: "threads", title: "Threads", unit: .threads, lines: [line("threads", { $0.threads })]),
            LineChart(id: "storage-size", title: "Storage size", unit: .mebibytes, lines: [line("in use", { $0.storageBytes })]),
            LineChart(id: "storage-keys", title: "Keys stored", unit: .keys, lines: [line("keys", { $0.keys })]),
            LineChart(id: "status-classes", title: "Responses by status class (stacked)", unit: .requestsPerSecond,
                      lines: StatusClassReadings.classes.indices.map { index in
                          ChartLine(name: StatusClassReadings.classes[index],
                                    values: points.column { index < $0.statusClassRates.count ? $0.statusClassRates[index] : .nan })
                      }, stacked: true),
        ] + storageCharts
    }

    /// Storage operations by op, the commit batch size and the p99 of put and commit.
    var storageCharts: [LineChart] {
        let storage = points.column { $0.storage }
        func line(_ name: String, _ value: (StoragePoint) -> Double) -> ChartLine {
            ChartLine(name: name, values: storage.indices.map { storage[$0].map(value) ?? .nan })
        }
        let operations = Set(storage.indices.flatMap { storage[$0]?.operationRates.keys ?? [:].keys }).sorted()
        let latency = StorageReadings.latencyOperations.indices.map { index in
            line("\(StorageReadings.latencyOperations[index]) p99") { $0.latencyP99[index] }
        }
        return [
            LineChart(id: "storage-operations", title: "Storage operations", unit: .operationsPerSecond,
                      lines: operations.map { op in line(op) { $0.operationRates[op] ?? .nan } }),
            LineChart(id: "commit-batch", title: "Commit batch size (mean writes per commit)", unit: .writesPerCommit,
                      lines: [line("writes per commit") { $0.commitBatchMean }]),
            LineChart(id: "storage-latency", title: "Storage latency p99", unit: .milliseconds, lines: latency),
        ]
    }

    /// Each check's status at each point, with the window's annotations (the page's health over the window reads it too).
    let healthChart: HealthTimelineChart

    /// Every chart, drawn.
    func draw(options: DashboardOptions) throws -> [Drawn] {
        try Self.draw(lineCharts, healthChart, timeline: timeline, options: options)
    }

    /// `lines`, then `health`, drawn on `timeline`, their files named for the page of `options`.
    static func draw(_ lines: [LineChart], _ health: HealthTimelineChart, timeline: ChartTimeline,
                     options: DashboardOptions) throws -> [Drawn] {
        var drawn = try lines.map {
            Drawn(id: $0.id, title: $0.title, svg: try $0.render(timeline: timeline), summary: $0.description(for: timeline),
                  options: options)
        }
        drawn.append(Drawn(id: health.id, title: health.title, svg: try health.render(timeline: timeline),
                           summary: health.description(for: timeline), options: options))
        return drawn
    }
}
