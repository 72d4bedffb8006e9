import Foundation
import Testing
import KVTestSupport
@testable import KVDashboard
import KVSnapshot

/// The "why it fired" charts: each alert active in the window gets a chart of the value its rule
/// tested, its threshold and its firing periods, and the alert's entry links to it.
@Suite struct AlertEvidenceTests {
    static let now = Date(timeIntervalSince1970: Fixture.start + 5)

    /// 30 minutes, one snapshot a minute; `HighErrorRate` pending at minutes 20–21 (values 0.06,
    /// 0.07), firing from minute 22 to the end with values rising by 0.01 a minute, threshold 0.05.
    static func history(threshold: Double? = 0.05, withRuleValues: Bool = false) -> [Snapshot] {
        (0...30).map { minute in
            var alerts: [AlertSnapshot] = []
            if minute >= 20 {
                alerts = [AlertSnapshot(name: "HighErrorRate", severity: "critical", state: minute < 22 ? .pending : .firing,
                                        activeSince: Fixture.time(-600), value: 0.06 + 0.01 * Double(minute - 20), threshold: threshold,
                                        summary: "5xx above 5%", description: "d")]
            }
            var snapshot = Fixture.snapshot(offset: Double((minute - 30) * 60), uptime: Double(1_000 + minute * 60), sequence: UInt64(minute + 1),
                                            requests: [("200", Double(minute * 100))], alerts: alerts)
            // The rule's value at every snapshot: climbing by 0.001 a minute until it went pending.
            if withRuleValues {
                snapshot.ruleValues = [AlertRuleValue(name: "HighErrorRate", value: minute < 20 ? 0.01 + 0.001 * Double(minute) : 0.06 + 0.01 * Double(minute - 20),
                                                      threshold: 0.05)]
            }
            return snapshot
        }
    }

    func site(_ snapshots: [Snapshot]) throws -> RenderedSite {
        let archive = try Fixture.writeArchive(snapshots)
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder),
                                           options: DashboardOptions(window: .last(3_600)))
        return try ArchiveSite(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]), generator: generator, now: Self.now).site
    }

    @Test func anAlertActiveInTheWindowHasItsChartAndItsEntryLinksToIt() throws {
        let site = try site(Self.history())
        let page = site.page
        #expect(page.contains("<h2 id=\"evidence-heading\">Why the alerts fired</h2>"))
        #expect(page.contains("<figure class=\"chart-box\" id=\"figure-alert-higherrorrate\">"))
        #expect(page.contains("value 0.160 (threshold 0.050) · <a href=\"#figure-alert-higherrorrate\">why it fired</a>"))
        let svg = String(decoding: try #require(site.files["charts/alert-higherrorrate.svg"]), as: UTF8.self)
        #expect(svg.contains(">value<") && svg.contains(">threshold<") && svg.contains(">HighErrorRate<"), "both lines and the firing band in the legend")
        #expect(page.contains("id=\"summary-alert-higherrorrate\">HighErrorRate active from 2026-11-18 10:56:40 +00:00, firing from "
            + "2026-11-18 10:58:40 +00:00, still firing at the end. The value peaked at 0.160 against the threshold 0.050.</p>"))
    }

    @Test func theRulesValuesShowTheValueBeforeItWentPending() throws {
        let site = try site(Self.history(withRuleValues: true))
        #expect(site.page.contains("The value peaked at 0.160 against the threshold 0.050. Before it went pending it was at most 0.029.</p>"))
        // Without them the chart has no line before pending: the same page says nothing of before.
        #expect(!(try self.site(Self.history())).page.contains("Before it went pending"))
    }

    @Test func withoutAThresholdTheChartSaysSoAndWithoutAlertsThereIsNoSection() throws {
        let site = try site(Self.history(threshold: nil))
        let svg = String(decoding: try #require(site.files["charts/alert-higherrorrate.svg"]), as: UTF8.self)
        #expect(!svg.contains(">threshold<"))
        #expect(site.page.contains("The value peaked at 0.160 (the snapshots record no threshold)."))
        let quiet = try self.site(Self.history().map { snapshot in
            var snapshot = snapshot
            snapshot.alerts = []
            return snapshot
        })
        #expect(!quiet.page.contains("evidence-heading") && !quiet.files.keys.contains { $0.contains("alert-") })
    }

    @Test func theSeriesKeepsARulesValueFromHalfItsThreshold() {
        let values: [(Double, Double)] = [(0.024, 0.05), (0.025, 0.05), (0.2, 0.05), (0, 0), (1, 0), (0.5, 2)]
        var store = SeriesStore()
        for (minute, (value, threshold)) in values.enumerated() {
            var snapshot = Fixture.snapshot(offset: Double(minute * 60), uptime: Double(100 + minute * 60), sequence: UInt64(minute + 1))
            snapshot.ruleValues = [AlertRuleValue(name: "R", value: value, threshold: threshold)]
            store.append(snapshot)
        }
        #expect(store.points.map(\.ruleValues.count) == [0, 1, 1, 0, 1, 0])
        #expect(store.ruleNames == ["R"] && store.ruleThresholds == [0])
    }

    @Test func anyAlertNameGivesAnIdOfLettersDigitsAndDashes() {
        #expect(AlertEvidence.slug("KVStore High <p99> & \"x\"") == "kvstore-high--p99-----x-")
    }
}
