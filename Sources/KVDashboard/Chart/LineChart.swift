/// One named series of a line chart, in base units, aligned with the timeline's times.
public struct ChartLine: Sendable {
    public var name: String
    public var values: [Double]

    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

/// A line chart of one or more series sharing a unit.
public struct LineChart: Sendable {
    /// The element id (a fixed word such as `request-rate`, never data).
    public var id: String
    public var title: String
    public var unit: ValueUnit
    public var lines: [ChartLine]
    /// Whether each line is drawn on top of the ones before it (its height is the running sum);
    /// the text summary still gives each series' own values.
    public var stacked: Bool
    /// Restarts, gaps, alert firing periods and marks drawn on the plot.
    public var annotations = ChartAnnotations()
    public var frame: ChartFrame

    public init(id: String, title: String, unit: ValueUnit, lines: [ChartLine], stacked: Bool = false,
                frame: ChartFrame = ChartFrame()) {
        self.id = id
        self.title = title
        self.unit = unit
        self.lines = lines
        self.stacked = stacked
        self.frame = frame
    }

    /// The lines as drawn: as given, or stacked (each the running sum of it and the lines before).
    var drawnLines: [ChartLine] {
        guard stacked else { return lines }
        var sums: [Double] = []
        return lines.map { line in
            sums = line.values.indices.map { index in (index < sums.count ? sums[index] : 0) + line.values[index] }
            return ChartLine(name: line.name, values: sums)
        }
    }

    /// The value axis for the values inside the window, in display units.
    public func valueAxis(for timeline: ChartTimeline) -> ValueAxis {
        var low = Double.infinity
        var high = -Double.infinity
        for line in drawnLines {
            for (index, value) in line.values.enumerated() where index < timeline.times.count && value.isFinite {
                let time = timeline.times[index]
                guard time >= timeline.from, time <= timeline.to else { continue }
                low = min(low, value * unit.factor)
                high = max(high, value * unit.factor)
            }
        }
        return low <= high ? ValueAxis(minimum: low, maximum: high) : ValueAxis(minimum: 0, maximum: 1)
    }

    /// The `<svg>` element (no XML declaration), ready to inline in a page.
    public func render(timeline: ChartTimeline) throws -> String {
        let axis = valueAxis(for: timeline)
        let canvas = ChartCanvas(id: id, title: title, description: description(for: timeline), frame: frame,
                                 timeline: timeline)
        let colors = lines.indices.map { ChartPalette.series[$0 % ChartPalette.series.count] }
        canvas.legend(lines.indices.map { (lines[$0].name, colors[$0]) }, bands: annotations.legendEntries(timeline: timeline))
        canvas.valueAxis(axis, unit: unit)
        canvas.timeAxis()
        canvas.annotate(annotations)
        var drawn = false
        for (index, line) in drawnLines.enumerated() {
            let path = LinePath(values: line.values, factor: unit.factor, timeline: timeline, axis: axis, frame: frame)
            guard !path.line.isEmpty else { continue }
            drawn = true
            canvas.writer.start("g", ["class": "series series-\(index)"])
            if !path.envelope.isEmpty {
                canvas.writer.empty("path", ["class": "envelope", "d": path.envelope, "fill": colors[index],
                                             "fill-opacity": "0.18", "stroke": "none"])
            }
            canvas.writer.empty("path", ["class": "line", "d": path.line, "fill": "none", "stroke": colors[index],
                                         "stroke-width": "1.6", "stroke-linejoin": "round", "stroke-linecap": "round"])
            canvas.writer.end()
        }
        if !drawn { canvas.note("no data in this window") }
        return try canvas.finish()
    }

    /// The text alternative: the window, then each series' latest, lowest and highest value, then
    /// the annotations in the window.
    public func description(for timeline: ChartTimeline) -> String {
        var parts = ["\(title), \(timeline.windowText)."]
        for line in lines {
            var latest = Double.nan
            var low = Double.infinity
            var high = -Double.infinity
            for (index, value) in line.values.enumerated() where index < timeline.times.count && value.isFinite {
                guard timeline.times[index] >= timeline.from, timeline.times[index] <= timeline.to else { continue }
                latest = value
                low = min(low, value)
                high = max(high, value)
            }
            if latest.isFinite {
                parts.append("\(line.name): latest \(unit.format(latest)), lowest \(unit.format(low)), highest \(unit.format(high)).")
            } else {
                parts.append("\(line.name): no data.")
            }
        }
        if let annotated = annotations.summary(for: timeline) { parts.append(annotated) }
        return parts.joined(separator: " ")
    }
}
