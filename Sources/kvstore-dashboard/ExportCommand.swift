import ArgumentParser
import Foundation
import KVCompression
import KVDashboard
import KVMonitoring
import KVSnapshot
#if canImport(Glibc)
import Glibc
#endif

/// `export --snapshots DIR --from T --to T [--node ID] --format openmetrics [--out FILE]`: a window
/// of an archive as OpenMetrics text with timestamps, for `promtool tsdb create-blocks-from openmetrics`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Writes a window of a snapshot archive as OpenMetrics text with timestamps (for promtool tsdb create-blocks-from openmetrics)."
    )

    @Option(name: .long, help: ArgumentHelp("The snapshot archive folder.", valueName: "DIR"))
    var snapshots: String
    @Option(name: .long, help: ArgumentHelp("Window start, RFC 3339.", valueName: "TIME"))
    var from: String
    @Option(name: .long, help: ArgumentHelp("Window end, RFC 3339.", valueName: "TIME"))
    var to: String
    @Option(name: .long, help: ArgumentHelp("Only this node's snapshots (default: every node's, each series labelled node=\"ID\").", valueName: "ID"))
    var node: String?
    @Option(name: .long, help: ArgumentHelp("The output format; only openmetrics.", valueName: "FORMAT"))
    var format: String = "openmetrics"
    @Option(name: .long, help: ArgumentHelp("The file to write (replaced when complete; default: standard output).", valueName: "FILE"))
    var out: String?

    func run() throws {
        guard format == "openmetrics" else { throw CommandFailure(message: "--format: '\(format)' is not supported (only openmetrics)") }
        let (start, end) = try WindowArguments.parse(from: from, to: to)
        let archive = SnapshotArchive(directory: snapshots, compression: GzipSnapshotCompression())
        let export: OpenMetricsExport
        let skipped: [SkippedSnapshotFile]
        do {
            try WindowArguments.checkNode(node, in: ArchiveSet([archive]))
            export = try OpenMetricsExport()
            skipped = try archive.forEach(from: start, to: end, node: node) { try export.add($0.snapshot) }
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(message: "--snapshots \(snapshots): \(error)")
        }
        guard export.snapshots > 0 else {
            throw CommandFailure(message: DashboardError.emptyWindow(from: start, to: end, node: node,
                                                                     skipped: skipped.map(DashboardSkippedFile.init)).description)
        }
        try write(export)
        var summary = "exported \(export.snapshots) snapshots (\(export.points) points) to \(out ?? "standard output")"
        if !skipped.isEmpty { summary += "; \(skipped.count) files skipped (\(skipped[0].name): \(skipped[0].error.message))" }
        if export.skippedSnapshots > 0 { summary += "; \(export.skippedSnapshots) snapshots not after their node's previous one left out" }
        if !export.skippedFamilies.isEmpty { summary += "; families left out: \(export.skippedFamilies.sorted().joined(separator: ", "))" }
        if export.skippedSamples > 0 { summary += "; \(export.skippedSamples) samples left out (a bad label name, a counter without a value, or not after their series' previous point)" }
        FileHandle.standardError.write(Data("kvstore-dashboard: \(summary)\n".utf8))
    }

    /// To standard output, or to a temporary file beside `--out` renamed over it once whole.
    private func write(_ export: OpenMetricsExport) throws {
        guard let out else {
            guard let output = fdopen(dup(STDOUT_FILENO), "w") else { throw CommandFailure(message: "cannot write to standard output") }
            defer { fclose(output) }
            return try export.write(to: output)
        }
        let temporary = out + ".tmp-\(getpid())"
        guard let file = fopen(temporary, "w") else {
            throw CommandFailure(message: "--out \(out): cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        do {
            do {
                try export.write(to: file)
            } catch {
                fclose(file)
                throw error
            }
            guard fclose(file) == 0 else { throw CommandFailure(message: "--out \(out): cannot write: \(String(cString: strerror(errno)))") }
        } catch {
            unlink(temporary)
            throw error as? CommandFailure ?? CommandFailure(message: "--out \(out): \(error)")
        }
        guard rename(temporary, out) == 0 else {
            unlink(temporary)
            throw CommandFailure(message: "--out \(out): cannot rename \(temporary): \(String(cString: strerror(errno)))")
        }
    }
}
