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
            "server.allowed_hosts", \.server.allowedHosts, .allowedHosts,
            defaultDescription: "without tokens: `localhost`, `127.0.0.0/8`, `[::1]` and `server.host`; with tokens: `*`",
            summary: "The host names and addresses a request's `Host` header may name (any port; case-insensitive); "
                + "others get `421 host_not_allowed` (DNS rebinding). A list replaces the default; `*` allows any."
        ),

        ConfigurationKey(
            "storage.engine", \.storage.engine, .oneOf,
            summary: "`lmdb` keeps data on disk; `memory` keeps it in memory and loses it when the server stops; "
                + "`postgres` shares one PostgreSQL database among many nodes (`storage.postgres.*`)."
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
            "storage.sync_interval", \.storage.syncInterval, .seconds,
            summary: "Seconds between syncs in `batched` mode; at most this much acknowledged data is lost in a crash."
        ),
        ConfigurationKey(
            "storage.max_value_bytes", \.storage.maxValueBytes,
            .bytes(1...(64 << 20), expected: "a byte count from 1 to 67108864 (64 MiB)"),
            summary: "The largest value a PUT may store (default 1 MiB); larger bodies get `413`."
        ),
        ConfigurationKey(
            "storage.quota_bytes", \.storage.quotaBytes,
            .bytes((1 << 20)...NumericRange.maximumBytes, expected: "a byte count from 1048576 (1 MiB) to 1125899906842624 (1 PiB)"),
            summary: "The most the store may grow to on disk (default 8 GiB); at the quota writes get `507`."
        ),

        ConfigurationKey(
            "storage.postgres.hosts", \.storage.postgres.hosts, .postgresHosts,
            summary: "The `postgres` engine's servers as `host:port` (a primary and its standbys); a node uses the first "
                + "that accepts writes and moves on by itself when it fails or becomes a standby."
        ),
        ConfigurationKey(
            "storage.postgres.database", \.storage.postgres.database,
            .nonEmptyString(allowsWhitespace: false, expected: "a database name"),
            summary: "The database that holds the `postgres` engine's tables."
        ),
        ConfigurationKey(
            "storage.postgres.user", \.storage.postgres.user,
            .nonEmptyString(allowsWhitespace: false, expected: "a user name"),
            summary: "The user the `postgres` engine logs in as."
        ),
        ConfigurationKey(
            "storage.postgres.password", \.storage.postgres.password, .optional(.databasePassword),
            summary: "The user's password; prefer `storage.postgres.password_file`. Never shown or logged."
        ),
        ConfigurationKey(
            "storage.postgres.password_file", \.storage.postgres.passwordFromFile, .optional(.databasePasswordFile),
            summary: "A file holding the user's password (read at start-up; trailing line breaks ignored); "
                + "wins over `storage.postgres.password`. Never shown or logged."
        ),
        ConfigurationKey(
            "storage.postgres.pool_size", \.storage.postgres.poolSize, .integer(from: 1, to: 1000),
            summary: "The most connections one node opens to the database."
        ),
        ConfigurationKey(
            "storage.postgres.connect_timeout_seconds", \.storage.postgres.connectTimeoutSeconds, .seconds,
            summary: "Seconds to open a connection to one server of `storage.postgres.hosts`."
        ),
        ConfigurationKey(
            "storage.postgres.statement_timeout_seconds", \.storage.postgres.statementTimeoutSeconds, .seconds,
            summary: "Seconds one storage operation may take (also the database's `statement_timeout`); past it the "
                + "request gets `503 storage_unavailable`."
        ),
        ConfigurationKey(
            "storage.postgres.tls", \.storage.postgres.tls, .oneOf,
            summary: "`disable`: plain TCP; `prefer`: TLS when the server offers it, its certificate not checked (libpq's "
                + "`sslmode=prefer`); `require`: TLS with the certificate verified against the system's roots, or no connection."
        ),
        ConfigurationKey(
            "storage.postgres.schema", \.storage.postgres.schema, .postgresSchema,
            summary: "The schema that holds the tables; created and migrated at start (several nodes may start at once)."
        ),
        ConfigurationKey(
            "storage.postgres.poll_interval_seconds", \.storage.postgres.pollIntervalSeconds, .seconds,
            summary: "Seconds between two reads of the shared change log: how soon a watch on one node sees a write "
                + "made on another."
        ),
        ConfigurationKey(
            "storage.postgres.change_log_revisions", \.storage.postgres.changeLogRevisions, .integer(from: 1000, to: 100_000_000),
            summary: "Revisions kept in the shared change log; a node further behind than that restarts its watches "
                + "(their clients get `410 compacted`)."
        ),

        ConfigurationKey(
            "kv.txn.max_operations", \.kv.maxTransactionOperations,
            .integer(from: KVStoreConfiguration.KV.maxOperationsRange.lowerBound, to: KVStoreConfiguration.KV.maxOperationsRange.upperBound),
            summary: "The most compares plus operations one `POST /api/v1/txn` may hold; more get `400 too_many_operations`."
        ),
        ConfigurationKey(
            "kv.txn.max_bytes", \.kv.maxTransactionBytes,
            .bytes(KVStoreConfiguration.KV.maxTransactionBytesRange, expected: "a byte count from 1024 to 1073741824 (1 GiB)"),
            summary: "The largest `POST /api/v1/txn` body (default 4 MiB); larger ones get `413`."
        ),
        ConfigurationKey(
            "kv.expiry.sweep_interval_seconds", \.kv.sweepIntervalSeconds, .seconds,
            summary: "Seconds between two runs of the sweeper that deletes expired keys (reads never see them anyway)."
        ),
        ConfigurationKey(
            "kv.expiry.sweep_batch", \.kv.sweepBatch,
            .integer(from: KVStoreConfiguration.KV.sweepBatchRange.lowerBound, to: KVStoreConfiguration.KV.sweepBatchRange.upperBound),
            summary: "The most expired keys one sweep deletes, in one commit; a sweep that fills it runs again at once."
        ),
        ConfigurationKey(
            "kv.watch.history", \.kv.watchHistory,
            .integer(from: KVStoreConfiguration.KV.watchHistoryRange.lowerBound, to: KVStoreConfiguration.KV.watchHistoryRange.upperBound),
            summary: "The changes kept in memory for watches; a watch from an older revision gets `410 compacted`."
        ),
        ConfigurationKey(
            "kv.watch.max_watchers", \.kv.maxWatchers,
            .integer(from: KVStoreConfiguration.KV.maxWatchersRange.lowerBound, to: KVStoreConfiguration.KV.maxWatchersRange.upperBound),
            summary: "The most watches (long polls and event streams) open at once; more get `503 too_many_watchers`."
        ),
        ConfigurationKey(
            "kv.watch.max_timeout_seconds", \.kv.maxWatchTimeoutSeconds, .seconds,
            summary: "The longest `timeout` a long poll may ask for."
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
            "logging.slow_request_ms", \.logging.slowRequestMilliseconds, .integer(from: 0, to: 86_400_000),
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
            "metrics.duration_buckets", \.metrics.durationBuckets,
            .increasingNumbers(NumericRange(lowest: 0.0001, highest: 86_400)),
            summary: "Bucket bounds, in seconds, of the latency histograms."
        ),
        ConfigurationKey(
            "metrics.size_buckets", \.metrics.sizeBuckets,
            .increasingNumbers(NumericRange(lowest: 1, highest: Double(1 << 30))),
            summary: "Bucket bounds, in bytes, of the size histograms."
        ),
        ConfigurationKey(
            "metrics.max_series_per_family", \.metrics.maxSeriesPerFamily, .integer(from: 1, to: 1_000_000),
            summary: "The most series (label combinations) one metric family may have."
        ),

        ConfigurationKey(
            "node.id", \.node.id, .identifier,
            defaultDescription: "the host name",
            summary: "This server's name in snapshot file names and documents; the default is the host name, "
                + "each character outside `[A-Za-z0-9._-]` replaced by `-`."
        ),

        ConfigurationKey(
            "cluster.advertise_url", \.cluster.advertiseURL,
            .optional(.nonEmptyString(allowsWhitespace: false, expected: "a URL such as http://10.0.0.5:8080")),
            defaultDescription: "`http://server.host:server.port`",
            summary: "Where the other nodes and operators reach this node: its row in `GET /api/v1/cluster` "
                + "(the `postgres` engine)."
        ),
        ConfigurationKey(
            "cluster.heartbeat_interval_seconds", \.cluster.heartbeatIntervalSeconds, .seconds,
            summary: "Seconds between two heartbeat rows of this node in the shared store; a node without one for "
                + "three intervals is `missing`."
        ),
        ConfigurationKey(
            "health.interval_seconds", \.health.intervalSeconds, .seconds,
            summary: "Seconds between two runs of each health check; probes read the latest results."
        ),
        ConfigurationKey(
            "health.timeout_seconds", \.health.timeoutSeconds, .seconds,
            summary: "Seconds a health check may take before it counts as failed; the default of each dependency's timeout."
        ),
        ConfigurationKey(
            "health.failure_threshold", \.health.failureThreshold, .integer(from: 1, to: 1000),
            summary: "Failures in a row before a check counts as failing."
        ),
        ConfigurationKey(
            "health.success_threshold", \.health.successThreshold, .integer(from: 1, to: 1000),
            summary: "Passes in a row before a failing check counts as passing again."
        ),
        ConfigurationKey(
            "health.memory_limit_mb", \.health.memoryLimitMB, .integer(from: 1, to: 16_777_216),
            summary: "The resident memory limit in MiB; the memory check fails over it."
        ),
        ConfigurationKey(
            "health.memory_degraded_ratio", \.health.memoryDegradedRatio, .number(greaterThan: 0, atMost: 1),
            summary: "The memory check is degraded at or above this share of `health.memory_limit_mb`."
        ),
        ConfigurationKey(
            "health.thread_limit", \.health.threadLimit, .integer(from: 1, to: 1_000_000),
            summary: "The thread check fails over this many OS threads (a sign of a thread leak)."
        ),
        ConfigurationKey(
            "health.disk_min_free_bytes", \.health.diskMinFreeBytes,
            .bytes(0...NumericRange.maximumBytes, expected: "a byte count from 0 to 1125899906842624 (1 PiB)"),
            summary: "The disk check is degraded with less free space than this where the data or snapshot "
                + "folder lives (default 512 MiB)."
        ),
        ConfigurationKey(
            "health.dependencies", \.health.dependencies, .dependencies(key: "health.dependencies"),
            summary: "HTTP services to probe, each its own check: `name` and `url` (`http://`) required; `critical` "
                + "(default false), `timeout_seconds` (0.01 to 86400, default `health.timeout_seconds`), `expected_status` "
                + "(100 to 599, default 200)."
        ),

        ConfigurationKey(
            "snapshots.enabled", \.snapshots.enabled, .boolean,
            summary: "Write periodic JSON snapshots of health and metrics."
        ),
        ConfigurationKey(
            "snapshots.dir", \.snapshots.directory,
            .nonEmptyString(allowsWhitespace: true, expected: "a directory path"),
            summary: "The folder of the snapshot files; a relative path is relative to the working directory."
        ),
        ConfigurationKey(
            "snapshots.interval_seconds", \.snapshots.intervalSeconds, .seconds,
            summary: "Seconds between two snapshots; fractions such as 0.05 are allowed."
        ),
        ConfigurationKey(
            "snapshots.max_files", \.snapshots.maxFiles, .integer(from: 1, to: 1_000_000),
            summary: "The most snapshot files kept (default 24 hours at 15 seconds); the oldest go first."
        ),
        ConfigurationKey(
            "snapshots.max_bytes", \.snapshots.maxBytes,
            .bytes((1 << 20)...NumericRange.maximumBytes, expected: "a byte count from 1048576 (1 MiB) to 1125899906842624 (1 PiB)"),
            summary: "The most bytes the snapshot files may take together (default 1 GiB); the oldest go first."
        ),
        ConfigurationKey(
            "snapshots.max_age", \.snapshots.maxAgeSeconds, .duration(from: 1, to: 365 * 86_400),
            summary: "Snapshot files older than this are deleted; the newest valid one is always kept."
        ),
        ConfigurationKey(
            "snapshots.compress", \.snapshots.compress, .boolean,
            summary: "Gzip each snapshot file (`.json.gz`)."
        ),

        ConfigurationKey(
            "alerts.enabled", \.alerts.enabled, .boolean,
            summary: "Evaluate the alert rules on each snapshot tick and report active alerts."
        ),
        ConfigurationKey(
            "alerts.rules", \.alerts.rules, .alertRules(key: "alerts.rules"),
            defaultDescription: "the built-in rules (see [Alert rules](#alert-rules))",
            summary: "The alert rules; a list set here replaces the built-in rules. Each: `name` "
                + "(`[A-Za-z0-9_]+`, unique), `kind`, `summary` required; `severity` (default warning), `threshold` "
                + "(required by the kinds that use it; its range depends on the kind), `window` (1s to 1d, default 5m), `for` "
                + "(0 to 1d, default 1m), `description`."
        ),
        ConfigurationKey(
            "alerts.webhooks", \.alerts.webhooks, .webhooks(key: "alerts.webhooks"),
            summary: "Receivers of Alertmanager-style webhook POSTs on each alert transition: `url` (`http://`) "
                + "required; `timeout_seconds` (0.01 to 86400, default 2), `max_retries` (0 to 10, default 3)."
        ),

        ConfigurationKey(
            "security.tokens", \.security.tokens, .tokens(key: "security.tokens"),
            summary: "Bearer tokens: `name` (unique), `role` (`read`, `write` or `admin`) and exactly one of `secret` "
                + "(at least 16 visible ASCII characters) or `secret_file` (read at start-up). Secrets are never shown."
        ),
        ConfigurationKey(
            "security.health_details", \.security.healthDetails,
            .optional(.oneOf, expected: "one of always, authorized, never, or empty for the default"),
            defaultDescription: "`authorized` with tokens, `always` without",
            summary: "Who sees health details, stats and the snapshot API; `/health`, `/livez` and `/readyz` "
                + "always answer with the status only."
        ),
        ConfigurationKey(
            "security.protect_metrics", \.security.protectMetrics, .boolean,
            summary: "`/api/v1/metrics` requires a token with the `read` role; needs `security.tokens`."
        ),
        ConfigurationKey(
            "security.protect_dashboard", \.security.protectDashboard, .boolean,
            summary: "`/dashboard` requires a token with the `read` role; needs `security.tokens`."
        ),
        ConfigurationKey(
            "security.cors_origins", \.security.corsOrigins, .origins,
            summary: "Origins allowed by CORS; none turns CORS off."
        ),
        ConfigurationKey(
            "security.tls_certificate_file", \.security.tlsCertificateFile, .optional(.readableFile("PEM certificate")),
            summary: "The PEM certificate (chain) for HTTPS; set together with `security.tls_key_file`. "
                + "The file must exist and be readable at start-up."
        ),
        ConfigurationKey(
            "security.tls_key_file", \.security.tlsKeyFile, .optional(.readableFile("PEM private key")),
            summary: "The PEM private key for HTTPS; set together with `security.tls_certificate_file`."
        ),
        ConfigurationKey(
            "security.idle_timeout_seconds", \.security.idleTimeoutSeconds, .seconds,
            summary: "A connection idle this long, or still sending its headers, is closed."
        ),
        ConfigurationKey(
            "security.request_timeout_seconds", \.security.requestTimeoutSeconds, .seconds,
            summary: "The most one request (headers and body) may take to arrive."
        ),
        ConfigurationKey(
            "security.max_connections", \.security.maxConnections, .integer(from: 1, to: 1_000_000),
            summary: "The most open connections; connections beyond it are refused."
        ),
        ConfigurationKey(
            "security.rate_limit.requests_per_second", \.security.rateLimit.requestsPerSecond,
            .integer(from: KVStoreConfiguration.Security.RateLimit.requestsPerSecondRange.lowerBound,
                     to: KVStoreConfiguration.Security.RateLimit.requestsPerSecondRange.upperBound),
            summary: "Requests per second each client (a token's name, else the remote address) may make on average; "
                + "beyond it `429 rate_limited` with `Retry-After`. 0 turns the limit off. `/health`, `/livez` and "
                + "`/readyz` are never limited."
        ),
        ConfigurationKey(
            "security.rate_limit.burst", \.security.rateLimit.burst,
            .optional(.integer(from: KVStoreConfiguration.Security.RateLimit.burstRange.lowerBound,
                               to: KVStoreConfiguration.Security.RateLimit.burstRange.upperBound),
                      expected: "an integer from \(KVStoreConfiguration.Security.RateLimit.burstRange.lowerBound) to "
                          + "\(KVStoreConfiguration.Security.RateLimit.burstRange.upperBound), or empty for the default"),
            defaultDescription: "twice `security.rate_limit.requests_per_second`",
            summary: "The most requests a client may make at once after being idle (the token bucket's size)."
        ),
        ConfigurationKey(
            "security.rate_limit.max_clients", \.security.rateLimit.maxClients,
            .integer(from: KVStoreConfiguration.Security.RateLimit.maxClientsRange.lowerBound,
                     to: KVStoreConfiguration.Security.RateLimit.maxClientsRange.upperBound),
            summary: "The most clients tracked at once (fixed memory); when full, an idle client's bucket is reused."
        ),

        ConfigurationKey(
            "dashboard.enabled", \.dashboard.enabled, .boolean,
            summary: "Regenerate the dashboard after each snapshot and serve it at `/dashboard`."
        ),
        ConfigurationKey(
            "dashboard.dir", \.dashboard.directory,
            .nonEmptyString(allowsWhitespace: true, expected: "a directory path"),
            summary: "The folder the generated dashboard is published to; relative to the working directory."
        ),
        ConfigurationKey(
            "dashboard.ranges", \.dashboard.ranges, .dashboardRanges,
            summary: "The time ranges of the dashboard, one page each (the first is the landing page, `index.html`); "
                + "a range longer than the history starts at the oldest snapshot."
        ),
        ConfigurationKey(
            "dashboard.refresh_seconds", \.dashboard.refreshSeconds, .integer(from: 0, to: 86_400),
            summary: "Seconds between the page's automatic reloads; 0 turns them off."
        ),
        ConfigurationKey(
            "dashboard.timezone", \.dashboard.timezone, .timeZone,
            summary: "The time zone of the times the dashboard shows."
        ),
        ConfigurationKey(
            "dashboard.title", \.dashboard.title, .nonBlankText,
            summary: "The dashboard's title; any characters (it is escaped on the page)."
        ),
        ConfigurationKey(
            "dashboard.templates", \.dashboard.templatesDirectory,
            .optional(.nonEmptyString(allowsWhitespace: true, expected: "a directory path"),
                      expected: "a directory path, or empty for the shipped templates"),
            summary: "A folder of templates that replace the shipped ones (`templates/`)."
        ),
        ConfigurationKey(
            "slo.objectives", \.slo.objectives, .serviceLevelObjectives,
            summary: "The service level objectives of the dashboard's objectives table (achieved share, error budget left, "
                + "burn rate over 1 h and 6 h); an empty list for no table. `deploy/prometheus/slo.yml` holds the defaults as rules."
        ),
        ConfigurationKey(
            "slo.period", \.slo.periodSeconds, .duration(from: 3600, to: 365 * 86_400),
            summary: "The period the objectives are judged over (at most the longest dashboard range is shown)."
        ),
    ]
}
