import Foundation

/// Reads an archive folder of snapshot files: lists it, loads a time window, checks every file.
///
/// A file that is empty, truncated, not well-formed, too large, of an unknown schema, compressed
/// without a decompressor, or whose content contradicts its name is skipped with its reason; the
/// rest load. Each file costs at most `maxFileBytes` of reading (checked before reading) and
/// `maxDecompressedBytes` of decompression. Dot-files (`.gitkeep`, temporary files `.tmp-*`) and folders
/// are ignored.
public struct SnapshotArchive: Sendable {
    /// The folder.
    public let directory: String
    /// Per-file limits.
    public let configuration: Configuration
    private let compression: (any SnapshotCompression)?
    private let codec = SnapshotCodec()

    /// An archive reader for `directory`; without `compression`, gzip files are skipped.
    public init(directory: String, configuration: Configuration = Configuration(),
                compression: (any SnapshotCompression)? = nil) {
        self.directory = directory
        self.configuration = configuration
        self.compression = compression
    }

    /// The snapshot files, from their names and sizes alone, in sequence order (by node, then
    /// sequence). Throws `SnapshotError` (`.io`) when the folder cannot be listed.
    public func list() throws -> [SnapshotFileInfo] {
        try entries().compactMap { entry in
            guard entry.isRegularFile, let name = SnapshotFileName(parsing: entry.name) else { return nil }
            return SnapshotFileInfo(name: name, bytes: entry.bytes)
        }.sorted(by: SnapshotFileInfo.inSequenceOrder)
    }

    /// Loads the snapshots whose time (from the name) is within `from...to` (nil: open), of one
    /// node's (nil: every node), in sequence order, reading and decoding the files in parallel.
    /// Every file that is not a readable snapshot (including names that are not snapshot names)
    /// is listed in `skipped`.
    public func load(from start: Date? = nil, to end: Date? = nil, node: String? = nil) throws -> SnapshotLoadResult {
        var loaded: [ArchivedSnapshot] = []
        let skipped = try forEach(from: start, to: end, node: node) { loaded.append($0) }
        return SnapshotLoadResult(loaded: loaded, skipped: skipped)
    }

    /// The files `load` reads, handed to `body` one by one in sequence order, decoded in parallel
    /// `batch` files at a time, so that at most one batch is held in memory whatever the window's
    /// length. Returns the files skipped, sorted by name.
    public func forEach(from start: Date? = nil, to end: Date? = nil, node: String? = nil, batch: Int = 256,
                        _ body: (ArchivedSnapshot) throws -> Void) throws -> [SkippedSnapshotFile] {
        let nodeComponent = node.map(SnapshotFileName.nameComponent(forNode:))
        var candidates: [SnapshotFileInfo] = []
        var skipped: [SkippedSnapshotFile] = []
        for entry in try entries() {
            guard let name = SnapshotFileName(parsing: entry.name) else {
                skipped.append(SkippedSnapshotFile(name: entry.name, error: Self.problemWithName(entry)))
                continue
            }
            guard entry.isRegularFile else {
                skipped.append(SkippedSnapshotFile(name: entry.name, error: Self.notRegularFile(entry.name)))
                continue
            }
            if let nodeComponent, name.node != nodeComponent { continue }
            if let start, name.time < start { continue }
            if let end, name.time > end { continue }
            candidates.append(SnapshotFileInfo(name: name, bytes: entry.bytes))
        }
        candidates.sort(by: SnapshotFileInfo.inSequenceOrder)
        for offset in stride(from: 0, to: candidates.count, by: max(batch, 1)) {
            let files = Array(candidates[offset..<min(offset + max(batch, 1), candidates.count)])
            for (file, result) in zip(files, files.concurrentMap { file in Result { try read(file) } }) {
                switch result {
                case .success(let snapshot): try body(ArchivedSnapshot(file: file, snapshot: snapshot))
                case .failure(let error): skipped.append(SkippedSnapshotFile(name: file.name, error: Self.snapshotError(error, file: file.name)))
                }
            }
        }
        return skipped.sorted { $0.name < $1.name }
    }

    /// The newest readable snapshot: the highest sequence of `node`, or with nil, the latest time
    /// of any node. Nil when there is none.
    public func latest(node: String? = nil) throws -> ArchivedSnapshot? {
        var files = try list()
        if let node {
            let component = SnapshotFileName.nameComponent(forNode: node)
            files = files.filter { $0.node == component }
        } else {
            files.sort { ($0.time, $0.node, $0.sequence) < ($1.time, $1.node, $1.sequence) }
        }
        for file in files.reversed() {
            if let snapshot = try? read(file) { return ArchivedSnapshot(file: file, snapshot: snapshot) }
        }
        return nil
    }

    /// The bytes of one snapshot file, as stored (possibly gzip), within the size limit.
    /// Throws `.notSnapshotName` for any other name, so a name from a URL cannot leave the folder.
    public func data(named name: String) throws -> Data {
        guard SnapshotFileName(parsing: name) != nil else {
            throw SnapshotError(.notSnapshotName, file: name, message: "not a snapshot name")
        }
        return try BoundedFileReader.read(directory: directory, name: name, limit: configuration.maxFileBytes)
    }

    /// Decodes one snapshot file by name, checking that its content matches its name.
    public func snapshot(named name: String) throws -> Snapshot {
        guard let parsed = SnapshotFileName(parsing: name) else {
            throw SnapshotError(.notSnapshotName, file: name, message: "not a snapshot name")
        }
        return try read(SnapshotFileInfo(name: parsed, bytes: 0))
    }

    /// Checks every file of the folder (dot-files and folders aside), in name order.
    public func verify() throws -> [FileVerdict] {
        try entries().concurrentMap { entry in
            guard let name = SnapshotFileName(parsing: entry.name) else {
                return FileVerdict(name: entry.name, bytes: entry.bytes, problem: Self.problemWithName(entry))
            }
            guard entry.isRegularFile else {
                return FileVerdict(name: entry.name, bytes: entry.bytes, problem: Self.notRegularFile(entry.name))
            }
            do {
                _ = try read(SnapshotFileInfo(name: name, bytes: entry.bytes))
                return FileVerdict(name: entry.name, bytes: entry.bytes, problem: nil)
            } catch {
                return FileVerdict(name: entry.name, bytes: entry.bytes, problem: Self.snapshotError(error, file: entry.name))
            }
        }
    }

    // MARK: - Reading one file

    /// Reads, decompresses and decodes a file, and checks it against its name. Throws `SnapshotError`.
    private func read(_ file: SnapshotFileInfo) throws -> Snapshot {
        var data = try BoundedFileReader.read(directory: directory, name: file.name, limit: configuration.maxFileBytes)
        if SnapshotCodec.isGzip(data) {
            guard let compression else {
                throw SnapshotError(.compressedWithoutDecompressor, file: file.name, message: "compressed, no decompressor")
            }
            do {
                data = try compression.decompress(data, maxOutputBytes: configuration.maxDecompressedBytes)
            } catch {
                throw SnapshotError(.decompression, file: file.name, message: "cannot decompress: \(error)")
            }
        }
        let snapshot = try codec.decode(data)
        if let mismatch = Self.mismatch(snapshot, file) {
            throw SnapshotError(.nameMismatch, file: file.name, message: mismatch)
        }
        return snapshot
    }

    private static func mismatch(_ snapshot: Snapshot, _ file: SnapshotFileInfo) -> String? {
        if snapshot.sequence != file.sequence {
            return "sequence \(snapshot.sequence) in the document, \(file.sequence) in the name"
        }
        if SnapshotFileName.nameComponent(forNode: snapshot.nodeID) != file.node {
            return "node \"\(snapshot.nodeID)\" in the document, \"\(file.node)\" in the name"
        }
        if SnapshotTime.formatCompact(snapshot.time) != SnapshotTime.formatCompact(file.time) {
            return "time \(SnapshotTime.format(snapshot.time)) in the document, \(SnapshotTime.format(file.time)) in the name"
        }
        return nil
    }

    /// The folder's entries that readers consider: not dot-files (temporary files among them), not folders.
    private func entries() throws -> [DirectoryEntry] {
        do {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw SnapshotError(.io, file: directory, message: "no such folder")
            }
            return try DirectoryEntry.list(directory).filter { entry in
                !SnapshotFileName.isHidden(entry.name) && !Self.isFolder(directory: directory, entry)
            }
        } catch let error as SnapshotError {
            throw error.about(directory)
        }
    }

    private static func isFolder(directory: String, _ entry: DirectoryEntry) -> Bool {
        guard !entry.isRegularFile else { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory + "/" + entry.name, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }

    private static func snapshotError(_ error: any Error, file: String) -> SnapshotError {
        (error as? SnapshotError)?.about(file) ?? SnapshotError(.invalid, file: file, message: "\(error)")
    }

    private static func problemWithName(_ entry: DirectoryEntry) -> SnapshotError {
        SnapshotError(.notSnapshotName, file: entry.name, message: "not a snapshot name")
    }

    private static func notRegularFile(_ name: String) -> SnapshotError {
        SnapshotError(.notRegularFile, file: name, message: "not a regular file")
    }
}
