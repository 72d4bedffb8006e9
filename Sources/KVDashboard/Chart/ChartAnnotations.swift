import KVSnapshot

/// What the time charts mark besides their series: restarts (a vertical line) and gaps (a band
/// labelled "no data"), found in the points by the same rules as the line breaks.
public struct ChartAnnotations: Sendable, Equatable {
    /// Times (seconds since 1970) at which the process (re)started.
    public var restarts: [Double] = []
    /// Spans without snapshots: from the last point before to the first point after.
    public var gaps: [ClosedRange<Double>] = []

    public init(restarts: [Double] = [], gaps: [ClosedRange<Double>] = []) {
        self.restarts = restarts
        self.gaps = gaps
    }

    /// The restarts (uptime went backwards, `SeriesMath.isRestart`; marked at the new process's
    /// start, no earlier than the point before) and the gaps: a segment break without a restart, or
    /// the downtime before a restart when it is longer than a gap (`GapDetector.factor` usual intervals).
    init(points: ArraySlice<SeriesPoint>, typicalInterval: Double?) {
        for (before, point) in zip(points, points.dropFirst()) {
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
    }
}

extension ChartCanvas {
    /// Draws `annotations` inside the plot, clipped to the window.
    func annotate(_ annotations: ChartAnnotations) {
        guard !annotations.restarts.isEmpty || !annotations.gaps.isEmpty else { return }
        let (from, to) = (timeline.from, timeline.to)
        writer.start("g", ["class": "annotations"])
        for gap in annotations.gaps where gap.upperBound > from && gap.lowerBound < to {
            let x1 = frame.x(max(gap.lowerBound, from), from: from, to: to)
            let x2 = frame.x(min(gap.upperBound, to), from: from, to: to)
            writer.empty("rect", ["class": "gap", "x": Coordinate.text(x1), "y": Coordinate.text(frame.plotTop),
                                  "width": Coordinate.text(max(x2 - x1, 1)), "height": Coordinate.text(frame.plotBottom - frame.plotTop),
                                  "fill": ChartPalette.grid, "fill-opacity": "0.5"])
            writer.element("text", ["class": "label gap-label", "x": Coordinate.text((x1 + x2) / 2), "y": Coordinate.text(frame.plotTop + 12),
                                    "text-anchor": "middle", "fill": ChartPalette.text, "font-size": "10"], text: "no data")
        }
        for restart in annotations.restarts where restart >= from && restart <= to {
            let x = Coordinate.text(frame.x(restart, from: from, to: to))
            writer.empty("line", ["class": "restart", "x1": x, "x2": x, "y1": Coordinate.text(frame.plotTop),
                                  "y2": Coordinate.text(frame.plotBottom), "stroke": ChartPalette.text,
                                  "stroke-width": "1.2", "stroke-dasharray": "4 3"])
            writer.element("text", ["class": "label restart-label", "x": x, "y": Coordinate.text(frame.plotTop - 2),
                                    "text-anchor": "middle", "fill": ChartPalette.text, "font-size": "10"], text: "restart")
        }
        writer.end()
    }
}
