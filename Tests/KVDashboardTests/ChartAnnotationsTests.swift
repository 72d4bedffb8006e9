import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

/// Restarts and gaps are marked on the time charts.
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
}
