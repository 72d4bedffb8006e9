import ArgumentParser
import Foundation
import KVCompression
import KVDashboard
import KVSnapshot

/// `bench-live` (hidden): what one live regeneration costs, as the server does it after each
/// snapshot: append the snapshot to a `SeriesStore` already holding the window, render, publish.
struct LiveBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-live",
        abstract: "Measures append + render + publish per snapshot against a loaded window.",
        shouldDisplay: false
    )

    @Option(name: .long, help: ArgumentHelp("The snapshot archive folder.", valueName: "DIR"))
    var snapshots: String
    @Option(name: .long, help: ArgumentHelp("Where to publish each generation.", valueName: "DIR"))
    var out: String
    @Option(name: .long, help: ArgumentHelp("The window the page shows.", valueName: "DURATION"))
    var last: String = "24h"
    @Option(name: .long, help: "How many of the newest snapshots to replay one by one.")
    var replay: Int = 20
    @Option(name: .long, help: ArgumentHelp("Template folder.", valueName: "DIR"))
    var templates: String?

    func run() throws {
        guard let window = DurationSyntax.seconds(last) else { throw CommandFailure(message: "--last: '\(last)' is not a duration") }
        guard let folder = templates.map({ URL(fileURLWithPath: $0) }) ?? TemplateLocator.defaultDirectory() else {
            throw CommandFailure(message: "no templates folder found: pass --templates DIR")
        }
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: folder),
                                           options: DashboardOptions(refreshSeconds: 30, window: .last(window)))
        let clock = ContinuousClock()
        var loaded: ArchiveWindow?
        let loadTime = try clock.measure {
            loaded = try ArchiveWindow(archive: SnapshotArchive(directory: snapshots, compression: GzipSnapshotCompression()), window: generator.options.window)
        }
        let all = loaded?.snapshots ?? []
        guard all.count > replay else { throw CommandFailure(message: "--snapshots: fewer than \(replay + 1) snapshots in the window") }
        var store = SeriesStore(retention: window)
        for snapshot in all.dropLast(replay) { store.append(snapshot) }
        var times: [Double] = []
        for snapshot in all.suffix(replay) {
            let elapsed = try clock.measure {
                store.append(snapshot)
                let site = try generator.render(store: store, now: Date())
                try SitePublisher().publish(site, to: URL(fileURLWithPath: out))
            }
            times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        times.sort()
        let loadMilliseconds = Double(loadTime.components.seconds) * 1000 + Double(loadTime.components.attoseconds) / 1e15
        print(String(format: "start-up load of the window: %.0f ms (%d snapshots)", loadMilliseconds, all.count))
        print(String(format: "regeneration per snapshot: median %.1f ms, max %.1f ms (%d replayed, %d points kept)",
                     times[times.count / 2], times[times.count - 1], replay, store.points.count))
    }
}
