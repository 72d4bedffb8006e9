import Foundation
import Testing
import KVTestSupport
@testable import KVSnapshot

@Suite struct SnapshotArchiveTests {
    /// A folder with three good snapshots (sequences 1, 2, 4 of node-a) and one file of each kind of trouble.
    func brokenArchive(_ directory: String) throws -> (good: [SnapshotWriteResult], clock: TestClock) {
        let clock = TestClock()
        let writer = SnapshotWriter(configuration: .init(directory: directory, nodeID: "node-a"), now: clock.function)
        var good: [SnapshotWriteResult] = []
        for _ in 0..<2 {
            good.append(try writer.write(SnapshotFixtures.full(time: clock.text)))
            clock.advance(10)
        }
        let codec = SnapshotCodec()
        func name(_ sequence: UInt64, node: String = "node-a", compressed: Bool = false) -> String {
            directory + "/" + SnapshotFileName(node: node, sequence: sequence, time: clock.now, isCompressed: compressed).description
        }
        let complete = try codec.encode(SnapshotFixtures.full(sequence: 10, time: clock.text))
        try Data().write(to: URL(fileURLWithPath: name(10)))
        try complete.prefix(complete.count / 2).write(to: URL(fileURLWithPath: name(11)))
        try Data("garbage \u{0}\u{1} not json".utf8).write(to: URL(fileURLWithPath: name(12)))
        var future = SnapshotFixtures.full(sequence: 13, time: clock.text)
        future.schema = "kvstore.snapshot/2"
        try codec.encode(future).write(to: URL(fileURLWithPath: name(13)))
        try Data(repeating: 0x20, count: 100_000).write(to: URL(fileURLWithPath: name(14)))
        try codec.encode(SnapshotFixtures.full(sequence: 99, time: clock.text)).write(to: URL(fileURLWithPath: name(15)))
        try StoredGzip().compress(codec.encode(SnapshotFixtures.full(sequence: 16, time: clock.text)))
            .write(to: URL(fileURLWithPath: name(16, compressed: true)))
        try complete.write(to: URL(fileURLWithPath: directory + "/snapshot-latest.json"))
        try TemporaryFolder.write("{\"partial", to: directory + "/.tmp-kvstore-node-a-000000000017-x.json-0000000000000001")
        try FileManager.default.createDirectory(atPath: directory + "/subfolder", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: name(18), withDestinationPath: name(1))
        clock.advance(10)
        good.append(try writer.write(SnapshotFixtures.full(time: clock.text)))
        return (good, clock)
    }

    static let expectedSkips: [(sequence: String, code: SnapshotError.Code)] = [
        ("000000000010", .empty), ("000000000011", .truncated), ("000000000012", .malformed),
        ("000000000013", .unknownSchema), ("000000000014", .tooLarge), ("000000000015", .nameMismatch),
        ("000000000016", .compressedWithoutDecompressor), ("000000000018", .notRegularFile),
        ("snapshot-latest", .notSnapshotName),
    ]

    @Test func loadSkipsEachBrokenFileWithItsReasonAndLoadsTheRestInOrder() throws {
        try TemporaryFolder.with { directory in
            let (good, _) = try brokenArchive(directory)
            let archive = SnapshotArchive(directory: directory, configuration: .init(maxFileBytes: 50_000))
            let result = try archive.load()
            #expect(result.loaded.map(\.file.sequence) == [1, 2, 19])
            #expect(result.snapshots.map(\.sequence) == good.map(\.snapshot.sequence))
            let encoded = try result.snapshots.map { try SnapshotCodec().encode($0) }
            #expect(encoded == (try good.map { try SnapshotCodec().encode($0.snapshot) }))

            #expect(result.skipped.count == Self.expectedSkips.count)
            for (fragment, code) in Self.expectedSkips {
                let skip = result.skipped.first { $0.name.contains(fragment) }
                #expect(skip?.error.code == code, "\(fragment): \(String(describing: skip))")
            }
            let reasons = Dictionary(uniqueKeysWithValues: result.skipped.map { ($0.error.code, $0.reason) })
            #expect(reasons[.empty] == "empty")
            #expect(reasons[.unknownSchema] == "unknown schema \"kvstore.snapshot/2\"")
            #expect(reasons[.compressedWithoutDecompressor] == "compressed, no decompressor")
            #expect(reasons[.notSnapshotName] == "not a snapshot name")
            #expect(reasons[.tooLarge]?.hasPrefix("too large: 100000 bytes") == true)
            #expect(reasons[.nameMismatch]?.contains("sequence 99") == true)
        }
    }

    @Test func aDecompressorReadsCompressedFiles() throws {
        try TemporaryFolder.with { directory in
            _ = try brokenArchive(directory)
            let result = try SnapshotArchive(directory: directory, compression: StoredGzip()).load()
            #expect(result.loaded.map(\.file.sequence) == [1, 2, 16, 19])
        }
    }

    @Test func loadTakesATimeWindowAndANode() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock()
            let start = clock.now
            for node in ["node-a", "node-b"] {
                let writer = SnapshotWriter(configuration: .init(directory: directory, nodeID: node), now: clock.function)
                for index in 0..<5 {
                    _ = try writer.write(SnapshotFixtures.minimal(time: SnapshotTime.format(start.addingTimeInterval(Double(index) * 60))))
                }
            }
            let archive = SnapshotArchive(directory: directory)
            let window = try archive.load(from: start.addingTimeInterval(60), to: start.addingTimeInterval(180), node: "node-b")
            #expect(window.snapshots.map(\.sequence) == [2, 3, 4])
            #expect(window.snapshots.allSatisfy { $0.nodeID == "node-b" })
            #expect(try archive.load(from: start.addingTimeInterval(240)).loaded.map(\.file.node) == ["node-a", "node-b"])
            #expect(try archive.load(to: start.addingTimeInterval(-1)).loaded.isEmpty)
            #expect(try archive.latest(node: "node-a")?.file.sequence == 5)
        }
    }

    @Test func listReadsOnlyNames() throws {
        try TemporaryFolder.with { directory in
            let (good, _) = try brokenArchive(directory)
            let files = try SnapshotArchive(directory: directory).list()
            #expect(files.map(\.sequence) == [1, 2, 10, 11, 12, 13, 14, 15, 16, 19])
            #expect(files.first == good.first?.file)
            #expect(files.first { $0.sequence == 16 }?.isCompressed == true)
        }
    }

    @Test func latestSkipsBrokenNewerFiles() throws {
        try TemporaryFolder.with { directory in
            let (good, clock) = try brokenArchive(directory)
            try Data("{".utf8).write(to: URL(fileURLWithPath: directory + "/"
                + SnapshotFileName(node: "node-a", sequence: 50, time: clock.now).description))
            #expect(try SnapshotArchive(directory: directory).latest()?.file == good.last?.file)
        }
    }

    @Test func verifyReportsEveryBadFileAndASummary() throws {
        try TemporaryFolder.with { directory in
            _ = try brokenArchive(directory)
            let verdicts = try SnapshotArchive(directory: directory, configuration: .init(maxFileBytes: 50_000)).verify()
            #expect(verdicts.count == 12)
            #expect(verdicts.filter(\.isValid).count == 3)
            #expect(FileVerdict.summary(verdicts) == "12 files checked: 3 valid, 9 bad")
            let lines = verdicts.filter { !$0.isValid }.map(\.description)
            #expect(lines.contains("snapshot-latest.json: not a snapshot name"))
            #expect(lines.allSatisfy { $0.hasPrefix("kvstore-") || $0.hasPrefix("snapshot-") })
        }
    }

    @Test func dataNamedRefusesNamesThatAreNotSnapshots() throws {
        try TemporaryFolder.with { directory in
            let (good, _) = try brokenArchive(directory)
            let archive = SnapshotArchive(directory: directory)
            #expect(try archive.data(named: good[0].file.name).count == good[0].file.bytes)
            for name in ["../etc/passwd", "snapshot-latest.json", "kvstore-a/../../x-000000000001-20261129T010203.456Z.json"] {
                let error = try #require(throws: SnapshotError.self) { try archive.data(named: name) }
                #expect(error.code == .notSnapshotName)
            }
            #expect(try archive.snapshot(named: good[1].file.name).sequence == 2)
        }
    }

    @Test func aMissingFolderIsAnError() throws {
        let error = try #require(throws: SnapshotError.self) {
            try SnapshotArchive(directory: "/nonexistent/kvstore-snapshots").load()
        }
        #expect(error.code == .io)
    }
}
