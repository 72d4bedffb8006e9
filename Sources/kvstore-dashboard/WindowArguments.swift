import Foundation
import KVDashboard
import KVSnapshot

/// The window and node options that `generate`, `summary`, `export` and `bundle` share, each
/// failure one line naming its option.
enum WindowArguments {
    /// `--from` and `--to` as times, `--to` after `--from`.
    static func parse(from: String, to: String) throws -> (Date, Date) {
        guard let start = SnapshotTime.parse(from) else { throw CommandFailure(message: "--from: '\(from)' is not an RFC 3339 time") }
        guard let end = SnapshotTime.parse(to) else { throw CommandFailure(message: "--to: '\(to)' is not an RFC 3339 time") }
        guard end > start else { throw CommandFailure(message: "--to must be after --from") }
        return (start, end)
    }

    /// Throws unless `node` (when given) has a snapshot file in `archives`; the message lists the nodes that do.
    static func checkNode(_ node: String?, in archives: ArchiveSet) throws {
        guard let node else { return }
        let nodes = try archives.nodes()
        guard nodes.contains(SnapshotFileName.nameComponent(forNode: node)) else {
            throw CommandFailure(message: "--node: no snapshot file of node '\(node)'"
                + (nodes.isEmpty ? "" : " (nodes: \(nodes.joined(separator: ", ")))"))
        }
    }
}
