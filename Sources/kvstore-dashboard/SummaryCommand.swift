import ArgumentParser
import Foundation
import KVCompression
import KVDashboard
import KVSnapshot

/// `summary --snapshots DIR --from T --to T`: the window's request rate and latency quantiles as
/// JSON, from the generator's own maths (used to compare with Prometheus over the same window).
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Prints a window's request rate and p50/p99 latency as JSON, computed as the charts compute them."
    )

    @Option(name: .long, help: ArgumentHelp("The snapshot archive folder.", valueName: "DIR"))
    var snapshots: String
    @Option(name: .long, help: ArgumentHelp("Window start, RFC 3339.", valueName: "TIME"))
    var from: String
    @Option(name: .long, help: ArgumentHelp("Window end, RFC 3339.", valueName: "TIME"))
    var to: String

    func run() throws {
        guard let start = SnapshotTime.parse(from) else { throw CommandFailure(message: "--from: not an RFC 3339 time: \(from)") }
        guard let end = SnapshotTime.parse(to) else { throw CommandFailure(message: "--to: not an RFC 3339 time: \(to)") }
        let loaded: SnapshotLoadResult
        do {
            loaded = try SnapshotArchive(directory: snapshots, compression: GzipSnapshotCompression()).load(from: start, to: end)
        } catch {
            throw CommandFailure(message: "--snapshots \(snapshots): \(error)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(WindowSummary(snapshots: loaded.snapshots))
        print(String(decoding: data, as: UTF8.self))
    }
}
