import Foundation
import KVSnapshot

/// One or more archive folders read as one archive (`generate --snapshots A --snapshots B`).
///
/// A file name found in several folders is read once, from the first folder that has it. With
/// more than one folder, a skipped file is named with its folder (`DIR/name`) so that the page
/// says where it is; with one folder, names are as the folder's own listing gives them.
public struct ArchiveSet: Sendable {
    /// The folders, in the order given.
    public let archives: [SnapshotArchive]

    public init(_ archives: [SnapshotArchive]) {
        self.archives = archives
    }

    /// The snapshot files of every folder (each name once), in sequence order (by node, then
    /// sequence). Throws `SnapshotError` when a folder cannot be listed.
    public func list() throws -> [SnapshotFileInfo] {
        var seen: Set<String> = []
        var files: [SnapshotFileInfo] = []
        for archive in archives {
            for file in try archive.list() where seen.insert(file.name).inserted {
                files.append(file)
            }
        }
        return files.sorted(by: SnapshotFileInfo.inSequenceOrder)
    }

    /// The node components (as in file names) that have at least one file, sorted.
    public func nodes() throws -> [String] {
        Array(Set(try list().map(\.node))).sorted()
    }

    /// Loads the snapshots whose time is within `from...to` (nil: open) from every folder, as
    /// `SnapshotArchive.load` does for one.
    public func load(from start: Date? = nil, to end: Date? = nil) throws -> SnapshotLoadResult {
        var loaded: [ArchivedSnapshot] = []
        let skipped = try forEach(from: start, to: end) { loaded.append($0) }
        return SnapshotLoadResult(loaded: loaded, skipped: skipped)
    }

    /// The files `load` reads, handed to `body` one by one in sequence order and decoded a batch
    /// at a time, as `SnapshotArchive.forEach` does for one folder. Returns the files skipped, by name.
    public func forEach(from start: Date? = nil, to end: Date? = nil, batch: Int = SnapshotArchive.batch,
                        _ body: (ArchivedSnapshot) throws -> Void) throws -> [SkippedSnapshotFile] {
        try forEach(from: start, to: end, batch: batch, transform: { $0 }, body)
    }

    /// As `forEach(from:to:batch:_:)` for the files of one node (`component`, as in file names;
    /// nil: every node), with `transform` applied to each snapshot in parallel, where it was decoded.
    public func forEach<Value: Sendable>(
        from start: Date? = nil, to end: Date? = nil, component: String? = nil, batch: Int = SnapshotArchive.batch,
        transform: @Sendable (ArchivedSnapshot) -> Value, _ body: (Value) throws -> Void
    ) throws -> [SkippedSnapshotFile] {
        let (files, skipped) = try selection(from: start, to: end, component: component)
        return try (skipped + SnapshotArchive.read(files, batch: batch, transform: transform) { _, value in try body(value) }
            .map { named($0.file, in: $0.archive) }).sorted { $0.name < $1.name }
    }

    /// The files `forEach` reads, with their folders, in sequence order, and the entries skipped for
    /// their names or kinds (named as `forEach` names them).
    func selection(from start: Date?, to end: Date?, component: String?) throws
        -> (files: [(SnapshotArchive, SnapshotFileInfo)], skipped: [SkippedSnapshotFile]) {
        var seen: Set<String> = []
        var files: [(SnapshotArchive, SnapshotFileInfo)] = []
        var skipped: [SkippedSnapshotFile] = []
        for archive in archives {
            let selected = try archive.select(from: start, to: end, node: nil)
            files += selected.files.filter { seen.insert($0.name).inserted }.map { (archive, $0) }
            skipped += selected.skipped.map { named($0, in: archive) }
        }
        // Files of other nodes are not "skipped": they are simply not read.
        if let component { files.removeAll { $0.1.node != component } }
        files.sort { SnapshotFileInfo.inSequenceOrder($0.1, $1.1) }
        return (files, skipped)
    }

    /// With more than one folder, `file` named `DIR/name`; with one, as it is.
    func named(_ file: SkippedSnapshotFile, in archive: SnapshotArchive) -> SkippedSnapshotFile {
        guard archives.count > 1 else { return file }
        return SkippedSnapshotFile(name: archive.directory + "/" + file.name, error: file.error)
    }
}
