import KVSnapshot

/// Reads a window's files into `SnapshotReadings` through each folder's `ReadingsIndex`: entries
/// that still describe their files are used as they are, every other file is read from its JSON (in
/// parallel, as `SnapshotArchive.read` does) and its entry written back, segment by segment.
struct IndexedArchiveRead {
    /// The files, in the order their readings are handed on.
    let files: [(SnapshotArchive, SnapshotFileInfo)]

    /// How many files' readings are held at once, at most (whole segments: an hour of 15-second
    /// snapshots is 240 files).
    static let chunkFiles = 1024

    /// A stretch of `files` in one folder's segment.
    private struct Run {
        var archive: SnapshotArchive
        var segment: ReadingsIndex.Segment
        var range: Range<Int>
    }

    /// Hands each readable file's readings to `body` in order. Between files it asks `stop`, and
    /// throws `CancellationError` when that says true. Returns the files that did not read.
    func forEach(stop: () -> Bool, _ body: (SnapshotReadings, SnapshotArchive, SnapshotFileInfo) throws -> Void) throws
        -> [(archive: SnapshotArchive, file: SkippedSnapshotFile)] {
        var skipped: [(archive: SnapshotArchive, file: SkippedSnapshotFile)] = []
        var wrote: Set<String> = []
        for chunk in chunks(runs()) {
            let indexed = chunk.map { (ReadingsIndex(archive: $0.archive.directory), $0.segment) }.concurrentMap { $0.entries(of: $1) }
            var misses: [(SnapshotArchive, SnapshotFileInfo)] = []
            for (run, entries) in zip(chunk, indexed) {
                for position in run.range where entries[files[position].1.name]?.describes(files[position].1) != true {
                    misses.append(files[position])
                }
            }
            // Only the readings are kept (the newest snapshot is read again at the end), one batch decoded at a time.
            var fresh: [String: SnapshotReadings] = [:]
            skipped += try SnapshotArchive.read(misses, batch: SnapshotArchive.batch,
                                                transform: { ($0.file.name, SnapshotReadings($0.snapshot)) }) { _, value in
                if stop() { throw CancellationError() }
                fresh[value.0] = value.1
            }
            for (run, entries) in zip(chunk, indexed) {
                var updated = entries
                for position in run.range {
                    if stop() { throw CancellationError() }
                    let (archive, file) = files[position]
                    if let readings = fresh[file.name] {
                        try body(readings, archive, file)
                        if let modified = file.modified?.timeIntervalSince1970 {
                            updated[file.name] = ReadingsIndex.Entry(bytes: file.bytes, modified: modified, readings: readings)
                        }
                    } else if let entry = entries[file.name], entry.describes(file) {
                        try body(entry.readings, archive, file)
                    }
                }
                if run.range.contains(where: { fresh[files[$0].1.name] != nil }),
                   ReadingsIndex(archive: run.archive.directory).write(updated, of: run.segment) {
                    wrote.insert(run.archive.directory)
                }
            }
        }
        for archive in Set(files.map(\.0.directory)) where wrote.contains(archive) {
            prune(archive)
        }
        return skipped
    }

    /// `files` cut where the folder or the segment changes.
    private func runs() -> [Run] {
        var runs: [Run] = []
        for (position, (archive, file)) in files.enumerated() {
            let segment = ReadingsIndex.Segment(file)
            if let last = runs.last, last.archive.directory == archive.directory, last.segment == segment {
                runs[runs.count - 1].range = last.range.lowerBound..<position + 1
            } else {
                runs.append(Run(archive: archive, segment: segment, range: position..<position + 1))
            }
        }
        return runs
    }

    /// Consecutive runs, about `chunkFiles` files together (a run longer than that alone).
    private func chunks(_ runs: [Run]) -> [[Run]] {
        var chunks: [[Run]] = []
        var files = 0
        for run in runs {
            if chunks.isEmpty || files + run.range.count > Self.chunkFiles {
                chunks.append([])
                files = 0
            }
            chunks[chunks.count - 1].append(run)
            files += run.range.count
        }
        return chunks
    }

    /// Removes the folder's segments of hours that hold no snapshot file any more.
    private func prune(_ directory: String) {
        guard let all = try? SnapshotArchive(directory: directory).list() else { return }
        ReadingsIndex(archive: directory).prune(keeping: Set(all.map(ReadingsIndex.Segment.init)))
    }
}
