/// The SVG path data of one series: a line per unbroken segment and, where more points than
/// pixels share a column, a min/max envelope around the line of column means.
struct LinePath: Equatable {
    /// `M x,y L …` with one `M` per segment.
    var line: String
    /// Closed polygons of the per-column minimum and maximum; empty when no column held two points.
    var envelope: String

    /// One reduced column: its x and the mean, minimum and maximum of its values' y.
    struct Column: Equatable {
        var x: Double
        var mean: Double
        var low: Double
        var high: Double
        var count: Int
    }

    /// Builds the paths for `values` (already in display units) at `timeline`'s times on `axis`.
    init(values: [Double], factor: Double, timeline: ChartTimeline, axis: ValueAxis, frame: ChartFrame) {
        let count = min(values.count, timeline.times.count)
        let visible = timeline.times.lazy.filter { $0 >= timeline.from && $0 <= timeline.to }.count
        let columnWidth = visible > Int(frame.plotWidth) ? 1.0 : 0.0
        var line = ""
        var envelope = ""
        var segment: [Column] = []

        func flush() {
            guard let first = segment.first else { return }
            line += "M" + Coordinate.text(first.x) + "," + Coordinate.text(first.mean)
            if segment.count == 1 {
                line += "l0,0"
            } else {
                for column in segment.dropFirst() {
                    line += "L" + Coordinate.text(column.x) + "," + Coordinate.text(column.mean)
                }
            }
            if segment.contains(where: { $0.count > 1 && $0.high != $0.low }) {
                envelope += "M" + segment.map { Coordinate.text($0.x) + "," + Coordinate.text($0.high) }.joined(separator: "L")
                envelope += "L" + segment.reversed().map { Coordinate.text($0.x) + "," + Coordinate.text($0.low) }
                    .joined(separator: "L") + "Z"
            }
            segment.removeAll(keepingCapacity: true)
        }

        for index in 0..<count {
            let time = timeline.times[index]
            let value = values[index] * factor
            if index < timeline.startsSegment.count, timeline.startsSegment[index] { flush() }
            guard time >= timeline.from, time <= timeline.to else { continue }
            guard value.isFinite else {
                flush()
                continue
            }
            let x = frame.x(time, from: timeline.from, to: timeline.to)
            let y = frame.y(min(max(axis.fraction(value), 0), 1))
            if columnWidth > 0, var last = segment.last, x.rounded(.down) == last.x.rounded(.down) {
                last.mean = (last.mean * Double(last.count) + y) / Double(last.count + 1)
                last.low = max(last.low, y) // y grows downwards: the lowest value has the largest y
                last.high = min(last.high, y)
                last.count += 1
                segment[segment.count - 1] = last
            } else {
                segment.append(Column(x: x, mean: y, low: y, high: y, count: 1))
            }
        }
        flush()
        self.line = line
        self.envelope = envelope
    }
}
