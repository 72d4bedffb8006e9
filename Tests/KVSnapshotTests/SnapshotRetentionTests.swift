import Foundation
import Testing
@testable import KVSnapshot

@Suite struct SnapshotRetentionTests {
    let start = Date(timeIntervalSince1970: 1_795_914_000)

    /// Files 1...count, one a minute, each `bytes` long.
    func files(_ count: Int, bytes: Int = 100) -> [SnapshotFileInfo] {
        (1...count).map { index in
            SnapshotFileInfo(
                name: SnapshotFileName(node: "n", sequence: UInt64(index), time: start.addingTimeInterval(Double(index) * 60)),
                bytes: bytes)
        }
    }

    @Test func noBoundsRemoveNothing() {
        #expect(SnapshotRetention().removals(from: files(50), now: start.addingTimeInterval(1e9)).isEmpty)
    }

    @Test func maxFilesRemovesTheOldest() {
        let removals = SnapshotRetention(maxFiles: 3).removals(from: files(5).shuffled(), now: start)
        #expect(removals.map(\.file.sequence) == [1, 2])
        #expect(removals.allSatisfy { $0.reason == .count })
    }

    @Test func maxBytesRemovesTheOldestUntilUnderTheBound() {
        let removals = SnapshotRetention(maxBytes: 250).removals(from: files(5), now: start)
        #expect(removals.map(\.file.sequence) == [1, 2, 3])
        #expect(removals.allSatisfy { $0.reason == .bytes })
    }

    @Test func maxAgeRemovesFilesOlderThanTheBoundByTheirNameTime() {
        // Files at +60 s ... +300 s; at +330 s with a 120 s bound, files older than +210 s go.
        let removals = SnapshotRetention(maxAge: 120).removals(from: files(5), now: start.addingTimeInterval(330))
        #expect(removals.map(\.file.sequence) == [1, 2, 3])
        #expect(removals.allSatisfy { $0.reason == .age })
    }

    @Test(arguments: [
        SnapshotRetention(maxFiles: 0), SnapshotRetention(maxFiles: 1), SnapshotRetention(maxBytes: 0),
        SnapshotRetention(maxBytes: 10), SnapshotRetention(maxAge: 0), SnapshotRetention(maxAge: 1),
        SnapshotRetention(maxFiles: 0, maxBytes: 0, maxAge: 0),
    ])
    func neverRemovesTheNewest(retention: SnapshotRetention) {
        let all = files(4, bytes: 1000)
        let removals = retention.removals(from: all, now: start.addingTimeInterval(1e6))
        #expect(removals.map(\.file.sequence) == [1, 2, 3])
        #expect(SnapshotRetention(maxFiles: 0).removals(from: [all[0]], now: start).isEmpty)
    }

    @Test func newestIsTheHighestSequenceNotTheLatestTime() {
        // The clock stepped back: sequence 3 has the earliest time but is the newest.
        let steppedBack = [
            SnapshotFileInfo(name: SnapshotFileName(node: "n", sequence: 1, time: start.addingTimeInterval(600)), bytes: 1),
            SnapshotFileInfo(name: SnapshotFileName(node: "n", sequence: 2, time: start.addingTimeInterval(660)), bytes: 1),
            SnapshotFileInfo(name: SnapshotFileName(node: "n", sequence: 3, time: start), bytes: 1),
        ]
        let removals = SnapshotRetention(maxAge: 60).removals(from: steppedBack, now: start.addingTimeInterval(700))
        #expect(removals.map(\.file.sequence) == [1])
        #expect(SnapshotRetention(maxFiles: 1).removals(from: steppedBack, now: start).map(\.file.sequence) == [1, 2])
    }

    @Test func boundsCombineAndEachFileIsRemovedOnce() {
        let removals = SnapshotRetention(maxFiles: 4, maxBytes: 250, maxAge: 200)
            .removals(from: files(6), now: start.addingTimeInterval(360))
        #expect(removals.map(\.file.sequence) == [1, 2, 3, 4])
        #expect(removals.map(\.reason) == [.age, .age, .bytes, .bytes])
    }
}
