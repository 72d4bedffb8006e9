import ArgumentParser
import Foundation
import KVCompression
import KVDashboard
import KVSnapshot

/// `generate`: renders the dashboard for a window of an archive and publishes it atomically.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Renders the dashboard of a snapshot archive's window into a folder (atomically replaced)."
    )

    @Option(name: .long, help: ArgumentHelp("A snapshot archive folder; give it again for more folders read as one archive.", valueName: "DIR"))
    var snapshots: [String]
    @Option(name: .long, help: ArgumentHelp("The folder to publish the site as (replaced as a whole).", valueName: "DIR"))
    var out: String
    @Option(name: .long, help: ArgumentHelp("Window start (RFC 3339); needs --to.", valueName: "TIME"))
    var from: String?
    @Option(name: .long, help: ArgumentHelp("Window end (RFC 3339); needs --from.", valueName: "TIME"))
    var to: String?
    @Option(name: .long, help: ArgumentHelp("One page per range, the first at index.html, linked to each other (default \(RangePages.defaultList)).", valueName: "LIST"))
    var ranges: String?
    @Option(name: .long, help: ArgumentHelp("One page of this length up to the newest snapshot, e.g. 24h, 90m, 7d.", valueName: "DURATION"))
    var last: String?
    @Option(name: .long, help: ArgumentHelp("Auto-refresh period in seconds; 0 turns it off.", valueName: "SECONDS"))
    var refresh: Int = 0
    @Option(name: .long, help: ArgumentHelp("Time zone of every time on the page (IANA name).", valueName: "ZONE"))
    var timezone: String = "UTC"
    @Option(name: .long, help: "The page title.")
    var title: String = "kvstore dashboard"
    @Option(name: .long, help: ArgumentHelp("Template folder overriding the shipped templates/.", valueName: "DIR"))
    var templates: String?
    @Option(name: .customLong("stale-after"), help: ArgumentHelp("Warn when the newest snapshot is older than this (default: 3 intervals; off with --from/--to).", valueName: "DURATION"))
    var staleAfter: String?
    @Option(name: .long, help: ArgumentHelp("Mark a moment on every time chart: an RFC 3339 time, '=', a label (e.g. 2026-11-29T01:40:00Z=deploy); repeatable.", valueName: "TIME=LABEL"))
    var mark: [String] = []
    @Option(name: .long, help: ArgumentHelp("Show only this node's page (default: a fleet overview when the archive holds several nodes).", valueName: "ID"))
    var node: String?
    @Option(name: .long, help: ArgumentHelp("A service level objective for the objectives table, e.g. availability:99.9% or latency:250ms:99%; repeatable, 'none' for no table (default: both of those).", valueName: "SPEC"))
    var slo: [String] = []
    @Option(name: .customLong("slo-period"), help: ArgumentHelp("The period the objectives are judged over (default 30d).", valueName: "DURATION"))
    var sloPeriod: String?
    @Flag(name: .customLong("no-index"), help: "Read every snapshot's JSON, neither using nor writing the readings index (DIR/.readings-index).")
    var noIndex = false

    func run() throws {
        let (options, pages) = try makeOptions()
        let generator = try DashboardGenerator.loading(templates: templates, options: options)
        let archives = ArchiveSet(snapshots.map { SnapshotArchive(directory: $0, compression: GzipSnapshotCompression()) })
        let built: ArchiveSite
        do {
            built = try ArchiveSite(archives: archives, generator: generator, ranges: pages, node: node, index: !noIndex, now: Date())
        } catch let error as DashboardError {
            throw CommandFailure(message: error.description)
        } catch {
            throw CommandFailure(message: "--snapshots \(snapshots.joined(separator: " ")): \(error)")
        }
        do {
            try SitePublisher().publish(built.site, to: URL(fileURLWithPath: out))
            print("wrote \(out): \(built.site.files.count) files from \(built.snapshots) snapshots"
                + (built.nodes > 1 ? " of \(built.nodes) nodes" : "")
                + (built.skipped == 0 ? "" : ", \(built.skipped) files skipped"))
        } catch let error as DashboardError {
            throw CommandFailure(message: error.description)
        }
    }

    /// The page options, and the ranges when the site has one page per range.
    private func makeOptions() throws -> (DashboardOptions, RangePages?) {
        guard let zone = TimeZone(identifier: timezone) else {
            throw CommandFailure(message: "--timezone: unknown time zone '\(timezone)' (use an IANA name such as Europe/Berlin)")
        }
        guard refresh >= 0 else { throw CommandFailure(message: "--refresh: must be 0 (off) or a number of seconds") }
        var options = DashboardOptions(title: title, timeZone: zone, refreshSeconds: refresh)
        options.marks = try mark.map { text in
            switch ChartMark.parse(text) {
            case .success(let mark): return mark
            case .failure(let error): throw CommandFailure(message: "--mark: \(error.message)")
            }
        }
        (options.objectives, options.objectivePeriodSeconds) = try ObjectiveOptions.parse(slo, period: sloPeriod)
        if let staleAfter {
            guard let seconds = DurationSyntax.seconds(staleAfter) else {
                throw CommandFailure(message: "--stale-after: '\(staleAfter)' is not a duration such as 90s, 5m or 1h")
            }
            options.staleAfter = seconds
        }
        if ranges != nil, from != nil || to != nil || last != nil {
            throw CommandFailure(message: "--ranges cannot be combined with --last or --from/--to")
        }
        switch (from, to, last) {
        case (nil, nil, nil):
            switch RangePages.parse(ranges ?? RangePages.defaultList) {
            case .success(let pages): return (options, pages)
            case .failure(let error): throw CommandFailure(message: "--ranges: \(error.message)")
            }
        case (nil, nil, let last?):
            guard let seconds = DurationSyntax.seconds(last) else {
                throw CommandFailure(message: "--last: '\(last)' is not a duration such as 90m, 24h or 7d")
            }
            options.window = .last(seconds)
        case (let from?, let to?, nil):
            let (start, end) = try WindowArguments.parse(from: from, to: to)
            options.window = .between(from: start.timeIntervalSince1970, to: end.timeIntervalSince1970)
            options.warnWhenStale = staleAfter != nil
        case (_, _, .some):
            throw CommandFailure(message: "--last cannot be combined with --from/--to")
        default:
            throw CommandFailure(message: "--from and --to go together")
        }
        return (options, nil)
    }
}
