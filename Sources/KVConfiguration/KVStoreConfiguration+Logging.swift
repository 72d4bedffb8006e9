extension KVStoreConfiguration {
    /// What the server logs and how the lines look.
    public struct Logging: Sendable, Equatable {
        /// The lowest level logged; the raw values are swift-log's `Logger.Level` raw values.
        public enum Level: String, Sendable, CaseIterable {
            case trace
            case debug
            case info
            case notice
            case warning
            case error
            case critical
        }

        /// The shape of each log line.
        public enum Format: String, Sendable, CaseIterable {
            /// `key=value` pairs.
            case logfmt
            /// One JSON object per line.
            case json
        }

        /// Key `logging.level`.
        public var level: Level
        /// Key `logging.format`.
        public var format: Format
        /// Key `logging.slow_request_ms`: requests slower than this are logged when `performanceLog` is on.
        public var slowRequestMilliseconds: Int
        /// Key `logging.enable_performance_log`.
        public var performanceLog: Bool
        /// Key `logging.enable_database_logging`: log each storage operation at debug level.
        public var databaseLog: Bool

        public init(
            level: Level = .debug,
            format: Format = .logfmt,
            slowRequestMilliseconds: Int = 500,
            performanceLog: Bool = true,
            databaseLog: Bool = true
        ) {
            self.level = level
            self.format = format
            self.slowRequestMilliseconds = slowRequestMilliseconds
            self.performanceLog = performanceLog
            self.databaseLog = databaseLog
        }
    }
}
