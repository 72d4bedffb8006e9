import Foundation

extension SnapshotWriter {
    /// Where and as whom a writer writes, and what it keeps.
    public struct Configuration: Sendable {
        /// The archive folder; created (with its parents) on the first write if missing.
        public var directory: String
        /// The node id: stamped into each snapshot and (made file-name safe) into each name.
        public var nodeID: String
        /// Bounds applied to this node's files after each write.
        public var retention: SnapshotRetention
        /// Temporary files older than this many seconds (by modification time) are removed after
        /// each write; the node's own are removed on the first write whatever their age.
        public var staleTemporaryFileAge: TimeInterval
        /// Permission bits of new files.
        public var filePermissions: UInt16

        /// Creates a configuration.
        public init(directory: String = "./snapshots", nodeID: String, retention: SnapshotRetention = SnapshotRetention(),
                    staleTemporaryFileAge: TimeInterval = 60, filePermissions: UInt16 = 0o644) {
            self.directory = directory
            self.nodeID = nodeID
            self.retention = retention
            self.staleTemporaryFileAge = staleTemporaryFileAge
            self.filePermissions = filePermissions
        }
    }
}
