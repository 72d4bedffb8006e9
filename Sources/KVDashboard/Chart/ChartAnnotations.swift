import KVSnapshot

/// What the time charts mark besides their series: restarts (a vertical line), gaps (a band
/// labelled "no data"), alert firing periods (a shaded band, the alert's name in the legend) and
/// marks given by the user (a labelled vertical line). Restarts and gaps are found in the points by
/// the same rules as the line breaks; firing periods from each snapshot's alerts.
public struct ChartAnnotations: Sendable, Equatable {
    /// Times (seconds since 1970) at which the process (re)started.
    public var restarts: [Double] = []
    /// Spans without snapshots: from the last point before to the first point after.
    public var gaps: [ClosedRange<Double>] = []
    /// The periods in which an alert was firing, by alert name, then start.
    public var firing: [FiringPeriod] = []
    /// The user's marks (`--mark TIME=LABEL`), oldest first.
    public var marks: [ChartMark] = []

    public init(restarts: [Double] = [], gaps: [ClosedRange<Double>] = [], firing: [FiringPeriod] = [],
                marks: [ChartMark] = []) {
        self.restarts = restarts
        self.gaps = gaps
        self.firing = firing
        self.marks = marks.sorted { $0.time < $1.time }
    }

    /// The restarts (uptime went backwards, `SeriesMath.isRestart`; marked at the new process's
    /// start, no earlier than the point before) and the gaps: a segment break without a restart, or
    /// the downtime before a restart when it is longer than a gap (`GapDetector.factor` usual intervals).
    /// The firing periods of the points' alerts (see `FiringPeriod.periods`), open ones ending at
    /// `windowEnd` (the last point's time when nil), and `marks` as given.
    init(points: ArraySlice<SeriesPoint>, typicalInterval: Double?, windowEnd: Double? = nil, marks: [ChartMark] = []) {
        var restarts: [Double] = []
        var gaps: [ClosedRange<Double>] = []
        var before: (time: Double, uptimeSeconds: Double)?
        points.forEachInPlace { _, point in
            defer { before = (point.time, point.uptimeSeconds) }
            guard let before else { return }
            if SeriesMath.isRestart(previousUptime: before.uptimeSeconds, uptime: point.uptimeSeconds) {
                let start = max(before.time, point.time - point.uptimeSeconds)
                restarts.append(start)
                if let typicalInterval, start - before.time > GapDetector.factor * typicalInterval {
                    gaps.append(before.time...start)
                }
            } else if point.startsSegment {
                gaps.append(before.time...point.time)
            }
        }
        self.restarts = restarts
        self.gaps = gaps
        firing = FiringPeriod.periods(points: points, windowEnd: windowEnd)
        self.marks = marks.sorted { $0.time < $1.time }
    }

    /// The names of the alerts that fired inside `from...to`, sorted: one legend entry each.
    func firingNames(from: Double, to: Double) -> [String] {
        Array(Set(firing.filter { $0.overlaps(from: from, to: to) }.map(\.alert))).sorted()
    }

    /// The colour of the alert `name` among `names` (the window's firing alerts, sorted).
    static func color(ofAlert name: String, among names: [String]) -> String {
        let index = names.firstIndex(of: name) ?? 0
        return ChartPalette.alerts[index % ChartPalette.alerts.count]
    }

    /// Whether anything drawn in `from...to` carries a label (a gap, a restart or a mark).
    func hasLabels(from: Double, to: Double) -> Bool {
        gaps.contains { $0.upperBound > from && $0.lowerBound < to } || restarts.contains { $0 >= from && $0 <= to }
            || marks.contains { $0.time >= from && $0.time <= to }
    }

    /// The height above the plot that `annotate(_:labelsAbove: true)` writes its labels in.
    static let labelRowsHeight = 26.0

    /// The legend entries of the alerts that fired in the window (after the series' entries).
    func legendEntries(timeline: ChartTimeline) -> [(name: String, color: String)] {
        let names = firingNames(from: timeline.from, to: timeline.to)
        return names.map { ($0, Self.color(ofAlert: $0, among: names)) }
    }

    /// The annotations inside the timeline's window, as a sentence for the chart's `<desc>`
    /// ("Annotations: 2 restarts, alert KVHighErrorRate firing 12 min, mark deploy at 10:00."), or
    /// nil when there are none.
    public func summary(for timeline: ChartTimeline) -> String? {
        let (from, to) = (timeline.from, timeline.to)
        var parts: [String] = []
        let restartCount = restarts.filter { $0 >= from && $0 <= to }.count
        if restartCount > 0 { parts.append(restartCount == 1 ? "1 restart" : "\(restartCount) restarts") }
        let gapSpans = gaps.filter { $0.upperBound > from && $0.lowerBound < to }
        if !gapSpans.isEmpty {
            let seconds = gapSpans.reduce(0) { $0 + min($1.upperBound, to) - max($1.lowerBound, from) }
            parts.append("\(gapSpans.count) \(gapSpans.count == 1 ? "gap" : "gaps") without data (\(DurationText.format(seconds)))")
        }
        for name in firingNames(from: from, to: to) {
            let seconds = firing.filter { $0.alert == name }.reduce(0) { $0 + max(0, min($1.to, to) - max($1.from, from)) }
            parts.append("alert \(name) firing \(DurationText.format(seconds))")
        }
        let oneDay = to - from <= 86_400
        for mark in marks where mark.time >= from && mark.time <= to {
            let at = oneDay ? timeline.localTime.clock(mark.time) : timeline.localTime.day(mark.time) + " " + timeline.localTime.clock(mark.time)
            parts.append("mark \(mark.label) at \(at)")
        }
        return parts.isEmpty ? nil : "Annotations: " + parts.joined(separator: ", ") + "."
    }
}

extension ChartCanvas {
    /// Draws `annotations` inside the plot, clipped to the window: alert bands, gap bands, restart
    /// lines, then the marks on top. Restart labels go just above the plot; "no data" and the marks'
    /// labels inside its top, or, with `labelsAbove` (a plot of bands, where they would hide a band),
    /// in two rows above the restart labels (`ChartAnnotations.labelRowsHeight` in all).
    func annotate(_ annotations: ChartAnnotations, labelsAbove: Bool = false) {
        let (from, to) = (timeline.from, timeline.to)
        let names = annotations.firingNames(from: from, to: to)
        let gaps = annotations.gaps.filter { $0.upperBound > from && $0.lowerBound < to }
        let restarts = annotations.restarts.filter { $0 >= from && $0 <= to }
        let marks = annotations.marks.filter { $0.time >= from && $0.time <= to }
        guard !names.isEmpty || !gaps.isEmpty || !restarts.isEmpty || !marks.isEmpty else { return }
        let (top, bottom) = (Coordinate.text(frame.plotTop), Coordinate.text(frame.plotBottom))
        let height = Coordinate.text(frame.plotBottom - frame.plotTop)
        let gapLabelY = labelsAbove ? frame.plotTop - ChartAnnotations.labelRowsHeight : frame.plotTop + 12
        let markLabelY = labelsAbove ? frame.plotTop - 14 : frame.plotTop + 24
        writer.start("g", ["class": "annotations"])
        for period in annotations.firing where period.overlaps(from: from, to: to) {
            let x1 = frame.x(max(period.from, from), from: from, to: to)
            let x2 = frame.x(min(period.to, to), from: from, to: to)
            writer.empty("rect", ["class": "alert-band", "x": Coordinate.text(x1), "y": top,
                                  "width": Coordinate.text(max(x2 - x1, 1)), "height": height,
                                  "fill": ChartAnnotations.color(ofAlert: period.alert, among: names), "fill-opacity": "0.16"])
        }
        for gap in gaps {
            let x1 = frame.x(max(gap.lowerBound, from), from: from, to: to)
            let x2 = frame.x(min(gap.upperBound, to), from: from, to: to)
            writer.empty("rect", ["class": "gap", "x": Coordinate.text(x1), "y": top,
                                  "width": Coordinate.text(max(x2 - x1, 1)), "height": height,
                                  "fill": ChartPalette.grid, "fill-opacity": "0.5"])
            writer.element("text", ["class": "label gap-label", "x": Coordinate.text((x1 + x2) / 2), "y": Coordinate.text(gapLabelY),
                                    "text-anchor": "middle", "fill": ChartPalette.text, "font-size": "10"], text: "no data")
        }
        for restart in restarts {
            let x = Coordinate.text(frame.x(restart, from: from, to: to))
            writer.empty("line", ["class": "restart", "x1": x, "x2": x, "y1": top, "y2": bottom, "stroke": ChartPalette.text,
                                  "stroke-width": "1.2", "stroke-dasharray": "4 3"])
            writer.element("text", ["class": "label restart-label", "x": x, "y": Coordinate.text(frame.plotTop - 2),
                                    "text-anchor": "middle", "fill": ChartPalette.text, "font-size": "10"], text: "restart")
        }
        for mark in marks {
            let position = frame.x(mark.time, from: from, to: to)
            let x = Coordinate.text(position)
            // The label reads rightwards from the line, or leftwards in the plot's right half.
            let leftwards = position > (frame.plotLeft + frame.plotRight) / 2
            writer.start("g", ["class": "mark"])
            writer.element("title", text: "\(mark.label) at \(timeline.localTime.full(mark.time))")
            writer.empty("line", ["class": "mark-line", "x1": x, "x2": x, "y1": top, "y2": bottom, "stroke": ChartPalette.mark,
                                  "stroke-width": "1.5"])
            writer.element("text", ["class": "label mark-label", "x": Coordinate.text(position + (leftwards ? -3 : 3)),
                                    "y": Coordinate.text(markLabelY), "text-anchor": leftwards ? "end" : "start",
                                    "fill": ChartPalette.mark, "font-size": "10"], text: ChartMark.shortened(mark.label))
            writer.end()
        }
        writer.end()
    }
}
