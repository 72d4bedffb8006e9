import ArgumentParser
import Foundation
import KVCompression
import KVDashboard
import KVSnapshot

/// `bench-live` (hidden): what the live server's dashboard costs, measured on its own code path
/// (`LiveSite`): the start-up load of the longest range's window (time and the memory it keeps),
/// then per snapshot: append, render every range's page, publish.
struct LiveBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-live",
        abstract: "Measures the live dashboard: start-up load, then append + render + publish per snapshot.",
        shouldDisplay: false
    )

    @Option(name: .long, help: ArgumentHelp("The snapshot archive folder.", valueName: "DIR"))
    var snapshots: String
    @Option(name: .long, help: ArgumentHelp("Where to publish each generation.", valueName: "DIR"))
    var out: String
    @Option(name: .long, help: ArgumentHelp("The pages, as dashboard.ranges takes them.", valueName: "LIST"))
    var ranges: String = RangePages.defaultList
    @Option(name: .long, help: "How many of the newest snapshots to replay one by one.")
    var replay: Int = 20
    @Option(name: .long, help: ArgumentHelp("Template folder.", valueName: "DIR"))
    var templates: String?

    func run() throws {
        let pages: RangePages
        switch RangePages.parse(ranges) {
        case .success(let parsed): pages = parsed
        case .failure(let error): throw CommandFailure(message: "--ranges: \(error.message)")
        }
        let archive = SnapshotArchive(directory: snapshots, compression: GzipSnapshotCompression())
        guard let node = try archive.latest()?.snapshot.nodeID else {
            throw CommandFailure(message: "--snapshots: no readable snapshot in \(snapshots)")
        }
        let generator = try DashboardGenerator.loading(templates: templates, options: DashboardOptions(refreshSeconds: 30, refreshLink: "./"))
        let clock = ContinuousClock()
        var site = LiveSite(generator: generator, ranges: pages)
        let residentBefore = Self.residentBytes()
        let loadTime = try clock.measure {
            try site.load(archive: archive, node: node)
        }
        let residentAfter = Self.residentBytes()
        // New snapshots: the newest one again, one typical interval later each time.
        guard let newest = site.store.latest else { throw CommandFailure(message: "--snapshots: nothing of \(node) in the window") }
        let interval = site.store.typicalInterval ?? 15
        var times: [Double] = []
        for step in 1...max(replay, 1) {
            var snapshot = newest
            snapshot.sequence += UInt64(step)
            snapshot.time += Double(step) * interval
            snapshot.uptimeSeconds += Double(step) * interval
            let elapsed = try clock.measure {
                site.append(snapshot)
                try SitePublisher().publish(try site.render(now: Date()), to: URL(fileURLWithPath: out))
            }
            times.append(Self.milliseconds(elapsed))
        }
        times.sort()
        print(String(format: "start-up load of the window: %.0f ms (%d points kept, %d pages)",
                     Self.milliseconds(loadTime), site.store.points.count, pages.ranges.count))
        print(String(format: "memory kept by the loaded window: %.1f MB (resident after load minus before)",
                     Double(max(residentAfter - residentBefore, 0)) / 1_048_576))
        print(String(format: "regeneration per snapshot: median %.1f ms, max %.1f ms (%d replayed, %d pages)",
                     times[times.count / 2], times[times.count - 1], replay, pages.ranges.count))
    }

    /// This process's resident memory, from `/proc/self/statm` (0 where it cannot be read).
    private static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let pages = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
