import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a node's snapshots into an archive folder, atomically, and applies retention.
///
/// Each write: temp file (`O_EXCL`) → write → fsync → rename → fsync the folder, so a final name
/// never shows a partial file. Names carry a sequence that continues from the highest one of this
/// node in the folder, so a restart continues the archive and a clock stepping back never
/// overwrites a file. File I/O is synchronous: call it off the request path. Writes are serialised.
public final class SnapshotWriter: Sendable {
    /// The writer's configuration.
    public let configuration: Configuration
    private let compression: (any SnapshotCompression)?
    private let now: @Sendable () -> Date
    private let fileWriter: AtomicFileWriter
    private let node: String
    private let state = Mutex(State())

    private struct State {
        var nextSequence: UInt64 = 1
        var hasStarted = false
    }

    /// Creates a writer. Nothing is touched on disk until the first write.
    /// - Parameters:
    ///   - compression: when given, files are gzip-compressed and named `.json.gz`.
    ///   - now: the wall clock, for retention by age and the age of temporary files.
    public convenience init(configuration: Configuration, compression: (any SnapshotCompression)? = nil,
                            now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(configuration: configuration, compression: compression, now: now, calls: .live)
    }

    /// Creates a writer whose system calls can be replaced (tests make them fail).
    init(configuration: Configuration, compression: (any SnapshotCompression)?, now: @escaping @Sendable () -> Date,
         calls: SystemCalls) {
        self.configuration = configuration
        self.compression = compression
        self.now = now
        self.fileWriter = AtomicFileWriter(calls: calls, permissions: mode_t(configuration.filePermissions))
        self.node = SnapshotFileName.nameComponent(forNode: configuration.nodeID)
    }

    /// Writes `snapshot` as the node's next file, then applies retention.
    ///
    /// The writer sets the document's `schema`, `sequence` and `nodeID`, and rounds `time` to the
    /// millisecond (`SnapshotTime.rounded`); the file name carries the same time.
    /// Throws `SnapshotError`; after an error no partial file exists under a final name.
    public func write(_ snapshot: Snapshot) throws -> SnapshotWriteResult {
        try state.withLock { state in
            try write(snapshot, state: &state)
        }
    }

    private func write(_ snapshot: Snapshot, state: inout State) throws -> SnapshotWriteResult {
        let started = ContinuousClock.now
        let directory = configuration.directory
        try createDirectoryIfMissing()
        let entries: [DirectoryEntry]
        do { entries = try DirectoryEntry.list(directory) } catch let error as SnapshotError { throw error.about(directory) }
        let ownFiles = entries.compactMap(ownFile)

        var document = snapshot
        document.schema = Snapshot.currentSchema
        document.nodeID = configuration.nodeID
        // Rounded to what the document can hold, so the name and the document agree.
        let time = SnapshotTime.rounded(snapshot.time)
        document.time = time
        // Every name of this node counts, a link or a folder too: a sequence is never reused.
        let taken = Set(entries.compactMap { SnapshotFileName(parsing: $0.name) }.filter { $0.node == node }.map(\.sequence))
        var sequence = max(state.nextSequence, (taken.max() ?? 0) + 1)
        var name = SnapshotFileName(node: node, sequence: sequence, time: time, isCompressed: compression != nil)
        while taken.contains(sequence) || DirectoryEntry.lookUp(directory: directory, name: name.description) != nil {
            sequence += 1
            name.sequence = sequence
        }
        document.sequence = sequence

        var data = try codec.encode(document)
        if let compression {
            do { data = try compression.compress(data) } catch {
                throw SnapshotError(.encoding, file: name.description, message: "cannot compress: \(error)")
            }
        }
        try fileWriter.write(data, directory: directory, name: name.description)
        state.nextSequence = sequence + 1

        let written = SnapshotFileInfo(name: name, bytes: data.count)
        let files = ownFiles + [written]
        let removals = configuration.retention.removals(from: files, now: now())
        var removed: [SnapshotRetention.Removal] = []
        var errors: [SnapshotError] = []
        for removal in removals {
            if let error = remove(removal.file.name) { errors.append(error) } else { removed.append(removal) }
        }
        let temporaryFiles = staleTemporaryFiles(in: entries, atStartUp: !state.hasStarted)
        let removedTemporaryFiles = temporaryFiles.filter { remove($0) == nil }
        state.hasStarted = true

        let remaining = files.filter { file in !removed.contains { $0.file.name == file.name } }
        return SnapshotWriteResult(
            file: written, snapshot: document, duration: ContinuousClock.now - started, removed: removed,
            removedTemporaryFiles: removedTemporaryFiles, retentionErrors: errors,
            archiveFiles: remaining.count, archiveBytes: remaining.reduce(0) { $0 + $1.bytes })
    }

    private let codec = SnapshotCodec()

    /// A regular file of this node with a snapshot name.
    private func ownFile(_ entry: DirectoryEntry) -> SnapshotFileInfo? {
        guard entry.isRegularFile, let name = SnapshotFileName(parsing: entry.name), name.node == node else { return nil }
        return SnapshotFileInfo(name: name, bytes: entry.bytes)
    }

    /// Temporary files older than the configured age, and at start-up every one of this node's.
    private func staleTemporaryFiles(in entries: [DirectoryEntry], atStartUp: Bool) -> [String] {
        let cutoff = now().addingTimeInterval(-configuration.staleTemporaryFileAge)
        return entries.filter { entry in
            guard entry.isRegularFile, SnapshotFileName.isTemporary(entry.name) else { return false }
            if entry.modified < cutoff { return true }
            return atStartUp && temporaryFileNode(entry.name) == node
        }.map(\.name)
    }

    /// The node of `.tmp-<snapshot name>-<random>`, if it has that shape.
    private func temporaryFileNode(_ name: String) -> String? {
        let inner = name.dropFirst(SnapshotFileName.temporaryPrefix.count)
        guard let dash = inner.lastIndex(of: "-") else { return nil }
        return SnapshotFileName(parsing: String(inner[..<dash]))?.node
    }

    /// Removes a file of the archive; nil when done (or already gone).
    private func remove(_ name: String) -> SnapshotError? {
        let path = configuration.directory + "/" + name
        if unlink(path) == 0 || errno == ENOENT { return nil }
        return SystemError.io("remove", path, file: name)
    }

    private func createDirectoryIfMissing() throws {
        let directory = configuration.directory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SnapshotError(.io, file: directory, message: "cannot create folder: \(error.localizedDescription)")
        }
        let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
        try fileWriter.syncDirectory(parent, file: directory)
    }
}
