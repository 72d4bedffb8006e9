import ArgumentParser
import Foundation
import KVCompression
import KVDashboard
import KVSnapshot

/// `diff --snapshots DIR --before FROM..TO --after FROM..TO --out DIR`: one page setting two windows
/// of a node side by side (routes, health, alerts, overlaid charts).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Renders one page comparing two windows of an archive (e.g. the hour before a deploy and the hour after)."
    )

    @Option(name: .long, help: ArgumentHelp("A snapshot archive folder; give it again for more folders read as one archive.", valueName: "DIR"))
    var snapshots: [String]
    @Option(name: .long, help: ArgumentHelp("The first window: two RFC 3339 times joined by '..'.", valueName: "FROM..TO"))
    var before: String
    @Option(name: .long, help: ArgumentHelp("The second window, likewise.", valueName: "FROM..TO"))
    var after: String
    @Option(name: .long, help: ArgumentHelp("The folder to publish the page as (replaced as a whole).", valueName: "DIR"))
    var out: String
    @Option(name: .long, help: ArgumentHelp("The node compared (default: the node of the newest file).", valueName: "ID"))
    var node: String?
    @Option(name: .long, help: "The page title.")
    var title: String = "kvstore: before and after"
    @Option(name: .long, help: ArgumentHelp("Time zone of every time on the page (IANA name).", valueName: "ZONE"))
    var timezone: String = "UTC"
    @Option(name: .long, help: ArgumentHelp("Template folder overriding the shipped templates/.", valueName: "DIR"))
    var templates: String?

    func run() throws {
        let (beforeFrom, beforeTo) = try Self.window(before, option: "--before")
        let (afterFrom, afterTo) = try Self.window(after, option: "--after")
        guard let zone = TimeZone(identifier: timezone) else {
            throw CommandFailure(message: "--timezone: unknown time zone '\(timezone)' (use an IANA name such as Europe/Berlin)")
        }
        let generator = try DashboardGenerator.loading(templates: templates, options: DashboardOptions(title: title, timeZone: zone))
        let archives = ArchiveSet(snapshots.map { SnapshotArchive(directory: $0, compression: GzipSnapshotCompression()) })
        do {
            try WindowArguments.checkNode(node, in: archives)
            let sides = try [(beforeFrom, beforeTo), (afterFrom, afterTo)].map { from, to in
                var store = SeriesStore()
                let read = try ArchiveWindow.read(archives: archives, window: .between(from: from.timeIntervalSince1970, to: to.timeIntervalSince1970),
                                                  node: node, into: &store)
                guard !store.points(from: from.timeIntervalSince1970, to: to.timeIntervalSince1970).isEmpty else {
                    throw DashboardError.emptyWindow(from: from, to: to, node: node, skipped: read.skipped)
                }
                return (WindowComparison.Side(store: store, window: DashboardWindow(from: from.timeIntervalSince1970, to: to.timeIntervalSince1970)),
                        read.node)
            }
            let comparison = WindowComparison(before: sides[0].0, after: sides[1].0)
            let site = try DiffGenerator(templates: generator.templates, options: generator.options)
                .render(comparison, node: sides[1].0.store.latest?.nodeID ?? sides[1].1 ?? "–", now: Date())
            try SitePublisher().publish(site, to: URL(fileURLWithPath: out))
            print("wrote \(out): \(site.files.count) files; \(comparison.routes.count) routes, \(comparison.checks.count) checks differ, "
                + "alerts only before: \(comparison.firedOnlyBefore.count), only after: \(comparison.firedOnlyAfter.count)")
        } catch let error as CommandFailure {
            throw error
        } catch let error as DashboardError {
            throw CommandFailure(message: error.description)
        } catch {
            throw CommandFailure(message: "--snapshots \(snapshots.joined(separator: " ")): \(error)")
        }
    }

    /// `FROM..TO`, two RFC 3339 times, TO after FROM.
    static func window(_ text: String, option: String) throws -> (Date, Date) {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let from = SnapshotTime.parse(parts[0]), let to = SnapshotTime.parse(parts[1]) else {
            throw CommandFailure(message: "\(option): '\(text)' is not FROM..TO, two RFC 3339 times such as 2026-12-03T08:00:00Z..2026-12-03T09:00:00Z")
        }
        guard to > from else { throw CommandFailure(message: "\(option): the end must be after the start") }
        return (from, to)
    }
}
