extension KVStoreConfiguration {
    /// Where the HTTP API listens.
    public struct Server: Sendable, Equatable {
        /// Key `server.host`: the address to bind.
        public var host: String
        /// Key `server.port`: the TCP port to bind; 0 picks a free one (for tests).
        public var port: Int

        public init(host: String = "127.0.0.1", port: Int = 8080) {
            self.host = host
            self.port = port
        }
    }
}
