import Foundation
import KVSnapshot
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The derived index beside an archive: each snapshot file's `SnapshotReadings`, so that a page
/// built again reads a few segment files instead of parsing every snapshot's JSON.
///
/// The snapshots stay the source of truth. The index lives in the archive's hidden folder
/// `.readings-index/` (readers of the archive ignore dot-names), one segment file per node and UTC
/// hour of the snapshots' names. An entry is used only when its file's name, size and modification
/// time are the file's now; any other file is read from its JSON and its entry written, so a file
/// that changes or appears is read again. A segment that is damaged, cut short or of another
/// version is ignored whole and rewritten. Files that do not read are never indexed (they are read,
/// and skipped, every time, with their reason). Writing is best effort: a folder that cannot be
/// written (a read-only copy of an archive) is read as if it had no index.
struct ReadingsIndex: Sendable {
    /// The folder's name inside the archive.
    static let folderName = ".readings-index"
    private static let magic: [UInt8] = Array("KVRI".utf8)
    /// Changes whenever the bytes of `SnapshotReadings` change; the release (`KVStoreVersion`) is
    /// written beside it, so that a segment written by another release, which may take other readings
    /// from the same snapshot, is never used.
    private static let version: UInt8 = 3
    private static let release = Array(KVStoreVersion.version.utf8)
    private static let suffix = ".readings"

    /// One indexed file: what it was when indexed, and its readings.
    struct Entry: Sendable {
        var bytes: Int
        var modified: Double
        var readings: SnapshotReadings

        /// Whether this entry describes `file` as it is now.
        func describes(_ file: SnapshotFileInfo) -> Bool {
            bytes == file.bytes && modified == file.modified?.timeIntervalSince1970
        }
    }

    /// A segment: one node's files of one UTC hour.
    struct Segment: Hashable, Sendable {
        var node: String
        var hour: Int

        init(_ file: SnapshotFileInfo) {
            node = file.node
            hour = Int((file.time.timeIntervalSince1970 / 3600).rounded(.down))
        }

        var fileName: String { "\(node)-\(hour)\(ReadingsIndex.suffix)" }
    }

    /// The archive folder the index belongs to.
    let archive: String
    private var folder: String { archive + "/" + Self.folderName }

    init(archive: String) {
        self.archive = archive
    }

    /// The entries of `segment` by file name; empty when it has no file or the file is not a whole,
    /// current segment.
    func entries(of segment: Segment) -> [String: Entry] {
        guard let data = FileManager.default.contents(atPath: folder + "/" + segment.fileName) else { return [:] }
        return (try? Self.decode(data)) ?? [:]
    }

    /// Writes `entries` as `segment`'s file (a temporary file renamed over it, so a reader sees the old
    /// segment or the new one). Returns false, changing nothing, when the folder cannot be written.
    @discardableResult
    func write(_ entries: [String: Entry], of segment: Segment) -> Bool {
        guard mkdir(folder, 0o755) == 0 || errno == EEXIST else { return false }
        let temporary = folder + "/" + SnapshotFileName.temporaryPrefix + segment.fileName + "-\(UInt32.random(in: .min ... .max))"
        guard FileManager.default.createFile(atPath: temporary, contents: Self.encode(entries)) else { return false }
        guard rename(temporary, folder + "/" + segment.fileName) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// Removes the segment files of hours in which the archive has no file any more (retention took them).
    func prune(keeping segments: Set<Segment>) {
        let names = Set(segments.map(\.fileName))
        guard let present = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in present where name.hasSuffix(Self.suffix) && !names.contains(name) {
            unlink(folder + "/" + name)
        }
    }

    // MARK: - Bytes

    /// `KVRI`, the format version, the release (its length, then its bytes), the payload's FNV-1a
    /// checksum (8 bytes), then the payload: the string
    /// table, then each entry (name, size, modification time, readings).
    static func encode(_ entries: [String: Entry]) -> Data {
        var body = IndexByteWriter()
        body.encode(entries.sorted { $0.key < $1.key }) { writer, entry in
            writer.string(entry.key)
            writer.count(entry.value.bytes)
            writer.double(entry.value.modified)
            entry.value.readings.encode(to: &writer)
        }
        var payload = IndexByteWriter()
        payload.encode(body.strings) { $0.literal($1) }
        payload.append(body.bytes)
        var file = IndexByteWriter()
        file.append(magic)
        file.byte(version)
        file.byte(UInt8(release.count))
        file.append(release)
        file.double(Double(bitPattern: payload.bytes.withUnsafeBytes(IndexChecksum.of)))
        file.append(payload.bytes)
        return Data(file.bytes)
    }

    static func decode(_ data: Data) throws -> [String: Entry] {
        try data.withUnsafeBytes { buffer in
            let prefix = magic + [version, UInt8(release.count)] + release
            let header = prefix.count + 8
            guard buffer.count >= header, Array(buffer[0..<prefix.count]) == prefix else { throw IndexBytesError() }
            var reader = IndexByteReader(buffer, offset: prefix.count)
            let checksum = try reader.double().bitPattern
            guard IndexChecksum.of(UnsafeRawBufferPointer(rebasing: buffer[header...])) == checksum else { throw IndexBytesError() }
            reader.strings = try reader.array { try $0.literal() }
            let entries = try reader.dictionary { reader in
                (try reader.string(), Entry(bytes: Int(clamping: try reader.integer()), modified: try reader.double(),
                                            readings: try SnapshotReadings(decoding: &reader)))
            }
            guard reader.isAtEnd else { throw IndexBytesError() }
            return entries
        }
    }
}
