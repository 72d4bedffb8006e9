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
        var seen: Set<String> = []
        var loaded: [ArchivedSnapshot] = []
        var skipped: [SkippedSnapshotFile] = []
        for archive in archives {
            let result = try archive.load(from: start, to: end)
            loaded += result.loaded.filter { seen.insert($0.file.name).inserted }
            skipped += result.skipped.map { file in
                guard archives.count > 1 else { return file }
                return SkippedSnapshotFile(name: archive.directory + "/" + file.name, error: file.error)
            }
        }
        loaded.sort { SnapshotFileInfo.inSequenceOrder($0.file, $1.file) }
        return SnapshotLoadResult(loaded: loaded, skipped: skipped.sorted { $0.name < $1.name })
    }
}
