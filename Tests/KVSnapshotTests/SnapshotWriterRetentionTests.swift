import Foundation
import Testing
import KVTestSupport
@testable import KVSnapshot

@Suite struct SnapshotWriterRetentionTests {
    func writer(_ directory: String, node: String = "node-a", retention: SnapshotRetention, clock: TestClock,
                staleAge: TimeInterval = 60) -> SnapshotWriter {
        SnapshotWriter(
            configuration: .init(directory: directory, nodeID: node, retention: retention, staleTemporaryFileAge: staleAge),
            now: clock.function)
    }

    func sequences(_ directory: String) throws -> [UInt64] {
        try SnapshotArchive(directory: directory).list().map(\.sequence)
    }

    @Test func maxFilesKeepsTheNewest() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock()
            let writer = writer(directory, retention: SnapshotRetention(maxFiles: 3), clock: clock)
            var last: SnapshotWriteResult?
            for _ in 0..<10 {
                clock.advance(1)
                last = try writer.write(SnapshotFixtures.minimal(time: clock.text))
            }
            #expect(try sequences(directory) == [8, 9, 10])
            #expect(last?.removed.map(\.file.sequence) == [7])
            #expect(last?.removed.first?.reason == .count)
            #expect(last?.archiveFiles == 3)
        }
    }

    @Test func maxBytesKeepsTheTotalUnderTheBound() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock()
            let size = try SnapshotCodec().encode(SnapshotFixtures.minimal(time: clock.text)).count
            let writer = writer(directory, retention: SnapshotRetention(maxBytes: size * 4 + size / 2), clock: clock)
            var last: SnapshotWriteResult?
            for _ in 0..<10 { last = try writer.write(SnapshotFixtures.minimal(time: clock.text)) }
            #expect(try sequences(directory) == [7, 8, 9, 10])
            #expect(last.map { $0.archiveBytes <= size * 4 + size / 2 } == true)
        }
    }

    @Test func maxAgeRemovesOldFilesByTheirNameTime() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock()
            let writer = writer(directory, retention: SnapshotRetention(maxAge: 60), clock: clock)
            for _ in 0..<5 {
                _ = try writer.write(SnapshotFixtures.minimal(time: clock.text))
                clock.advance(20)
            }
            // Written at 0, 20, 40, 60, 80; the last write's retention ran at 80: the first is over 60 s old.
            #expect(try sequences(directory) == [2, 3, 4, 5])
            clock.advance(1000)
            let result = try writer.write(SnapshotFixtures.minimal(time: clock.text))
            #expect(try sequences(directory) == [6])
            #expect(result.removed.map(\.reason) == Array(repeating: .age, count: 4))
        }
    }

    @Test func theNewestSurvivesEvenWhenItsTimeIsTooOld() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock()
            let writer = writer(directory, retention: SnapshotRetention(maxFiles: 1, maxBytes: 1, maxAge: 1), clock: clock)
            let old = SnapshotTime.format(clock.now.addingTimeInterval(-86_400))
            for _ in 0..<3 { _ = try writer.write(SnapshotFixtures.minimal(time: old)) }
            #expect(try sequences(directory) == [3])
        }
    }

    @Test func otherNodesAndOtherFilesAreLeftAlone() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock()
            let other = writer(directory, node: "node-b", retention: SnapshotRetention(), clock: clock)
            for _ in 0..<3 { _ = try other.write(SnapshotFixtures.minimal(time: clock.text)) }
            try TemporaryFolder.write("notes", to: directory + "/README.txt")
            let writer = writer(directory, retention: SnapshotRetention(maxFiles: 1), clock: clock)
            for _ in 0..<3 { _ = try writer.write(SnapshotFixtures.minimal(time: clock.text)) }
            let files = try SnapshotArchive(directory: directory).list()
            #expect(files.filter { $0.node == "node-b" }.map(\.sequence) == [1, 2, 3])
            #expect(files.filter { $0.node == "node-a" }.map(\.sequence) == [3])
            #expect(FileManager.default.fileExists(atPath: directory + "/README.txt"))
        }
    }

    @Test func staleTemporaryFilesAreRemoved() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock(Date())
            let own = ".tmp-kvstore-node-a-000000000001-20261129T010203.456Z.json-00000000deadbeef"
            let othersFresh = ".tmp-kvstore-node-b-000000000001-20261129T010203.456Z.json-00000000deadbeef"
            let othersOld = ".tmp-kvstore-node-b-000000000002-20261129T010203.456Z.json-00000000deadbeef"
            for name in [own, othersFresh, othersOld] { try TemporaryFolder.write("{\"par", to: directory + "/" + name) }
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)],
                                                  ofItemAtPath: directory + "/" + othersOld)
            let writer = writer(directory, retention: SnapshotRetention(), clock: clock)

            let first = try writer.write(SnapshotFixtures.minimal(time: clock.text))
            #expect(Set(first.removedTemporaryFiles) == [own, othersOld])
            #expect(try TemporaryFolder.names(directory) == [othersFresh, first.file.name])

            clock.advance(120)
            let second = try writer.write(SnapshotFixtures.minimal(time: clock.text))
            #expect(second.removedTemporaryFiles == [othersFresh])
            #expect(try TemporaryFolder.names(directory) == [first.file.name, second.file.name])
        }
    }
}
