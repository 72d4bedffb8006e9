extension ConfigurationKey {
    /// Every setting, in the order of the reference and the shipped config file.
    static let all: [ConfigurationKey] = [
        ConfigurationKey(
            "environment", \.environment, .oneOf,
            summary: "The deployment environment; its profile sets the defaults that differ per environment."
        ),

        ConfigurationKey(
            "server.host", \.server.host,
            .nonEmptyString(allowsWhitespace: false, expected: "a host name or IP address"),
            flag: "--host",
            summary: "The address the HTTP API listens on; `0.0.0.0` listens on every interface."
        ),
        ConfigurationKey(
            "server.port", \.server.port, .integer(from: 0, to: 65535),
            flag: "--port",
            summary: "The TCP port of the HTTP API; 0 picks a free port (for tests)."
        ),

        ConfigurationKey(
            "storage.engine", \.storage.engine, .oneOf,
            summary: "`lmdb` keeps data on disk; `memory` keeps it in memory and loses it when the server stops."
        ),
        ConfigurationKey(
            "storage.path", \.storage.path,
            .nonEmptyString(allowsWhitespace: true, expected: "a directory path"),
            flag: "--data-dir",
            summary: "The data directory of the `lmdb` engine; a relative path is relative to the working directory."
        ),
        ConfigurationKey(
            "storage.durability", \.storage.durability, .oneOf,
            flag: "--durability",
            summary: "When writes reach the disk: `always` before the response, `batched` every "
                + "`storage.sync_interval`, `none` when the OS decides."
        ),
        ConfigurationKey(
            "storage.sync_interval", \.storage.syncInterval, .positiveNumber,
            summary: "Seconds between syncs in `batched` mode; at most this much acknowledged data is lost in a crash."
        ),
        ConfigurationKey(
            "storage.max_value_bytes", \.storage.maxValueBytes,
            .bytes(1...(64 << 20), expected: "a byte count from 1 to 67108864 (64 MiB)"),
            summary: "The largest value a PUT may store (default 1 MiB); larger bodies get `413`."
        ),
        ConfigurationKey(
            "storage.quota_bytes", \.storage.quotaBytes,
            .bytes((1 << 20)...Int.max, expected: "a byte count of at least 1048576 (1 MiB)"),
            summary: "The most the store may grow to on disk (default 8 GiB); at the quota writes get `507`."
        ),

        ConfigurationKey(
            "logging.level", \.logging.level, .oneOf,
            flag: "--log-level",
            summary: "The lowest level logged (swift-log levels)."
        ),
        ConfigurationKey(
            "logging.format", \.logging.format, .oneOf,
            summary: "The shape of log lines: `logfmt` (`key=value`) or `json` (one object per line)."
        ),
        ConfigurationKey(
            "logging.slow_request_ms", \.logging.slowRequestMilliseconds, .integer(atLeast: 0),
            summary: "With the performance log on, requests slower than this many milliseconds are logged as slow."
        ),
        ConfigurationKey(
            "logging.enable_performance_log", \.logging.performanceLog, .boolean,
            summary: "Log slow requests (see `logging.slow_request_ms`)."
        ),
        ConfigurationKey(
            "logging.enable_database_logging", \.logging.databaseLog, .boolean,
            summary: "Log each storage operation at debug level."
        ),

        ConfigurationKey(
            "metrics.enabled", \.metrics.enabled, .boolean,
            summary: "Collect metrics and serve them in the Prometheus text format."
        ),
        ConfigurationKey(
            "metrics.port", \.metrics.port, .optionalPort(1...65535),
            summary: "The port of a separate metrics listener; none serves metrics on the main port only."
        ),
        ConfigurationKey(
            "metrics.duration_buckets", \.metrics.durationBuckets, .increasingNumbers,
            summary: "Bucket bounds, in seconds, of the latency histograms."
        ),
        ConfigurationKey(
            "metrics.size_buckets", \.metrics.sizeBuckets, .increasingNumbers,
            summary: "Bucket bounds, in bytes, of the size histograms."
        ),
        ConfigurationKey(
            "metrics.max_series_per_family", \.metrics.maxSeriesPerFamily, .integer(atLeast: 1),
            summary: "The most series (label combinations) one metric family may have."
        ),
    ]
}
