extension KVStoreConfiguration {
    /// How a node of a shared store (`storage.engine: postgres`) announces itself to the others.
    public struct Cluster: Sendable, Equatable {
        /// Key `cluster.advertise_url`: where the other nodes and operators reach this node's API; nil
        /// for `http://server.host:server.port`.
        public var advertiseURL: String?
        /// Key `cluster.heartbeat_interval_seconds`: seconds between two heartbeat rows; a node is
        /// `missing` after three intervals without one.
        public var heartbeatIntervalSeconds: Double

        public init(advertiseURL: String? = nil, heartbeatIntervalSeconds: Double = 5) {
            self.advertiseURL = advertiseURL
            self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
        }
    }
}

extension KVStoreConfiguration {
    /// The URL this node advertises: `cluster.advertise_url`, else its own listener's address.
    public var advertisedURL: String {
        if let url = cluster.advertiseURL { return url }
        let scheme = security.tlsCertificateFile == nil ? "http" : "https"
        let host = server.host.contains(":") ? "[\(server.host)]" : server.host
        return "\(scheme)://\(host):\(server.port)"
    }
}
