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
    @Option(name: .long, help: ArgumentHelp("A service level objective to add to the output (`objectives`), e.g. availability:99.9%; repeatable (default: availability:99.9% and latency:250ms:99%).", valueName: "SPEC"))
    var slo: [String] = []
    @Option(name: .customLong("slo-period"), help: ArgumentHelp("The period the objectives are judged over (default 30d).", valueName: "DURATION"))
    var sloPeriod: String?

    /// The window's figures and each objective's (`ObjectiveFigures`, over the window's series).
    struct Output: Encodable {
        var window: WindowSummary
        var objectives: [ObjectiveFigures]

        func encode(to encoder: any Encoder) throws {
            try window.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(objectives, forKey: .objectives)
        }

        enum Key: String, CodingKey { case objectives }
    }

    func run() throws {
        let (objectives, period) = try ObjectiveOptions.parse(slo, period: sloPeriod)
        let (start, end) = try WindowArguments.parse(from: from, to: to)
        let loaded: SnapshotLoadResult
        do {
            loaded = try SnapshotArchive(directory: snapshots, compression: GzipSnapshotCompression()).load(from: start, to: end)
        } catch {
            throw CommandFailure(message: "--snapshots \(snapshots): \(error)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let store = SeriesStore(snapshots: loaded.snapshots)
        let newest = store.points.last?.time ?? end.timeIntervalSince1970
        let figures = objectives.map { ObjectiveFigures($0, points: store.points, end: newest, periodSeconds: period) }
        let data = try encoder.encode(Output(window: WindowSummary(snapshots: loaded.snapshots), objectives: figures))
        print(String(decoding: data, as: UTF8.self))
    }
}
