/// A small inline chart of one series over the window: a line, no axes, a `<title>` with the
/// lowest and highest value. Breaks where a value is NaN.
struct Sparkline {
    static let width = 120.0
    static let height = 24.0

    let times: [Double]
    let values: [Double]
    let from: Double
    let to: Double

    /// The `<svg>` markup; `title` names the series (escaped by libxml2).
    func render(title: String, unit: ValueUnit) throws -> String {
        let finite = values.filter(\.isFinite)
        let highest = finite.max() ?? 0
        let writer = SVGWriter()
        writer.start("svg", [
            "xmlns": "http://www.w3.org/2000/svg", "class": "spark",
            "width": Coordinate.text(Self.width), "height": Coordinate.text(Self.height),
            "viewBox": "0 0 \(Coordinate.text(Self.width)) \(Coordinate.text(Self.height))", "role": "img",
        ])
        let range = finite.isEmpty ? "no data" : unit.format(finite.min() ?? 0) + " to " + unit.format(highest)
        writer.element("title", text: title + ": " + range)
        let line = path(highest: highest)
        if !line.isEmpty {
            writer.empty("path", ["class": "spark-line", "d": line, "fill": "none", "stroke": ChartPalette.series[0],
                                  "stroke-width": "1.5", "stroke-linejoin": "round"])
        }
        return try writer.finish()
    }

    /// `M`/`L` commands through the finite values, scaled so that `highest` touches the top. Points
    /// that fall in one pixel column are drawn as one, at their mean time and value (a day of 15 s
    /// snapshots is 48 points per column), so the markup grows with the width, not the window.
    private func path(highest: Double) -> String {
        guard to > from else { return "" }
        var commands = ""
        var pen = false
        var column = Int.min
        var (sumX, sumY, count) = (0.0, 0.0, 0.0)
        func flush() {
            guard count > 0 else { return }
            commands += (pen ? "L" : "M") + Coordinate.text(sumX / count) + "," + Coordinate.text(sumY / count)
            pen = true
            (sumX, sumY, count) = (0, 0, 0)
        }
        for (time, value) in zip(times, values) {
            guard value.isFinite else {
                flush()
                pen = false
                continue
            }
            let x = (time - from) / (to - from) * Self.width
            let y = Self.height - 2 - (highest > 0 ? value / highest : 0) * (Self.height - 4)
            let here = Int(x.rounded(.down))
            if here != column {
                flush()
                column = here
            }
            sumX += x
            sumY += y
            count += 1
        }
        flush()
        return commands
    }
}
