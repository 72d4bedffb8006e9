extension KVStoreConfiguration.Security {
    /// A token bucket per client (the token's name, else the remote address); off at 0 requests per second.
    public struct RateLimit: Sendable, Equatable {
        /// The bounds the parser enforces.
        public static let requestsPerSecondRange = 0...1_000_000
        public static let burstRange = 1...10_000_000
        public static let maxClientsRange = 1...10_000_000

        /// Key `security.rate_limit.requests_per_second`: the sustained rate per client; 0 = off.
        public var requestsPerSecond: Int
        /// Key `security.rate_limit.burst`: the bucket size; nil = twice `requestsPerSecond`.
        public var burst: Int?
        /// Key `security.rate_limit.max_clients`: the most clients tracked at once (the table's fixed size).
        public var maxClients: Int

        public init(requestsPerSecond: Int = 0, burst: Int? = nil, maxClients: Int = 10_000) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
            self.maxClients = maxClients
        }

        /// Whether requests are limited at all.
        public var isEnabled: Bool { requestsPerSecond > 0 }

        /// The bucket size in effect: `burst`, or twice the rate (at least 1).
        public var effectiveBurst: Int { burst ?? max(1, requestsPerSecond * 2) }
    }
}
