import Foundation
import KVSnapshot

/// `kvstore-dashboard bundle`: one folder that carries the evidence of a window to someone else.
///
///     OUT/index.html, OUT/charts/...   the page, built from the copied snapshots
///     OUT/snapshots/<files>            the window's readable snapshot files (redacted with rules)
///     OUT/bundle.json                  window, nodes, generator version, counts, skipped files
///     OUT/MANIFEST.sha256              every other file's SHA-256 (`sha256sum -c MANIFEST.sha256`)
///
/// The folder is written beside `OUT` and renamed into place when whole; `OUT` must not exist yet
/// (or be an empty folder). Without rules the files are copied byte for byte; with rules each is
/// decoded, redacted (`RedactionRules`), checked to decode as a snapshot again, and written as plain
/// JSON under the name its (redacted) content gives. The page is built from the copies, so it holds
/// only what they hold.
public struct SnapshotBundle: Sendable {
    /// The bundle's `bundle.json`.
    public struct Description: Codable, Sendable, Equatable {
        public struct Window: Codable, Sendable, Equatable {
            public var from: String
            public var to: String
        }

        public struct Counts: Codable, Sendable, Equatable {
            public var snapshots: Int
            public var skipped: Int
            public var files: Int
        }

        public struct Skipped: Codable, Sendable, Equatable {
            public var name: String
            public var reason: String
        }

        public var schema = "kvstore.bundle/1"
        public var window: Window
        public var nodes: [String]
        public var generator: String
        public var created: String
        public var redacted: Bool
        public var counts: Counts
        public var skipped: [Skipped]
    }

    public static let snapshotsFolder = "snapshots"
    public static let descriptionName = "bundle.json"

    public let archives: ArchiveSet
    public let from: Date
    public let to: Date
    public let node: String?
    public let redaction: RedactionRules?
    public let compression: (any SnapshotCompression)?

    public init(archives: ArchiveSet, from: Date, to: Date, node: String? = nil, redaction: RedactionRules? = nil,
                compression: (any SnapshotCompression)? = nil) {
        self.archives = archives
        self.from = from
        self.to = to
        self.node = node
        self.redaction = redaction
        self.compression = compression
    }

    /// Writes the bundle into `out` with the page of `generator` (its window set to the bundle's).
    /// Throws `DashboardError` (`.input` for an empty window or a window of only broken files,
    /// `.bundle` when `out` exists or cannot be written) and `SnapshotError` when a folder cannot be listed.
    @discardableResult
    public func write(to out: URL, generator: DashboardGenerator, now: Date) throws -> Description {
        let target = out.standardizedFileURL
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            // rename(2) replaces an empty folder; anything else is left alone.
            guard isDirectory.boolValue, (try? manager.contentsOfDirectory(atPath: target.path))?.isEmpty == true else {
                throw DashboardError.bundle("--out \(out.path): exists and is not an empty folder; give a new folder")
            }
        }
        let staging = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).new-\(UUID().uuidString)")
        do {
            let description = try fill(staging, generator: generator, now: now)
            guard rename(staging.path, target.path) == 0 else {
                throw DashboardError.bundle("--out \(out.path): cannot rename \(staging.path) into place: \(String(cString: strerror(errno)))")
            }
            return description
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
    }

    private func fill(_ folder: URL, generator: DashboardGenerator, now: Date) throws -> Description {
        let copies = folder.appendingPathComponent(Self.snapshotsFolder)
        try create(copies)
        let component = node.map(SnapshotFileName.nameComponent(forNode:))
        let (files, unnamed) = try archives.selection(from: from, to: to, component: component)
        // Named by the file alone (never its folder), redacted like everything else in the bundle.
        var skipped = unnamed.filter { $0.error.code != .notSnapshotName }.map { skippedFile($0.name, reason: $0.error.message) }
        var nodes: Set<String> = []
        for (archive, file) in files {
            do {
                let (name, data, snapshot) = try copy(file, from: archive)
                try write(data, to: copies.appendingPathComponent(name))
                nodes.insert(snapshot.nodeID)
            } catch {
                skipped.append(skippedFile(file.name, reason: (error as? SnapshotError)?.message ?? "\(error)"))
            }
        }
        let copied = try manager.contentsOfDirectory(atPath: copies.path).count
        guard copied > 0 else { throw DashboardError.emptyWindow(from: from, to: to, node: node, skipped: skipped) }

        var options = generator.options
        options.window = .between(from: from.timeIntervalSince1970, to: to.timeIntervalSince1970)
        options.warnWhenStale = false
        let page = DashboardGenerator(templates: generator.templates, options: options)
        let site = try ArchiveSite(archives: ArchiveSet([SnapshotArchive(directory: copies.path, compression: compression)]), generator: page,
                                   node: nil, index: false, now: now).site
        try XMLWellFormedness.check(site)
        for (path, data) in site.files { try write(data, to: folder.appendingPathComponent(path)) }

        let description = Description(
            window: .init(from: SnapshotTime.format(from), to: SnapshotTime.format(to)), nodes: nodes.sorted(),
            generator: "kvstore-dashboard \(KVStoreVersion.version)", created: SnapshotTime.format(now), redacted: redaction != nil,
            counts: .init(snapshots: copied, skipped: skipped.count, files: site.files.count + copied + 2),
            skipped: skipped.sorted { $0.name < $1.name }.map { .init(name: $0.name, reason: $0.reason) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try write(try encoder.encode(description) + Data("\n".utf8), to: folder.appendingPathComponent(Self.descriptionName))
        try write(Data(try BundleManifest.text(of: folder).utf8), to: folder.appendingPathComponent(BundleManifest.fileName))
        return description
    }

    /// The name, bytes and snapshot of one copied file: the stored bytes when nothing is redacted,
    /// else the redacted JSON under the name its content gives.
    private func copy(_ file: SnapshotFileInfo, from archive: SnapshotArchive) throws -> (String, Data, Snapshot) {
        let reader = SnapshotArchive(directory: archive.directory, configuration: archive.configuration, compression: compression)
        let snapshot = try reader.snapshot(named: file.name)
        guard let redaction else { return (file.name, try reader.data(named: file.name), snapshot) }
        let redacted = try redaction.redact(json: try reader.json(named: file.name))
        let decoded = try SnapshotCodec().decode(redacted)
        let name = SnapshotFileName(node: decoded.nodeID, sequence: decoded.sequence, time: decoded.time).description
        return (name, redacted, decoded)
    }

    private func skippedFile(_ name: String, reason: String) -> DashboardSkippedFile {
        let file = URL(fileURLWithPath: name).lastPathComponent
        return DashboardSkippedFile(name: redaction?.redact(file) ?? file, reason: redaction?.redact(reason) ?? reason)
    }

    private var manager: FileManager { .default }

    private func create(_ folder: URL) throws {
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DashboardError.bundle("cannot create \(folder.path): \(error.localizedDescription)")
        }
    }

    private func write(_ data: Data, to url: URL) throws {
        try create(url.deletingLastPathComponent())
        guard manager.createFile(atPath: url.path, contents: data) else {
            throw DashboardError.bundle("cannot write \(url.path)")
        }
    }
}
