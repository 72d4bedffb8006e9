import Foundation
import KVTestSupport
import Synchronization
import Testing
@testable import KVSnapshot

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// System calls that fail the way disks do, to check that no partial file is ever left.
@Suite struct SnapshotWriterFailureTests {
    func writer(_ directory: String, calls: SystemCalls) -> SnapshotWriter {
        SnapshotWriter(configuration: .init(directory: directory, nodeID: "node-a"), compression: nil,
                       now: { Date(timeIntervalSince1970: 1_795_914_123.456) }, calls: calls)
    }

    /// Writes at most `limit` bytes in all, then fails with ENOSPC.
    static func diskFull(after limit: Int) -> SystemCalls {
        let used = Mutex(0)
        var calls = SystemCalls.live
        calls.write = { descriptor, bytes in
            let allowed = used.withLock { used in
                let count = min(bytes.count, limit - used)
                used += count
                return count
            }
            if allowed == 0 {
                errno = ENOSPC
                return -1
            }
            return SystemCalls.live.write(descriptor, UnsafeRawBufferPointer(rebasing: bytes[..<allowed]))
        }
        return calls
    }

    @Test(arguments: [0, 1, 100, 1000])
    func fullDiskLeavesNoFileAndNamesTheFileAndErrno(limit: Int) throws {
        try TemporaryFolder.with { directory in
            let error = try #require(throws: SnapshotError.self) {
                try writer(directory, calls: Self.diskFull(after: limit)).write(SnapshotFixtures.full())
            }
            #expect(error.code == .io)
            #expect(error.errno == ENOSPC)
            #expect(error.file == "kvstore-node-a-000000000001-20261129T010203.456Z.json")
            #expect(error.message.contains("No space left on device"), "\(error)")
            #expect(try TemporaryFolder.names(directory).isEmpty)
        }
    }

    @Test func failingFsyncLeavesNoFile() throws {
        try TemporaryFolder.with { directory in
            var calls = SystemCalls.live
            calls.fsync = { _ in errno = EIO; return -1 }
            let error = try #require(throws: SnapshotError.self) { try writer(directory, calls: calls).write(SnapshotFixtures.full()) }
            #expect(error.errno == EIO && error.message.hasPrefix("fsync"))
            #expect(try TemporaryFolder.names(directory).isEmpty)
        }
    }

    @Test func failingRenameLeavesNoFile() throws {
        try TemporaryFolder.with { directory in
            var calls = SystemCalls.live
            calls.rename = { _, _ in errno = EXDEV; return -1 }
            let error = try #require(throws: SnapshotError.self) { try writer(directory, calls: calls).write(SnapshotFixtures.full()) }
            #expect(error.errno == EXDEV && error.message.hasPrefix("rename"))
            #expect(try TemporaryFolder.names(directory).isEmpty)
        }
    }

    @Test func writingResumesAfterTheDiskHasSpaceAgain() throws {
        try TemporaryFolder.with { directory in
            let full = Mutex(true)
            var calls = SystemCalls.live
            calls.write = { descriptor, bytes in
                if full.withLock({ $0 }) { errno = ENOSPC; return -1 }
                return SystemCalls.live.write(descriptor, bytes)
            }
            let writer = writer(directory, calls: calls)
            #expect(throws: SnapshotError.self) { try writer.write(SnapshotFixtures.minimal()) }
            full.withLock { $0 = false }
            let result = try writer.write(SnapshotFixtures.minimal())
            #expect(result.file.sequence == 1)
            #expect(try TemporaryFolder.names(directory) == [result.file.name])
        }
    }

    @Test func shortAndInterruptedWritesAreCompleted() throws {
        try TemporaryFolder.with { directory in
            let calls = Mutex(0)
            var system = SystemCalls.live
            system.write = { descriptor, bytes in
                let call = calls.withLock { $0 += 1; return $0 }
                if call % 3 == 0 { errno = EINTR; return -1 }
                return SystemCalls.live.write(descriptor, UnsafeRawBufferPointer(rebasing: bytes.prefix(7)))
            }
            let result = try writer(directory, calls: system).write(SnapshotFixtures.full())
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + result.file.name))
            #expect(data == (try SnapshotCodec().encode(result.snapshot)))
            #expect(calls.withLock { $0 } > data.count / 7)
        }
    }

    @Test func callsHappenInTheDurableOrder() throws {
        try TemporaryFolder.with { directory in
            let log = Mutex<[String]>([])
            var calls = SystemCalls.live
            calls.write = { descriptor, bytes in
                log.withLock { if $0.last != "write" { $0.append("write") } }
                return SystemCalls.live.write(descriptor, bytes)
            }
            calls.fsync = { descriptor in
                log.withLock { $0.append("fsync") }
                return SystemCalls.live.fsync(descriptor)
            }
            calls.rename = { from, to in
                log.withLock { $0.append("rename") }
                #expect(URL(fileURLWithPath: from).lastPathComponent.hasPrefix(".tmp-"))
                #expect(URL(fileURLWithPath: from).deletingLastPathComponent() == URL(fileURLWithPath: to).deletingLastPathComponent())
                return SystemCalls.live.rename(from, to)
            }
            _ = try writer(directory, calls: calls).write(SnapshotFixtures.minimal())
            // The file, then (after the rename) the folder.
            #expect(log.withLock { $0 } == ["write", "fsync", "rename", "fsync"])
        }
    }
}
