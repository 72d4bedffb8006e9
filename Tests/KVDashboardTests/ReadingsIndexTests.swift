import Foundation
import Testing
import KVTestSupport
@testable import KVDashboard
import KVSnapshot

/// The readings index beside an archive (`.readings-index/`): the pages built through it are the
/// pages built from the snapshots' JSON, byte for byte, however the files changed in between.
@Suite struct ReadingsIndexTests {
    static let now = Date(timeIntervalSince1970: Fixture.start + 5)

    /// Two and a half hours of one snapshot a minute (three hour segments) with every family the
    /// page reads: two routes, status classes, latency, storage operations, batches and durations,
    /// a check that degrades, an alert that fires, and a restart.
    static func history() -> [Snapshot] {
        (0...150).map { minute in
            let restarted = minute >= 100
            var snapshot = Fixture.snapshot(
                offset: Double((minute - 150) * 60), uptime: restarted ? Double((minute - 100) * 60 + 30) : Double(5_000 + minute * 60),
                sequence: UInt64(minute + 1),
                requests: [("200", Double(minute * 600)), ("404", Double(minute * 7)), ("503", Double(minute / 10))],
                latency: [(0.005, UInt64(minute * 300)), (0.05, UInt64(minute * 550)), (.infinity, UInt64(minute * 607))],
                memory: Double(60 + minute % 7) * 1_048_576, keys: Double(1_000 + minute),
                checks: [Fixture.check("storage", minute % 40 < 30 ? .healthy : .degraded), Fixture.check("disk", .healthy)],
                alerts: minute % 50 > 40 ? [AlertSnapshot(name: "HighErrorRate", severity: "critical", state: .firing,
                                                          activeSince: Fixture.time(0), value: 0.2, summary: "s", description: "d")] : [])
            snapshot.ruleValues = [AlertRuleValue(name: "HighErrorRate", value: Double(minute % 50) / 500, threshold: 0.05),
                                   AlertRuleValue(name: "KVStoreUnhealthy", value: minute % 40 < 30 ? 0 : 1, threshold: 2)]
            let count = Double(restarted ? minute - 100 : minute)
            snapshot.metrics[0].samples.append(MetricSample(labels: ["method": "PUT", "route": "/api/v1/kv/{key}", "code": "204"],
                                                            value: count * 90))
            snapshot.metrics += [
                MetricFamilySnapshot(name: KVMetricName.storageOperationsTotal.rawValue, help: "ops", type: .counter,
                                     labelNames: ["op"],
                                     samples: ["get", "put", "delete"].enumerated().map { index, op in
                                         MetricSample(labels: ["op": op], value: count * Double(100 / (index + 1)))
                                     }),
                MetricFamilySnapshot(name: KVMetricName.storageCommitBatchSize.rawValue, help: "batch", type: .histogram,
                                     samples: [MetricSample(buckets: [HistogramBucket(upperBound: 1, cumulativeCount: UInt64(count * 3)),
                                                                      HistogramBucket(upperBound: .infinity, cumulativeCount: UInt64(count * 5))],
                                                            sum: count * 40, count: UInt64(count * 5))]),
                MetricFamilySnapshot(name: KVMetricName.storageOperationDurationSeconds.rawValue, help: "durations", type: .histogram,
                                     labelNames: ["op"],
                                     samples: ["put", "commit"].map { op in
                                         MetricSample(labels: ["op": op],
                                                      buckets: [HistogramBucket(upperBound: 0.001, cumulativeCount: UInt64(count * 80)),
                                                                HistogramBucket(upperBound: .infinity, cumulativeCount: UInt64(count * 90))],
                                                      sum: count, count: UInt64(count * 90))
                                     }),
            ]
            return snapshot
        }
    }

    /// The default range pages of `archive` as of `now`.
    func site(_ archive: TemporaryFolder, index: Bool) throws -> RenderedSite {
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder),
                                           options: DashboardOptions())
        guard case .success(let ranges) = RangePages.parse("1h,6h") else { throw CancellationError() }
        return try ArchiveSite(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]), generator: generator,
                               ranges: ranges, index: index, now: Self.now).site
    }

    func indexFolder(_ archive: TemporaryFolder) -> String { archive.path + "/" + ReadingsIndex.folderName }

    func segments(_ archive: TemporaryFolder) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: indexFolder(archive))) ?? []).filter { $0.hasSuffix(".readings") }.sorted()
    }

    func name(_ snapshot: Snapshot) -> String {
        SnapshotFileName(node: snapshot.nodeID, sequence: snapshot.sequence, time: snapshot.time).description
    }

    @Test func pagesBuiltThroughTheIndexAreThePagesReadFromTheSnapshots() throws {
        let history = Self.history()
        let broken = SnapshotFileName(node: "node-1", sequence: 999, time: Date(timeIntervalSince1970: Fixture.start - 1_830)).description
        let archive = try Fixture.writeArchive(history, extraFiles: [broken: "{"])
        let read = try site(archive, index: false)
        #expect(segments(archive).isEmpty, "--no-index writes no index")
        let indexing = try site(archive, index: true)
        let files = try SnapshotArchive(directory: archive.path).list().filter { $0.name != broken }
        #expect(segments(archive).count == Set(files.map(ReadingsIndex.Segment.init)).count, "one segment per hour of the window")
        #expect(segments(archive).count == 4)
        let reread = try site(archive, index: true)
        #expect(indexing == read)
        #expect(reread == read)
        // The broken file is named on every page, the index folder never is.
        #expect(read.page.contains(broken))
        #expect(!reread.page.contains(ReadingsIndex.folderName))
        // Every readable file of the window has its entry, whose readings are the file's readings.
        let index = ReadingsIndex(archive: archive.path)
        var entries: [String: ReadingsIndex.Entry] = [:]
        for segment in Set(files.map(ReadingsIndex.Segment.init)) { entries.merge(index.entries(of: segment)) { $1 } }
        #expect(Set(entries.keys) == Set(files.map(\.name)))
        let last = try #require(history.last)
        var taken = IndexByteWriter(), indexed = IndexByteWriter()
        SnapshotReadings(last).encode(to: &taken)
        try #require(entries[name(last)]).readings.encode(to: &indexed)
        #expect(taken.bytes == indexed.bytes && taken.strings == indexed.strings)
        #expect(taken.strings.contains("/api/v1/kv/{key}") && taken.strings.contains("commit"))
    }

    @Test func aFileThatChangesOrAppearsIsReadAgain() throws {
        var history = Self.history()
        let added = history.removeLast()
        let archive = try Fixture.writeArchive(history)
        let before = try site(archive, index: true)
        // One snapshot rewritten with other values (the same name), and the next one written.
        var changed = history[120]
        changed.metrics = changed.metrics.map { family in
            var family = family
            if family.name == KVMetricName.processResidentMemoryBytes.rawValue { family.samples = [MetricSample(value: 512 * 1_048_576)] }
            return family
        }
        let codec = SnapshotCodec()
        try codec.encode(changed).write(to: archive.url.appendingPathComponent(name(changed)))
        try codec.encode(added).write(to: archive.url.appendingPathComponent(name(added)))
        let after = try site(archive, index: true)
        #expect(after != before)
        #expect(after == (try site(archive, index: false)))
        #expect(after.page.contains("512"))
    }

    @Test func aDamagedSegmentIsIgnoredAndWrittenAgain() throws {
        let archive = try Fixture.writeArchive(Self.history())
        let read = try site(archive, index: false)
        _ = try site(archive, index: true)
        let damaged = indexFolder(archive) + "/" + segments(archive)[1]
        var bytes = try Data(contentsOf: URL(fileURLWithPath: damaged))
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let cut = indexFolder(archive) + "/" + segments(archive)[2]
        try Data(try Data(contentsOf: URL(fileURLWithPath: cut)).prefix(100)).write(to: URL(fileURLWithPath: cut))
        #expect(throws: IndexBytesError.self) { try ReadingsIndex.decode(bytes) }
        #expect(try site(archive, index: true) == read)
        // Both were written again, whole.
        for name in [damaged, cut] {
            #expect(try !ReadingsIndex.decode(try Data(contentsOf: URL(fileURLWithPath: name))).isEmpty)
        }
    }

    @Test func anIndexThatCannotBeWrittenReadsTheSnapshots() throws {
        let archive = try Fixture.writeArchive(Self.history())
        // A file where the index folder would be: nothing can be written, the pages are still whole.
        _ = FileManager.default.createFile(atPath: indexFolder(archive), contents: Data("not a folder".utf8))
        #expect(try site(archive, index: true) == (try site(archive, index: false)))
    }

    @Test func theSegmentsOfHoursWithoutFilesArePruned() throws {
        var history = Self.history()
        let added = history.removeLast()
        let archive = try Fixture.writeArchive(history)
        _ = try site(archive, index: true)
        let oldest = segments(archive)
        #expect(oldest.count == 4)
        // Retention removes the first hour's files; the next snapshot arrives.
        let firstHour = ReadingsIndex.Segment(SnapshotFileInfo(name: SnapshotFileName(node: "node-1", sequence: 1, time: history[0].time), bytes: 0))
        for snapshot in history where ReadingsIndex.Segment(SnapshotFileInfo(
            name: SnapshotFileName(node: "node-1", sequence: snapshot.sequence, time: snapshot.time), bytes: 0)) == firstHour {
            try FileManager.default.removeItem(at: archive.url.appendingPathComponent(name(snapshot)))
        }
        try SnapshotCodec().encode(added).write(to: archive.url.appendingPathComponent(name(added)))
        #expect(try site(archive, index: true) == (try site(archive, index: false)))
        #expect(segments(archive) == Array(oldest.dropFirst()))
    }
}
