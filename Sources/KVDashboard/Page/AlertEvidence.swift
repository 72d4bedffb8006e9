import Foundation
import KVSnapshot

/// The page's "why it fired" charts: for each alert pending or firing at some point of the window,
/// the value its rule tested over the stretch it was active (and a margin either side, within the
/// window), its threshold as a second line, and its firing periods shaded, beside the claim that
/// it fired. The value is the alert's own while it is pending or firing and, at the other
/// snapshots, its rule's value (`rule_values`, written by the server since this release, kept by the
/// series where at least half the threshold), so the line shows the value climb to the threshold;
/// snapshots without rule values show it from pending.
struct AlertEvidence {
    /// One alert's chart, with the page anchor (its figure's id) its entry in the alerts list links to.
    struct Chart {
        var name: String
        var anchor: String
        var drawn: DashboardCharts.Drawn
    }

    /// Each alert's chart, by name.
    static func charts(points: ArraySlice<SeriesPoint>, rules: (names: [String], thresholds: [Double]) = ([], []), window: DashboardWindow,
                       localTime: LocalTime, typicalInterval: Double?, options: DashboardOptions) throws -> [Chart] {
        var names: Set<String> = []
        points.forEachInPlace { _, point in for alert in point.alerts { names.insert(alert.name) } }
        var usedIDs: Set<String> = []
        return try names.sorted().map { name in
            var id = "alert-" + slug(name)
            while !usedIDs.insert(id).inserted { id += "-" }
            return Chart(name: name, anchor: "figure-" + id,
                         drawn: try draw(name, id: id, points: points, rule: rules.names.firstIndex(of: name).map {
                             (UInt16($0), rules.thresholds[$0])
                         }, window: window, localTime: localTime,
                                         typicalInterval: typicalInterval, options: options))
        }
    }

    /// `rule`: the alert's rule among the points' rule values, and its latest threshold, when the
    /// snapshots record them (then the line shows the value before the alert went pending too).
    private static func draw(_ name: String, id: String, points: ArraySlice<SeriesPoint>, rule: (index: UInt16, threshold: Double)?,
                             window: DashboardWindow, localTime: LocalTime,
                             typicalInterval: Double?, options: DashboardOptions) throws -> DashboardCharts.Drawn {
        var first = Double.infinity, last = -Double.infinity
        points.forEachInPlace { _, point in
            guard point.alerts.contains(where: { $0.name == name }) else { return }
            first = min(first, point.time)
            last = max(last, point.time)
        }
        // Half the active stretch (at least 5 minutes) either side, within the window.
        let margin = max(300, (last - first) / 2)
        let from = max(window.from, first - margin)
        let to = max(min(window.to, last + margin), from + 1)
        let stretch = points.filter { $0.time >= from && $0.time <= to }[...]
        let readings = stretch.map { $0.alerts.first { $0.name == name } }
        let tested = stretch.map { point in rule.flatMap { rule in point.ruleValues.first { $0.rule == rule.index } }.map { Double($0.value) } }
        let threshold = readings.compactMap { $0?.threshold }.last ?? rule?.threshold
        var starts = stretch.map(\.startsSegment)
        if !starts.isEmpty { starts[0] = true }
        let timeline = ChartTimeline(times: stretch.map(\.time), startsSegment: starts, from: from, to: to, localTime: localTime,
                                     typicalInterval: typicalInterval)
        // The active alert's own value where it has one, else the rule's value at that snapshot.
        var lines = [ChartLine(name: "value", values: readings.indices.map { readings[$0]?.value ?? tested[$0] ?? .nan })]
        if let threshold { lines.append(ChartLine(name: "threshold", values: stretch.map { _ in threshold })) }
        var chart = LineChart(id: id, title: "\(name): the value it tested", unit: .plain, lines: lines)
        var annotations = ChartAnnotations(points: stretch, typicalInterval: typicalInterval, windowEnd: to)
        annotations.firing = annotations.firing.filter { $0.alert == name }
        chart.annotations = annotations
        return DashboardCharts.Drawn(id: id, title: chart.title, svg: try chart.render(timeline: timeline),
                                     summary: summary(name, stretch: stretch, readings: readings, tested: tested, threshold: threshold,
                                                      localTime: localTime),
                                     options: options)
    }

    /// `Pending from T, firing from T to T (or: still firing); the value peaked at V against the threshold W.`
    private static func summary(_ name: String, stretch: ArraySlice<SeriesPoint>, readings: [ActiveAlert?], tested: [Double?],
                                threshold: Double?, localTime: LocalTime) -> String {
        let times = stretch.map(\.time)
        let active = readings.indices.filter { readings[$0] != nil }
        let firing = readings.indices.filter { readings[$0]?.firing == true }
        var parts: [String] = []
        if let start = active.first { parts.append("\(name) active from \(localTime.full(times[start]))") }
        if let start = firing.first, let end = firing.last {
            parts.append("firing from \(localTime.full(times[start]))"
                + (end == readings.count - 1 ? ", still firing at the end" : " to \(localTime.full(times[end]))"))
        } else {
            parts.append("pending only, never firing")
        }
        let peak = readings.compactMap { $0?.value }.max()
        var text = parts.joined(separator: ", ") + "."
        if let peak {
            text += " The value peaked at \(NumberText.significant(peak))"
                + (threshold.map { " against the threshold \(NumberText.significant($0))." } ?? " (the snapshots record no threshold).")
        }
        if let start = active.first, let before = tested[..<start].compactMap({ $0 }).max() {
            text += " Before it went pending it was at most \(NumberText.significant(before))."
        }
        return text
    }

    /// Letters and digits lowercased, anything else `-`: an id from any alert name.
    static func slug(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.map { ("a"..."z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "-" })
    }
}
