import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

/// Restarts, gaps, alert firing periods and the user's marks are drawn on the time charts.
@Suite struct ChartAnnotationsTests {
    /// Snapshots every 15 s from 0 to 60 s (uptime 600 s on), none from 60 to 300 s (a gap), then
    /// 300 and 315 s, then at 330 s an uptime of 5 s: a restart at 325 s.
    static func snapshots() -> [Snapshot] {
        let times: [(offset: Double, uptime: Double)] = [(0, 600), (15, 615), (30, 630), (45, 645), (60, 660),
                                                          (300, 900), (315, 915), (330, 5)]
        return times.enumerated().map { index, entry in
            Fixture.snapshot(offset: entry.offset, uptime: entry.uptime, sequence: UInt64(index + 1))
        }
    }

    @Test func aRestartAndAGapAreFoundAtTheirTimes() {
        let store = SeriesStore(snapshots: Self.snapshots())
        #expect(ChartAnnotations(points: store.points, typicalInterval: store.typicalInterval)
            == ChartAnnotations(restarts: [Fixture.start + 325], gaps: [(Fixture.start + 60)...(Fixture.start + 300)]))
    }

    /// Down from 60 s to a restart at 280 s (the snapshot at 300 s has an uptime of 20 s): a gap
    /// 60–280 s as well as the restart.
    @Test func theDowntimeBeforeARestartIsAGapToo() {
        let times: [(Double, Double)] = [(0, 600), (15, 615), (30, 630), (45, 645), (60, 660), (300, 20), (315, 35)]
        let store = SeriesStore(snapshots: times.enumerated().map { index, entry in
            Fixture.snapshot(offset: entry.0, uptime: entry.1, sequence: UInt64(index + 1))
        })
        #expect(ChartAnnotations(points: store.points, typicalInterval: store.typicalInterval)
            == ChartAnnotations(restarts: [Fixture.start + 280], gaps: [(Fixture.start + 60)...(Fixture.start + 280)]))
    }

    @Test func everyTimeChartMarksTheRestartAndLabelsTheGap() throws {
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder),
                                           options: DashboardOptions(window: .between(from: Fixture.start, to: Fixture.start + 330)))
        let site = try generator.render(snapshots: Self.snapshots(), now: Date(timeIntervalSince1970: Fixture.start + 331))
        try XMLWellFormedness.check(site)
        for id in ["request-rate", "latency", "memory", "status-classes", "storage-latency"] {
            let svg = String(decoding: site.files["charts/\(id).svg"] ?? Data(), as: UTF8.self)
            #expect(svg.components(separatedBy: "class=\"restart\"").count == 2, "\(id)")
            #expect(svg.contains(">restart</text>"), "\(id)")
            #expect(svg.components(separatedBy: "class=\"gap\"").count == 2, "\(id)")
            #expect(svg.contains(">no data</text>"), "\(id)")
        }
    }

    // MARK: - Alert firing periods

    static func alert(_ name: String, _ state: AlertSnapshot.State) -> AlertSnapshot {
        AlertSnapshot(name: name, severity: "critical", state: state, activeSince: Fixture.time(0), value: 0.2,
                      summary: "\(name) summary", description: "\(name) description")
    }

    /// `snapshots()` with alerts: KVHighErrorRate pending at 0 s, firing at 15, 30 and 45 s, pending
    /// again at 60 s (a period 15–60 s); KVHighLatencyP99 firing at 315 and 330 s, the last snapshot
    /// (a period 315 s to the window's end).
    static func snapshotsWithAlerts() -> [Snapshot] {
        let error = "KVHighErrorRate", latency = "KVHighLatencyP99"
        let alerts: [[AlertSnapshot]] = [[alert(error, .pending)], [alert(error, .firing)], [alert(error, .firing)],
                                         [alert(error, .firing), alert(latency, .pending)], [alert(error, .pending)], [],
                                         [alert(latency, .firing)], [alert(latency, .firing)]]
        return zip(snapshots(), alerts).map { snapshot, alerts in
            var snapshot = snapshot
            snapshot.alerts = alerts
            return snapshot
        }
    }

    static let window = DashboardOptions.Window.between(from: Fixture.start, to: Fixture.start + 330)

    @Test func anAlertFiresFromItsFirstFiringSnapshotToTheFirstThatIsNotAndPendingIsNotFiring() {
        let store = SeriesStore(snapshots: Self.snapshotsWithAlerts())
        #expect(FiringPeriod.periods(points: store.points, windowEnd: Fixture.start + 340) == [
            FiringPeriod(alert: "KVHighErrorRate", from: Fixture.start + 15, to: Fixture.start + 60),
            FiringPeriod(alert: "KVHighLatencyP99", from: Fixture.start + 315, to: Fixture.start + 340),
        ])
    }

    @Test func theFleetsBandJoinsTheNodesPeriodsPerAlert() {
        #expect(FiringPeriod.merged([
            FiringPeriod(alert: "B", from: 5, to: 8), FiringPeriod(alert: "A", from: 30, to: 45),
            FiringPeriod(alert: "A", from: 15, to: 35), FiringPeriod(alert: "A", from: 50, to: 60),
        ]) == [FiringPeriod(alert: "A", from: 15, to: 45), FiringPeriod(alert: "A", from: 50, to: 60),
               FiringPeriod(alert: "B", from: 5, to: 8)])
    }

    /// The archive is written to files and read back, so the alerts go through the snapshot decoding too.
    @Test func anArchiveWithARestartAFiringAlertAndAGapShowsAllThreeOnEveryTimeChart() throws {
        let archive = try Fixture.writeArchive(Self.snapshotsWithAlerts())
        defer { archive.remove() }
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder),
                                           options: DashboardOptions(window: Self.window))
        let built = try ArchiveSite(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]), generator: generator,
                                    now: Date(timeIntervalSince1970: Fixture.start + 331))
        let site = built.site
        try XMLWellFormedness.check(site)
        let ids = ["request-rate", "error-ratio", "latency", "memory", "threads", "storage-size", "storage-keys",
                   "status-classes", "storage-operations", "commit-batch", "storage-latency", "health-timeline"]
        let summary = "Annotations: 1 restart, 1 gap without data (4 min), alert KVHighErrorRate firing 45 s, "
            + "alert KVHighLatencyP99 firing 15 s."
        for id in ids {
            let svg = String(decoding: site.files["charts/\(id).svg"] ?? Data(), as: UTF8.self)
            #expect(svg.components(separatedBy: "class=\"restart\"").count == 2, "\(id)")
            #expect(svg.components(separatedBy: "class=\"gap\"").count == 2, "\(id)")
            #expect(svg.contains(">no data</text>"), "\(id)")
            // One band per period, from its start to its end (x of 15 s and 60 s in a 330 s window over 562 units from 62).
            #expect(svg.components(separatedBy: "class=\"alert-band\"").count == 3, "\(id)")
            // One legend entry per alert, each in its own colour, the same as its band.
            let legend = try #require(svg.components(separatedBy: "<g class=\"legend\">").dropFirst().first?
                .components(separatedBy: "</g></g>").first, "\(id)")
            #expect(legend.components(separatedBy: "class=\"legend-alert\"").count == 3, "\(id)")
            #expect(legend.contains(">KVHighErrorRate</text>") && legend.contains(">KVHighLatencyP99</text>"), "\(id)")
            #expect(legend.contains("fill=\"\(ChartPalette.alerts[0])\"") && legend.contains("fill=\"\(ChartPalette.alerts[1])\""), "\(id)")
            if id != "health-timeline" {
                #expect(svg.contains("<rect class=\"alert-band\" x=\"87.5\" y=\"38\" width=\"76.6\" height=\"182\" fill=\"\(ChartPalette.alerts[0])\""), "\(id)")
            }
            // The text alternative names them.
            #expect(svg.contains(summary), "\(id)")
        }
        let page = String(decoding: site.files["index.html"] ?? Data(), as: UTF8.self)
        #expect(page.components(separatedBy: summary).count == 2 * ids.count + 1)
    }

    // MARK: - Marks

    @Test func aMarkIsALabelledLineOnEveryTimeChartWithItsLabelEscaped() throws {
        var options = DashboardOptions(window: Self.window)
        options.marks = [ChartMark(time: Fixture.start + 120, label: "deploy <v2> & \"rollback\"")]
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder), options: options)
        let site = try generator.render(snapshots: Self.snapshots(), now: Date(timeIntervalSince1970: Fixture.start + 331))
        try XMLWellFormedness.check(site)
        let clock = LocalTime(timeZone: TimeZone(identifier: "UTC")!).clock(Fixture.start + 120)
        for id in ["request-rate", "latency", "memory", "status-classes", "storage-latency", "health-timeline"] {
            let svg = String(decoding: site.files["charts/\(id).svg"] ?? Data(), as: UTF8.self)
            #expect(svg.components(separatedBy: "class=\"mark-line\"").count == 2, "\(id)")
            // 120 s into 330 s: x = 62 + 120/330 × 562.
            if id != "health-timeline" {
                #expect(svg.contains("<line class=\"mark-line\" x1=\"266.4\" x2=\"266.4\""), "\(id)")
            }
            #expect(svg.contains(">deploy &lt;v2&gt; &amp; &quot;rollback&quot;</text>"), "\(id)")
            #expect(!svg.contains("<v2>"), "\(id)")
            #expect(svg.contains("mark deploy &lt;v2&gt; &amp; &quot;rollback&quot; at \(clock)."), "\(id)")
        }
        let page = String(decoding: site.files["index.html"] ?? Data(), as: UTF8.self)
        #expect(page.components(separatedBy: "mark deploy &lt;v2&gt; &amp; &quot;rollback&quot; at \(clock).").count == 2 * 12 + 1)
        #expect(!page.contains("<v2>"))
    }

    @Test func onlyTheMarksInsideTheWindowAreDrawn() throws {
        var options = DashboardOptions(window: Self.window)
        options.marks = [ChartMark(time: Fixture.start + 400, label: "later"), ChartMark(time: Fixture.start - 1, label: "earlier"),
                         ChartMark(time: Fixture.start + 300, label: "inside")]
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder), options: options)
        let site = try generator.render(snapshots: Self.snapshots(), now: Date(timeIntervalSince1970: Fixture.start + 331))
        let svg = String(decoding: site.files["charts/request-rate.svg"] ?? Data(), as: UTF8.self)
        #expect(svg.components(separatedBy: "class=\"mark-line\"").count == 2)
        // In the plot's right half, the label reads leftwards from the line.
        #expect(svg.contains("text-anchor=\"end\" fill=\"\(ChartPalette.mark)\" font-size=\"10\">inside</text>"))
        #expect(!svg.contains("later") && !svg.contains("earlier"))
    }

    @Test func aMarkParsesFromTimeEqualsLabel() throws {
        let mark = try ChartMark.parse("2026-11-29T02:40:00+01:00= deploy=v2 ").get()
        #expect(mark == ChartMark(time: SnapshotTime.parse("2026-11-29T01:40:00Z")!.timeIntervalSince1970, label: "deploy=v2"))
    }

    @Test(arguments: [
        ("deploy", "'deploy' is not TIME=LABEL (such as 2026-11-29T01:40:00Z=deploy)"),
        ("yesterday=deploy", "'yesterday' in 'yesterday=deploy' is not an RFC 3339 time (such as 2026-11-29T01:40:00Z)"),
        ("2026-11-29T01:40:00=deploy", "'2026-11-29T01:40:00' in '2026-11-29T01:40:00=deploy' is not an RFC 3339 time (such as 2026-11-29T01:40:00Z)"),
        ("2026-11-29T01:40:00Z=", "'2026-11-29T01:40:00Z=' has an empty label (TIME=LABEL, such as 2026-11-29T01:40:00Z=deploy)"),
        ("2026-11-29T01:40:00Z=  ", "'2026-11-29T01:40:00Z=  ' has an empty label (TIME=LABEL, such as 2026-11-29T01:40:00Z=deploy)"),
    ])
    func aBadMarkIsRefusedNamingTheValue(text: String, message: String) {
        #expect(throws: DashboardError.input(message)) { try ChartMark.parse(text).get() }
    }

    // MARK: - The fleet

    /// node-1 fires KVHighErrorRate at 15 and 30 s (not at 45 s), node-2 at 30 and 45 s (its newest,
    /// the window's end): the fleet's band is 15–45 s, one period.
    @Test func theFleetChartsShowTheMarksAndEachAlertFiringOnAnyNode() throws {
        let firing = [Self.alert("KVHighErrorRate", .firing)]
        var snapshots: [Snapshot] = []
        for (index, offset) in [0.0, 15, 30, 45].enumerated() {
            let sequence = UInt64(index + 1)
            let node1Alerts: [AlertSnapshot] = offset == 15 || offset == 30 ? firing : []
            let node2Alerts: [AlertSnapshot] = offset >= 30 ? firing : []
            snapshots.append(Fixture.snapshot(offset: offset, uptime: 600 + offset, sequence: sequence, node: "node-1", alerts: node1Alerts))
            snapshots.append(Fixture.snapshot(offset: offset, uptime: 900 + offset, sequence: sequence, node: "node-2", alerts: node2Alerts))
        }
        let archive = try Fixture.writeArchive(snapshots)
        defer { archive.remove() }
        var options = DashboardOptions(window: .last(3600))
        options.marks = [ChartMark(time: Fixture.start + 20, label: "failover")]
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder), options: options)
        let built = try ArchiveSite(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]), generator: generator,
                                    now: Date(timeIntervalSince1970: Fixture.start + 46))
        #expect(built.nodes == 2)
        try XMLWellFormedness.check(built.site)
        for id in ["fleet-request-rate", "fleet-error-ratio", "fleet-latency-p99", "fleet-memory", "fleet-health"] {
            let svg = String(decoding: built.site.files["charts/\(id).svg"] ?? Data(), as: UTF8.self)
            #expect(svg.components(separatedBy: "class=\"alert-band\"").count == 2, "\(id)")
            #expect(svg.contains("class=\"legend-alert\"") && svg.contains(">KVHighErrorRate</text>"), "\(id)")
            #expect(svg.components(separatedBy: "class=\"mark-line\"").count == 2, "\(id)")
            #expect(svg.contains(">failover</text>"), "\(id)")
            #expect(svg.contains("Annotations: alert KVHighErrorRate firing 30 s, mark failover at "), "\(id)")
        }
        // Each node's page has its own period, and the same mark.
        let node1 = String(decoding: built.site.files["nodes/node-1/charts/request-rate.svg"] ?? Data(), as: UTF8.self)
        #expect(node1.contains("Annotations: alert KVHighErrorRate firing 30 s, mark failover at "))
        let node2 = String(decoding: built.site.files["nodes/node-2/charts/request-rate.svg"] ?? Data(), as: UTF8.self)
        #expect(node2.contains("Annotations: alert KVHighErrorRate firing 15 s, mark failover at "))
    }
}
