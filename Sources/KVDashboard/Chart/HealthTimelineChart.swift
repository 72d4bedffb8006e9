/// One band per health check, coloured by its status over time.
public struct HealthTimelineChart: Sendable {
    public var id: String
    public var title: String
    /// Check names, one band each (data: written as escaped text only).
    public var checks: [String]
    /// `statuses[check][point]`, aligned with the timeline's times.
    public var statuses: [[HealthStatusCode]]
    /// Restarts, gaps, alert firing periods and marks drawn over the bands.
    public var annotations = ChartAnnotations()
    public var frame: ChartFrame

    static let rowHeight = 22.0
    static let labelWidth = 140.0

    public init(id: String = "health-timeline", title: String = "Health checks over time", checks: [String],
                statuses: [[HealthStatusCode]]) {
        self.id = id
        self.title = title
        self.checks = checks
        self.statuses = statuses
        frame = ChartFrame(height: 34 + Double(max(checks.count, 1)) * Self.rowHeight + 28, left: Self.labelWidth)
    }

    /// A run of one status: from, to (seconds) and the status.
    struct Run: Equatable {
        var from: Double
        var to: Double
        var status: HealthStatusCode
    }

    /// The runs of equal status of check `row`; a run ends at the next point, or one usual interval
    /// after its last point where the line breaks.
    func runs(row: Int, timeline: ChartTimeline) -> [Run] {
        let codes = statuses[row]
        let times = timeline.times
        let tail = timeline.typicalInterval ?? 0
        var runs: [Run] = []
        for index in times.indices where index < codes.count {
            let start = times[index]
            let breaksAfter = index + 1 >= times.count || (index + 1 < timeline.startsSegment.count && timeline.startsSegment[index + 1])
            let end = breaksAfter ? min(start + tail, index + 1 < times.count ? times[index + 1] : .infinity) : times[index + 1]
            let from = max(start, timeline.from)
            let to = min(end, timeline.to)
            guard to > from || (to == from && tail == 0) else { continue }
            if var last = runs.last, last.status == codes[index], last.to == from {
                last.to = to
                runs[runs.count - 1] = last
            } else {
                runs.append(Run(from: from, to: to, status: codes[index]))
            }
        }
        return runs.filter { $0.status != .absent }
    }

    public func render(timeline: ChartTimeline) throws -> String {
        // Room above the bands for the annotations' labels, so that none hides a band.
        var frame = self.frame
        if annotations.hasLabels(from: timeline.from, to: timeline.to) {
            frame.top += ChartAnnotations.labelRowsHeight
            frame.height += ChartAnnotations.labelRowsHeight
        }
        let canvas = ChartCanvas(id: id, title: title, description: description(for: timeline), frame: frame,
                                 timeline: timeline)
        let legend: [HealthStatusCode] = [.healthy, .degraded, .unhealthy]
        canvas.legend(legend.map { ($0.name, ChartPalette.status($0)) }, bands: annotations.legendEntries(timeline: timeline))
        for (row, name) in checks.enumerated() {
            let top = frame.plotTop + Double(row) * Self.rowHeight
            canvas.writer.start("g", ["class": "band"])
            canvas.writer.element("text", ["x": Coordinate.text(frame.plotLeft - 8), "y": Coordinate.text(top + 15),
                                           "text-anchor": "end", "fill": ChartPalette.text, "class": "label"],
                                  text: Self.shortened(name))
            canvas.writer.empty("rect", ["x": Coordinate.text(frame.plotLeft), "y": Coordinate.text(top + 3),
                                         "width": Coordinate.text(frame.plotWidth), "height": Coordinate.text(Self.rowHeight - 6),
                                         "fill": ChartPalette.status(.absent), "fill-opacity": "0.15", "class": "no-data"])
            for run in runs(row: row, timeline: timeline) {
                let x1 = frame.x(run.from, from: timeline.from, to: timeline.to)
                let x2 = frame.x(run.to, from: timeline.from, to: timeline.to)
                canvas.writer.empty("rect", ["x": Coordinate.text(x1), "y": Coordinate.text(top + 3),
                                             "width": Coordinate.text(max(x2 - x1, 1)), "height": Coordinate.text(Self.rowHeight - 6),
                                             "fill": ChartPalette.status(run.status), "class": "status-\(run.status.name)"])
            }
            canvas.writer.end()
        }
        if checks.isEmpty { canvas.note("no health checks in this window") }
        canvas.annotate(annotations, labelsAbove: true)
        canvas.timeAxis()
        return try canvas.finish()
    }

    /// The text alternative: per check, the share of time in each status, then the annotations in the window.
    public func description(for timeline: ChartTimeline) -> String {
        var parts = ["\(title), \(timeline.windowText)."]
        for (row, name) in checks.enumerated() {
            let runs = runs(row: row, timeline: timeline)
            let total = runs.reduce(0) { $0 + ($1.to - $1.from) }
            guard total > 0 else {
                parts.append("\(name): \(runs.last?.status.name ?? "no data").")
                continue
            }
            let shares = [HealthStatusCode.healthy, .degraded, .unhealthy].compactMap { status -> String? in
                let time = runs.filter { $0.status == status }.reduce(0) { $0 + ($1.to - $1.from) }
                return time > 0 ? "\(status.name) \(NumberText.significant(time / total * 100))%" : nil
            }
            parts.append("\(name): \(shares.joined(separator: ", ")).")
        }
        if let annotated = annotations.summary(for: timeline) { parts.append(annotated) }
        return parts.joined(separator: " ")
    }

    static func shortened(_ name: String) -> String {
        name.count <= 18 ? name : String(name.prefix(17)) + "…"
    }
}
