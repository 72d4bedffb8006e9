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
    /// The metric families each snapshot read keeps (nil: every one); see `keeping(families:)`.
    public private(set) var families: Set<String>?
    private let compression: (any SnapshotCompression)?
    private let codec = SnapshotCodec()

    /// An archive reader for `directory`; without `compression`, gzip files are skipped.
    public init(directory: String, configuration: Configuration = Configuration(),
                compression: (any SnapshotCompression)? = nil) {
        self.directory = directory
        self.configuration = configuration
        self.compression = compression
    }

    /// The same reader, decoding only the metric families named (a reader that needs a few of a
    /// file's families skips the samples of the rest unread). Checks and everything else still apply.
    public func keeping(families: Set<String>) -> SnapshotArchive {
        var reader = self
        reader.families = families
        return reader
    }

    /// The snapshot files, from their names and sizes alone, in sequence order (by node, then
    /// sequence). Throws `SnapshotError` (`.io`) when the folder cannot be listed.
    public func list() throws -> [SnapshotFileInfo] {
        try entries().compactMap { entry in
            guard entry.isRegularFile, let name = SnapshotFileName(parsing: entry.name) else { return nil }
            return SnapshotFileInfo(name: name, bytes: entry.bytes, modified: entry.modified)
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
    public func forEach(from start: Date? = nil, to end: Date? = nil, node: String? = nil, batch: Int = Self.batch,
                        _ body: (ArchivedSnapshot) throws -> Void) throws -> [SkippedSnapshotFile] {
        var (files, skipped) = try select(from: start, to: end, node: node)
        skipped += try Self.read(files.map { (self, $0) }, batch: batch) { _, archived in try body(archived) }.map(\.file)
        return skipped.sorted { $0.name < $1.name }
    }

    /// How many files `forEach` decodes at once: enough to keep every core busy, few enough that
    /// a week's window never sits in memory as decoded snapshots.
    public static let batch = 256

    /// The snapshot files within `from...to` of `node` (nil: every node), in sequence order, and
    /// the entries skipped for their names or kinds.
    public func select(from start: Date?, to end: Date?, node: String?) throws -> (files: [SnapshotFileInfo], skipped: [SkippedSnapshotFile]) {
        let nodeComponent = node.map(SnapshotFileName.nameComponent(forNode:))
        var files: [SnapshotFileInfo] = []
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
            files.append(SnapshotFileInfo(name: name, bytes: entry.bytes, modified: entry.modified))
        }
        return (files.sorted(by: SnapshotFileInfo.inSequenceOrder), skipped)
    }

    /// Reads and decodes `files` (each with its folder), `batch` at a time in parallel, handing each
    /// snapshot to `body` in the order given; returns the files that did not read, with their folders.
    public static func read(_ files: [(SnapshotArchive, SnapshotFileInfo)], batch: Int,
                            _ body: (SnapshotArchive, ArchivedSnapshot) throws -> Void) throws
        -> [(archive: SnapshotArchive, file: SkippedSnapshotFile)] {
        try read(files, batch: batch, transform: { $0 }) { archive, archived in try body(archive, archived) }
    }

    /// As `read(_:batch:_:)`, with `transform` applied to each snapshot on the thread that decoded
    /// it (in parallel too), and its result handed to `body` in order.
    public static func read<Value: Sendable>(
        _ files: [(SnapshotArchive, SnapshotFileInfo)], batch: Int, transform: @Sendable (ArchivedSnapshot) -> Value,
        _ body: (SnapshotArchive, Value) throws -> Void
    ) throws -> [(archive: SnapshotArchive, file: SkippedSnapshotFile)] {
        var skipped: [(archive: SnapshotArchive, file: SkippedSnapshotFile)] = []
        let size = max(batch, 1)
        for offset in stride(from: 0, to: files.count, by: size) {
            let chunk = Array(files[offset..<min(offset + size, files.count)])
            let results = chunk.concurrentMap { archive, file in
                Result { transform(ArchivedSnapshot(file: file, snapshot: try archive.read(file))) }
            }
            for ((archive, file), result) in zip(chunk, results) {
                switch result {
                case .success(let value): try body(archive, value)
                case .failure(let error):
                    skipped.append((archive, SkippedSnapshotFile(name: file.name, error: snapshotError(error, file: file.name))))
                }
            }
        }
        return skipped
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

    /// The JSON of one snapshot file by name: its bytes, decompressed when gzip, within both limits.
    /// Throws `SnapshotError` (`.notSnapshotName` for any other name).
    public func json(named name: String) throws -> Data {
        try decompressed(try data(named: name), name: name)
    }

    private func decompressed(_ stored: Data, name: String) throws -> Data {
        var data = stored
        if SnapshotCodec.isGzip(data) {
            guard let compression else {
                throw SnapshotError(.compressedWithoutDecompressor, file: name, message: "compressed, no decompressor")
            }
            do {
                data = try compression.decompress(data, maxOutputBytes: configuration.maxDecompressedBytes)
            } catch {
                throw SnapshotError(.decompression, file: name, message: "cannot decompress: \(error)")
            }
        }
        return data
    }

    /// Reads, decompresses and decodes a file, and checks it against its name. Throws `SnapshotError`.
    private func read(_ file: SnapshotFileInfo) throws -> Snapshot {
        let stored = try BoundedFileReader.read(directory: directory, name: file.name, limit: configuration.maxFileBytes)
        let snapshot = try codec.decode(try decompressed(stored, name: file.name), families: families)
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
