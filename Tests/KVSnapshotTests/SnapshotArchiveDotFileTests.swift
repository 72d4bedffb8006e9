import Foundation
import Testing
import KVTestSupport
@testable import KVSnapshot

/// Files whose names start with `.` (`snapshots/.gitkeep`, the writer's `.tmp-*` files) are not snapshots:
/// every reader ignores them silently.
@Suite struct SnapshotArchiveDotFileTests {
    /// A folder with `.gitkeep`, another dot-file, a writer's leftover temporary file and one valid snapshot.
    func archiveWithDotFiles(_ directory: String) throws -> SnapshotWriteResult {
        let clock = TestClock()
        let writer = SnapshotWriter(configuration: .init(directory: directory, nodeID: "node-a"), now: clock.function)
        let written = try writer.write(SnapshotFixtures.full(time: clock.text))
        try Data().write(to: URL(fileURLWithPath: directory + "/.gitkeep"))
        try TemporaryFolder.write("not a snapshot", to: directory + "/.DS_Store")
        try TemporaryFolder.write("{\"partial", to: directory + "/.tmp-kvstore-node-a-000000000002-x.json-0000000000000001")
        return written
    }

    @Test func loadReadsTheSnapshotAndSkipsNoDotFile() throws {
        try TemporaryFolder.with { directory in
            let written = try archiveWithDotFiles(directory)
            let result = try SnapshotArchive(directory: directory).load()
            #expect(result.loaded.map(\.file) == [written.file])
            #expect(result.skipped.map(\.name) == [])
        }
    }

    @Test func verifyChecksOnlyTheSnapshot() throws {
        try TemporaryFolder.with { directory in
            let written = try archiveWithDotFiles(directory)
            let verdicts = try SnapshotArchive(directory: directory).verify()
            #expect(verdicts.map(\.name) == [written.file.name])
            #expect(verdicts.map(\.problem) == [nil])
        }
    }

    @Test func listAndLatestSeeOnlyTheSnapshot() throws {
        try TemporaryFolder.with { directory in
            let written = try archiveWithDotFiles(directory)
            let archive = SnapshotArchive(directory: directory)
            #expect(try archive.list() == [written.file])
            #expect(try archive.latest()?.file == written.file)
        }
    }

    @Test func theWriterStillRemovesItsLeftoverTemporaryFileAndKeepsGitkeep() throws {
        try TemporaryFolder.with { directory in
            let clock = TestClock()
            let leftover = SnapshotFileName.temporaryPrefix
                + SnapshotFileName(node: "node-a", sequence: 7, time: clock.now).description + "-0000000000000001"
            try TemporaryFolder.write("{\"partial", to: directory + "/" + leftover)
            try Data().write(to: URL(fileURLWithPath: directory + "/.gitkeep"))
            let writer = SnapshotWriter(configuration: .init(directory: directory, nodeID: "node-a"), now: clock.function)
            let written = try writer.write(SnapshotFixtures.full(time: clock.text))
            #expect(written.removedTemporaryFiles == [leftover])
            #expect(try TemporaryFolder.names(directory) == [".gitkeep", written.file.name])
        }
    }
}
