import Foundation
import Synchronization
import Testing
import KVTestSupport
@testable import KVSnapshot

@Suite struct SnapshotWriterTests {
    func writer(_ directory: String, node: String = "node-a", retention: SnapshotRetention = SnapshotRetention(),
                clock: TestClock = TestClock(), compression: (any SnapshotCompression)? = nil) -> SnapshotWriter {
        SnapshotWriter(
            configuration: .init(directory: directory, nodeID: node, retention: retention),
            compression: compression, now: clock.function)
    }

    @Test func manyWritesLeaveOnlyCompleteFilesInSequenceOrder() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock()
            let writer = writer(directory, clock: clock)
            var written: [SnapshotWriteResult] = []
            for _ in 0..<25 {
                written.append(try writer.write(SnapshotFixtures.full(time: clock.text)))
                clock.advance(0.25)
            }
            let names = try TemporaryFolder.names(directory)
            #expect(names == written.map(\.file.name))
            #expect(names.allSatisfy { !$0.hasPrefix(".") })
            #expect(written.map(\.file.sequence) == Array(1...25))
            for result in written {
                let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + result.file.name))
                #expect(data.count == result.file.bytes)
                #expect(data == (try SnapshotCodec().encode(result.snapshot)))
            }
        }
    }

    @Test func writerStampsSequenceNodeSchemaAndUTCTime() throws {
        try TemporaryFolder.with { directory in
            var input = SnapshotFixtures.minimal(sequence: 999, nodeID: "someone-else", time: "2026-11-29T02:02:03.4567+01:00")
            input.schema = "whatever"
            let result = try writer(directory, node: "node/a").write(input)
            #expect(result.snapshot.sequence == 1)
            #expect(result.snapshot.nodeID == "node/a")
            #expect(result.snapshot.schema == "kvstore.snapshot/1")
            #expect(result.snapshot.time == Date(snapshotTime: "2026-11-29T01:02:03.457Z"))
            #expect(result.file.name == "kvstore-node_a-000000000001-20261129T010203.457Z.json")
            #expect(result.file.bytes > 0 && result.archiveFiles == 1 && result.archiveBytes == result.file.bytes)
        }
    }

    @Test func sequenceContinuesAfterARestart() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock()
            let first = writer(directory, clock: clock)
            for _ in 0..<3 { _ = try first.write(SnapshotFixtures.minimal(time: clock.text)) }
            // Another node's higher sequences do not count.
            _ = try writer(directory, node: "node-b").write(SnapshotFixtures.minimal(sequence: 0, time: clock.text))
            try TemporaryFolder.write("x", to: directory + "/kvstore-node-b-000000000500-20261129T010203.456Z.json")

            let restarted = writer(directory, clock: clock)
            #expect(try restarted.write(SnapshotFixtures.minimal(time: clock.text)).file.sequence == 4)
            #expect(try restarted.write(SnapshotFixtures.minimal(time: clock.text)).file.sequence == 5)
        }
    }

    @Test func clockSteppingBackNeverOverwrites() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock()
            let writer = writer(directory, clock: clock)
            var results: [SnapshotWriteResult] = []
            for step in [0.0, -3600, 0, -86_400, 0] {
                clock.advance(step)
                results.append(try writer.write(SnapshotFixtures.minimal(time: clock.text)))
            }
            let names = try TemporaryFolder.names(directory)
            #expect(names.count == 5)
            #expect(names == results.map(\.file.name))
            #expect(results.map(\.file.sequence) == [1, 2, 3, 4, 5])
            #expect(try SnapshotArchive(directory: directory).load().snapshots.map(\.sequence) == [1, 2, 3, 4, 5])
        }
    }

    @Test func aFileThatAppearedWithTheNextSequenceIsNotOverwritten() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock()
            let writer = writer(directory, clock: clock)
            _ = try writer.write(SnapshotFixtures.minimal(time: clock.text))
            let intruder = directory + "/kvstore-node-a-000000000002-" + SnapshotTime.formatCompact(clock.now) + ".json"
            try TemporaryFolder.write("intruder", to: intruder)
            let result = try writer.write(SnapshotFixtures.minimal(time: clock.text))
            #expect(result.file.sequence == 3)
            #expect(try String(contentsOfFile: intruder, encoding: .utf8) == "intruder")
        }
    }

    @Test func concurrentWritesGetDistinctSequences() throws {
        try TemporaryFolder.with { directory in
            let writer = writer(directory)
            let sequences = Mutex<[UInt64]>([])
            DispatchQueue.concurrentPerform(iterations: 16) { _ in
                if let result = try? writer.write(SnapshotFixtures.minimal()) {
                    sequences.withLock { $0.append(result.file.sequence) }
                }
            }
            #expect(sequences.withLock { $0.sorted() } == Array(1...16))
            let names = try TemporaryFolder.names(directory)
            #expect(names.count == 16)
        }
    }

    @Test func compressedFilesAreNamedJsonGzAndReadBack() throws {
        try TemporaryFolder.with { directory in
            let result = try writer(directory, compression: StoredGzip()).write(SnapshotFixtures.full())
            #expect(result.file.name.hasSuffix(".json.gz") && result.file.isCompressed)
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + result.file.name))
            #expect(SnapshotCodec.isGzip(data))
            let loaded = try SnapshotArchive(directory: directory, compression: StoredGzip()).load()
            #expect(loaded.skipped.isEmpty)
            #expect(try loaded.snapshots.map { try SnapshotCodec().encode($0) } == [try SnapshotCodec().encode(result.snapshot)])
        }
    }

    @Test func missingFolderIsCreated() throws {
        try TemporaryFolder.with { directory in
            let nested = directory + "/a/b/snapshots"
            _ = try writer(nested).write(SnapshotFixtures.minimal())
            #expect(try TemporaryFolder.names(nested).count == 1)
        }
    }

    @Test func aFileWhereTheFolderShouldBeIsAnIOErrorNamingIt() throws {
        try TemporaryFolder.with { directory in
            let notAFolder = directory + "/file"
            try TemporaryFolder.write("x", to: notAFolder)
            let error = try #require(throws: SnapshotError.self) { try writer(notAFolder).write(SnapshotFixtures.minimal()) }
            #expect(error.code == .io)
            #expect(error.description.contains(notAFolder))
        }
    }
}
