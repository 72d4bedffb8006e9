import ArgumentParser
import Foundation
import KVCompression
import KVDashboard
import KVSnapshot

/// `bundle --snapshots DIR --from T --to T --out DIR [--redact RULES]`: the page, the window's
/// snapshot files, `bundle.json` and `MANIFEST.sha256` in one folder to hand to someone else.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Writes a window's page, snapshot files, bundle.json and MANIFEST.sha256 into a new folder."
    )

    @Option(name: .long, help: ArgumentHelp("A snapshot archive folder; give it again for more folders read as one archive.", valueName: "DIR"))
    var snapshots: [String]
    @Option(name: .long, help: ArgumentHelp("Window start, RFC 3339.", valueName: "TIME"))
    var from: String
    @Option(name: .long, help: ArgumentHelp("Window end, RFC 3339.", valueName: "TIME"))
    var to: String
    @Option(name: .long, help: ArgumentHelp("The bundle folder to create (must not exist, or be empty).", valueName: "DIR"))
    var out: String
    @Option(name: .long, help: ArgumentHelp("Only this node's snapshots.", valueName: "ID"))
    var node: String?
    @Option(name: .long, help: ArgumentHelp("Redaction rules (host REGEX, path REGEX, label NAME=REGEX; see docs/dashboard.md).", valueName: "FILE"))
    var redact: String?
    @Option(name: .long, help: "The page title.")
    var title: String = "kvstore dashboard"
    @Option(name: .long, help: ArgumentHelp("Time zone of every time on the page (IANA name).", valueName: "ZONE"))
    var timezone: String = "UTC"
    @Option(name: .long, help: ArgumentHelp("Template folder overriding the shipped templates/.", valueName: "DIR"))
    var templates: String?

    func run() throws {
        let (start, end) = try WindowArguments.parse(from: from, to: to)
        guard let zone = TimeZone(identifier: timezone) else {
            throw CommandFailure(message: "--timezone: unknown time zone '\(timezone)' (use an IANA name such as Europe/Berlin)")
        }
        let rules: RedactionRules?
        do {
            rules = try redact.map { try RedactionRules(contentsOf: $0) }
        } catch let error as DashboardError {
            throw CommandFailure(message: "--redact: \(error.description)")
        }
        let generator = try DashboardGenerator.loading(templates: templates, options: DashboardOptions(title: title, timeZone: zone))
        let compression = GzipSnapshotCompression()
        let archives = ArchiveSet(snapshots.map { SnapshotArchive(directory: $0, compression: compression) })
        do {
            try WindowArguments.checkNode(node, in: archives)
            let bundle = SnapshotBundle(archives: archives, from: start, to: end, node: node, redaction: rules, compression: compression)
            let description = try bundle.write(to: URL(fileURLWithPath: out), generator: generator, now: Date())
            print("wrote \(out): \(description.counts.files) files, \(description.counts.snapshots) snapshots of "
                + "\(description.nodes.joined(separator: ", "))" + (description.redacted ? ", redacted" : "")
                + (description.counts.skipped == 0 ? "" : ", \(description.counts.skipped) files skipped"))
        } catch let error as CommandFailure {
            throw error
        } catch let error as DashboardError {
            throw CommandFailure(message: error.description)
        } catch {
            throw CommandFailure(message: "--snapshots \(snapshots.joined(separator: " ")): \(error)")
        }
    }
}
