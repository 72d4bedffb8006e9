import Foundation
import Testing
@testable import KVSnapshot

@Suite struct SnapshotTimeTests {
    @Test func formatsUTCWithMilliseconds() {
        let date = Date(timeIntervalSince1970: 1_795_914_123.456)
        #expect(SnapshotTime.format(date) == "2026-11-29T01:02:03.456Z")
        #expect(SnapshotTime.formatCompact(date) == "20261129T010203.456Z")
        #expect(SnapshotTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(SnapshotTime.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(SnapshotTime.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }

    @Test func roundsToTheNearestMillisecond() {
        #expect(SnapshotTime.format(Date(timeIntervalSince1970: 1.9996)) == "1970-01-01T00:00:02.000Z")
        #expect(SnapshotTime.format(Date(timeIntervalSince1970: 1.0004)) == "1970-01-01T00:00:01.000Z")
    }

    @Test func roundedIsWhatParsingTheFormattedTextGives() throws {
        for seconds in [1_795_914_123.4567, 1_795_914_123.4564, 1_795_914_123.9996, 1.9996, 0, -0.0004, 951_782_400.0005] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(SnapshotTime.rounded(date) == SnapshotTime.parse(SnapshotTime.format(date)), "\(seconds)")
        }
    }

    @Test func formatAndParseRoundTripEveryMillisecondOfASecond() throws {
        for millisecond in 0..<1000 {
            let text = "2026-11-29T01:02:03.\(String(format: "%03d", millisecond))Z"
            let date = try #require(SnapshotTime.parse(text))
            #expect(SnapshotTime.format(date) == text)
            let compact = SnapshotTime.formatCompact(date)
            #expect(SnapshotTime.parseCompact(compact) == date)
        }
    }

    @Test func parsesOffsetsAndFractions() {
        let expected = Date(timeIntervalSince1970: 1_795_914_123)
        #expect(SnapshotTime.parse("2026-11-29T01:02:03Z") == expected)
        #expect(SnapshotTime.parse("2026-11-29t01:02:03z") == expected)
        #expect(SnapshotTime.parse("2026-11-29T02:32:03+01:30") == expected)
        #expect(SnapshotTime.parse("2026-11-28T23:02:03-02:00") == expected)
        let fine = SnapshotTime.parse("2026-11-29T01:02:03.123456789Z")
        #expect(fine.map { abs($0.timeIntervalSince1970 - 1_795_914_123.123456789) < 1e-6 } == true)
    }

    @Test(arguments: [
        "", "2026-11-29", "2026-11-29T01:02:03", "2026-11-29 01:02:03Z", "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-29T24:00:00Z", "2026-11-29T01:60:00Z",
        "2026-11-29T01:02:03.Z", "2026-11-29T01:02:03.456Zjunk", "2026-11-29T01:02:03+0100", "26-11-29T01:02:03Z",
    ])
    func rejectsInvalidTimes(text: String) {
        #expect(SnapshotTime.parse(text) == nil)
    }

    @Test func compactParsingIsStrict() {
        #expect(SnapshotTime.parseCompact("20261129T010203.456Z") != nil)
        for bad in ["20261129T010203Z", "20261129T010203.45Z", "2026-11-29T01:02:03.456Z", "20261129T010203.456"] {
            #expect(SnapshotTime.parseCompact(bad) == nil, "\(bad)")
        }
    }
}
