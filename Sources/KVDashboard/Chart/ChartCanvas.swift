/// The parts every chart shares: the `<svg>` root with its text alternative, a legend, the
/// time axis and, for value charts, the value axis with its grid.
struct ChartCanvas {
    let writer = SVGWriter()
    let id: String
    let frame: ChartFrame
    let timeline: ChartTimeline

    /// Opens the root: `role="img"`, labelled by its `<title>` and described by its `<desc>`.
    init(id: String, title: String, description: String, frame: ChartFrame, timeline: ChartTimeline) {
        self.id = id
        self.frame = frame
        self.timeline = timeline
        writer.start("svg", [
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "chart",
            "id": id,
            "width": Coordinate.text(frame.width),
            "height": Coordinate.text(frame.height),
            "viewBox": "0 0 \(Coordinate.text(frame.width)) \(Coordinate.text(frame.height))",
            "role": "img",
            "aria-labelledby": "\(id)-title \(id)-desc",
            "font-family": ChartPalette.font,
            "font-size": "13",
        ])
        writer.element("title", ["id": "\(id)-title"], text: title)
        writer.element("desc", ["id": "\(id)-desc"], text: description)
    }

    /// One coloured swatch and name per entry, left to right above the plot, then one translucent,
    /// outlined swatch per band (an alert's firing periods); a second row when the first is full.
    func legend(_ entries: [(name: String, color: String)], bands: [(name: String, color: String)] = []) {
        writer.start("g", ["class": "legend"])
        var x = frame.plotLeft
        var y = 7.0
        let all = entries.map { ($0.name, $0.color, false) } + bands.map { ($0.name, $0.color, true) }
        for (name, color, band) in all {
            let width = 16 + Double(name.count) * 7.5
            if x > frame.plotLeft, x + width > frame.plotRight, y < 8 {
                x = frame.plotLeft
                y += 15
            }
            if band {
                writer.start("g", ["class": "legend-alert"])
                writer.empty("rect", ["x": Coordinate.text(x + 0.5), "y": Coordinate.text(y + 0.5), "width": "12", "height": "12",
                                      "rx": "2", "fill": color, "fill-opacity": "0.35", "stroke": color])
            } else {
                writer.empty("rect", ["x": Coordinate.text(x), "y": Coordinate.text(y), "width": "13", "height": "13", "rx": "2",
                                      "fill": color])
            }
            writer.element("text", ["x": Coordinate.text(x + 16), "y": Coordinate.text(y + 11), "fill": ChartPalette.text,
                                    "class": "label"], text: name)
            if band { writer.end() }
            x += width + 20
        }
        writer.end()
    }

    /// Ticks and labels along the bottom, in the timeline's zone, with a caption naming the zone.
    func timeAxis() {
        let maxTicks = max(2, Int(frame.plotWidth / 90))
        let axis = timeline.relative ? TimeAxis(relativeFrom: timeline.from, to: timeline.to, maxTicks: maxTicks)
            : TimeAxis(from: timeline.from, to: timeline.to, localTime: timeline.localTime, maxTicks: maxTicks)
        writer.start("g", ["class": "axis time-axis"])
        writer.empty("line", ["x1": Coordinate.text(frame.plotLeft), "x2": Coordinate.text(frame.plotRight),
                              "y1": Coordinate.text(frame.plotBottom), "y2": Coordinate.text(frame.plotBottom),
                              "stroke": ChartPalette.text, "class": "axis-line"])
        for tick in axis.ticks {
            let x = Coordinate.text(frame.x(tick.time, from: timeline.from, to: timeline.to))
            writer.empty("line", ["x1": x, "x2": x, "y1": Coordinate.text(frame.plotBottom),
                                  "y2": Coordinate.text(frame.plotBottom + 4), "stroke": ChartPalette.text,
                                  "class": "axis-line"])
            writer.element("text", ["x": x, "y": Coordinate.text(frame.plotBottom + 18), "text-anchor": "middle",
                                    "fill": ChartPalette.text, "class": "label"], text: tick.label)
        }
        writer.end()
    }

    /// Horizontal grid lines at the axis ticks, labelled with values and the unit.
    func valueAxis(_ axis: ValueAxis, unit: ValueUnit) {
        writer.start("g", ["class": "axis value-axis"])
        for tick in axis.ticks {
            let y = Coordinate.text(frame.y(axis.fraction(tick)))
            writer.empty("line", ["x1": Coordinate.text(frame.plotLeft), "x2": Coordinate.text(frame.plotRight),
                                  "y1": y, "y2": y, "stroke": ChartPalette.grid, "class": "grid"])
            writer.element("text", ["x": Coordinate.text(frame.plotLeft - 6), "y": Coordinate.text(frame.y(axis.fraction(tick)) + 4),
                                    "text-anchor": "end", "fill": ChartPalette.text, "class": "label"],
                           text: axis.label(tick))
        }
        writer.element("text", ["x": Coordinate.text(frame.plotLeft - 6), "y": Coordinate.text(frame.plotTop - 10),
                                "text-anchor": "end", "fill": ChartPalette.text, "class": "label unit"],
                       text: unit.symbol)
        writer.end()
    }

    /// A centred note in the plot (for "no data").
    func note(_ text: String) {
        writer.element("text", ["x": Coordinate.text((frame.plotLeft + frame.plotRight) / 2),
                                "y": Coordinate.text((frame.plotTop + frame.plotBottom) / 2),
                                "text-anchor": "middle", "fill": ChartPalette.text, "class": "label note"],
                       text: text)
    }

    /// Closes the root and returns the markup.
    func finish() throws -> String {
        try writer.finish()
    }
}
