import Foundation
import KVSnapshot
import Testing
@testable import KVDashboard

@Suite struct ChartLayoutTests {
    func seconds(_ text: String) -> Double { SnapshotTime.parse(text)!.timeIntervalSince1970 }
    func zone(_ name: String) -> LocalTime { LocalTime(timeZone: TimeZone(identifier: name)!) }

    @Test(arguments: [(1.0, 1.0), (1.1, 2.0), (2.1, 5.0), (5.1, 10.0), (0.03, 0.05), (370, 500), (0.002, 0.002)])
    func stepsAreOneTwoOrFiveTimesAPowerOfTen(raw: Double, step: Double) {
        #expect(abs(ValueAxis.niceStep(for: raw) - step) < 1e-12)
    }

    @Test func valueAxisCoversTheDataWithRoundTicksFromZero() {
        let axis = ValueAxis(minimum: 3, maximum: 97, targetTicks: 5)
        #expect(axis.step == 20)
        #expect(axis.ticks == [0, 20, 40, 60, 80, 100])
        #expect(axis.label(40) == "40")
        #expect(axis.fraction(50) == 0.5)
    }

    @Test func valueAxisLabelsSmallStepsWithEnoughDecimals() {
        let axis = ValueAxis(minimum: 0, maximum: 0.0123)
        #expect(axis.step == 0.005)
        #expect(axis.ticks == [0, 0.005, 0.01, 0.015])
        #expect(axis.ticks.map(axis.label) == ["0.000", "0.005", "0.010", "0.015"])
    }

    @Test func valueAxisHandlesFlatAndNegativeRanges() {
        #expect(ValueAxis(minimum: 0, maximum: 0).ticks == [0, 0.5, 1])
        #expect(ValueAxis(minimum: -3, maximum: 7).ticks == [-5, 0, 5, 10])
        #expect(ValueAxis(minimum: .nan, maximum: .nan).ticks.last == 1)
    }

    @Test func timeTicksAreWholeHoursInUTC() {
        let axis = TimeAxis(from: seconds("2026-11-29T00:10:00Z"), to: seconds("2026-11-29T06:10:00Z"), localTime: zone("UTC"))
        #expect(axis.step == 3600)
        #expect(axis.ticks.map(\.label) == ["01:00", "02:00", "03:00", "04:00", "05:00", "06:00"])
    }

    @Test func timeTicksFollowTheChosenZone() {
        let from = seconds("2026-11-29T00:10:00Z"), to = seconds("2026-11-29T06:10:00Z")
        let berlin = TimeAxis(from: from, to: to, localTime: zone("Europe/Berlin"))
        #expect(berlin.ticks.map(\.label) == ["02:00", "03:00", "04:00", "05:00", "06:00", "07:00"])
        #expect(berlin.ticks.first?.time == seconds("2026-11-29T01:00:00Z"))
        let kolkata = TimeAxis(from: from, to: to, localTime: zone("Asia/Kolkata")) // +05:30
        #expect(kolkata.ticks.first?.time == seconds("2026-11-29T00:30:00Z"))
        #expect(kolkata.ticks.first?.label == "06:00")
    }

    @Test func midnightTicksShowTheDate() {
        let axis = TimeAxis(from: seconds("2026-11-28T22:00:00Z"), to: seconds("2026-11-29T04:00:00Z"), localTime: zone("UTC"))
        #expect(axis.ticks.map(\.label) == ["22:00", "23:00", "Nov 29", "01:00", "02:00", "03:00", "04:00"])
    }

    @Test(arguments: [(600.0, 120.0), (3600, 600), (86_400, 21_600), (604_800, 172_800)])
    func stepGrowsWithTheWindow(span: Double, step: Double) {
        let from = seconds("2026-11-20T00:00:00Z")
        #expect(TimeAxis(from: from, to: from + span, localTime: zone("UTC"), maxTicks: 6).step == step)
    }

    @Test func weekWindowsTickAtLocalMidnights() {
        let axis = TimeAxis(from: seconds("2026-11-22T12:00:00Z"), to: seconds("2026-11-29T12:00:00Z"), localTime: zone("Europe/Berlin"))
        #expect(axis.step == 86_400)
        #expect(axis.ticks.first?.time == seconds("2026-11-22T23:00:00Z"))
        #expect(axis.ticks.map(\.label) == ["Nov 23", "Nov 24", "Nov 25", "Nov 26", "Nov 27", "Nov 28", "Nov 29"])
    }

    func timeline(_ count: Int, breakAt: Int? = nil) -> ChartTimeline {
        let times = (0..<count).map { Double($0) }
        let starts = (0..<count).map { (index: Int) -> Bool in index == 0 || index == breakAt }
        return ChartTimeline(times: times, startsSegment: starts, from: 0, to: Double(count - 1), localTime: zone("UTC"))
    }

    @Test func gapsSplitTheLineIntoSeparateSegments() {
        let frame = ChartFrame()
        let values: [Double] = [1, 2, 3, 4, .nan, 6, 7]
        let path = LinePath(values: values, factor: 1, timeline: timeline(7, breakAt: 2), axis: ValueAxis(minimum: 0, maximum: 10), frame: frame)
        #expect(path.line.filter { $0 == "M" }.count == 3) // [1,2] [3,4] [6,7]
        #expect(path.envelope.isEmpty)
    }

    @Test func manyPointsPerPixelBecomeAMinMaxEnvelope() {
        let frame = ChartFrame(width: 100) // a 22-unit plot
        let values = (0..<1000).map { Double($0 % 10) }
        let path = LinePath(values: values, factor: 1, timeline: timeline(1000), axis: ValueAxis(minimum: 0, maximum: 10), frame: frame)
        #expect(!path.envelope.isEmpty)
        #expect(path.line.filter { $0 == "L" }.count <= 23)
        #expect(path.envelope.hasSuffix("Z"))
    }

    @Test func pixelColumnsOfTheFrameMapTheWindow() {
        let frame = ChartFrame(width: 640, left: 62, right: 16)
        #expect(frame.x(0, from: 0, to: 100) == 62)
        #expect(frame.x(100, from: 0, to: 100) == 624)
        #expect(frame.y(0) == frame.plotBottom && frame.y(1) == frame.plotTop)
    }

    @Test func healthBandsMergeEqualStatusesAndEndAtGaps() {
        let chart = HealthTimelineChart(checks: ["disk"], statuses: [[.healthy, .healthy, .degraded, .healthy]])
        let line = ChartTimeline(times: [0, 15, 30, 600], startsSegment: [true, false, false, true], from: 0, to: 615,
                                 localTime: zone("UTC"), typicalInterval: 15)
        #expect(chart.runs(row: 0, timeline: line) == [
            .init(from: 0, to: 30, status: .healthy), .init(from: 30, to: 45, status: .degraded),
            .init(from: 600, to: 615, status: .healthy),
        ])
    }

    @Test func numbersAreFormattedWithoutLocale() {
        #expect(NumberText.grouped(1_234_567) == "1,234,567")
        #expect(NumberText.significant(0.01234) == "0.012")
        #expect(ValueUnit.milliseconds.format(0.0421) == "42.1 ms")
        #expect(ValueUnit.percent.format(0.005) == "0.500%")
        #expect(DurationText.format(3 * 86_400 + 4 * 3600 + 5) == "3 d 4 h")
        #expect(Coordinate.text(-0.04) == "0")
        #expect(Coordinate.text(-0.5) == "-0.5")
        #expect(Coordinate.text(12.34) == "12.3")
    }
}
