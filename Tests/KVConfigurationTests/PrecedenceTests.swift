import KVConfiguration
import KVSnapshot
import Testing

@Suite struct PrecedenceTests {
    let yaml = """
        server:
          port: 7000
          host: 0.0.0.0
        """

    @Test func fileWinsOverDefaults() throws {
        let configuration = try load(yaml: yaml)
        #expect(configuration.server.port == 7000)
        #expect(configuration.server.host == "0.0.0.0")
    }

    @Test func environmentVariableWinsOverFile() throws {
        let configuration = try load(yaml: yaml, environment: ["KVSTORE_SERVER_PORT": "8000"])
        #expect(configuration.server.port == 8000)
        #expect(configuration.server.host == "0.0.0.0")
    }

    @Test func overrideWinsOverEnvironmentVariableAndFile() throws {
        let configuration = try load(
            yaml: yaml,
            environment: ["KVSTORE_SERVER_PORT": "8000"],
            overrides: ["server.port": "9000"]
        )
        #expect(configuration.server.port == 9000)
        #expect(configuration.server.host == "0.0.0.0")
    }

    @Test func variablesWithoutThePrefixAreIgnored() throws {
        let configuration = try load(environment: ["PORT": "1", "HOME": "/root", "kvstore_server_port": "2"])
        #expect(configuration == KVStoreConfiguration())
    }

    @Test func everyKeyCanBeSetFromEveryLayer() throws {
        let certificate = try TemporaryConfigFile("-----BEGIN CERTIFICATE-----\n", name: "cert.pem")
        defer { certificate.remove() }
        let key = try TemporaryConfigFile("-----BEGIN PRIVATE KEY-----\n", name: "key.pem")
        defer { key.remove() }
        let secretFile = try TemporaryConfigFile("file-secret-0123456789\n", name: "token")
        defer { secretFile.remove() }
        let passwordFile = try TemporaryConfigFile("db pass\n", name: "pgpass")
        defer { passwordFile.remove() }
        let values: [String: String] = [
            "environment": "production",
            "server.host": "::1",
            "server.port": "0",
            "server.allowed_hosts": "kv.example.com, [::1]",
            "storage.engine": "memory",
            "storage.path": "/var/lib/kv store",
            "storage.durability": "batched",
            "storage.sync_interval": "0.25",
            "storage.max_value_bytes": "2 MiB",
            "storage.quota_bytes": "1GiB",
            "storage.postgres.hosts": "db1:5433, [::1]",
            "storage.postgres.database": "kv",
            "storage.postgres.user": "kvuser",
            "storage.postgres.password": "inline pass",
            "storage.postgres.password_file": passwordFile.path,
            "storage.postgres.pool_size": "4",
            "storage.postgres.connect_timeout_seconds": "2",
            "storage.postgres.statement_timeout_seconds": "3",
            "storage.postgres.tls": "require",
            "storage.postgres.schema": "kv_prod",
            "storage.postgres.poll_interval_seconds": "0.5",
            "storage.postgres.change_log_revisions": "5000",
            "cluster.advertise_url": "http://10.0.0.5:8080",
            "cluster.heartbeat_interval_seconds": "2",
            "logging.level": "notice",
            "logging.format": "json",
            "logging.slow_request_ms": "0",
            "logging.enable_performance_log": "on",
            "logging.enable_database_logging": "yes",
            "metrics.enabled": "false",
            "metrics.port": "9100",
            "metrics.duration_buckets": "0.5,1",
            "metrics.size_buckets": "10",
            "metrics.max_series_per_family": "1",
            "node.id": "kv-1.eu_west",
            "health.interval_seconds": "0.5",
            "health.timeout_seconds": "0.25",
            "health.failure_threshold": "5",
            "health.success_threshold": "2",
            "health.memory_limit_mb": "2_048",
            "health.memory_degraded_ratio": "1",
            "health.thread_limit": "500",
            "health.disk_min_free_bytes": "0",
            "health.dependencies": #"[{"name":"up","url":"http://127.0.0.1:9/","critical":true,"timeout_seconds":1.5}]"#,
            "snapshots.enabled": "no",
            "snapshots.dir": "/var/lib/kv snapshots",
            "snapshots.interval_seconds": "0.05",
            "snapshots.max_files": "10",
            "snapshots.max_bytes": "2MiB",
            "snapshots.max_age": "36h",
            "snapshots.compress": "true",
            "alerts.enabled": "false",
            "alerts.rules": #"[{"name":"Down","kind":"health_status","severity":"critical","threshold":2,"for":"30s","summary":"down"}]"#,
            "alerts.webhooks": #"[{"url":"http://127.0.0.1:9093/hook","max_retries":1}]"#,
            "security.tokens": #"[{"name":"r","secret":"inline-secret-0123456789","role":"read"},"#
                + #"{"name":"a","secret_file":"\#(secretFile.path)","role":"admin"}]"#,
            "security.health_details": "never",
            "security.protect_metrics": "true",
            "security.protect_dashboard": "true",
            "security.cors_origins": "https://example.com",
            "security.tls_certificate_file": certificate.path,
            "security.tls_key_file": key.path,
            "security.idle_timeout_seconds": "5",
            "security.request_timeout_seconds": "7.5",
            "security.max_connections": "10",
            "security.rate_limit.requests_per_second": "50",
            "security.rate_limit.burst": "75",
            "security.rate_limit.max_clients": "100",
            "kv.txn.max_operations": "16",
            "kv.txn.max_bytes": "64KiB",
            "kv.expiry.sweep_interval_seconds": "0.5",
            "kv.expiry.sweep_batch": "10",
            "kv.watch.history": "50",
            "kv.watch.max_watchers": "3",
            "kv.watch.max_timeout_seconds": "60",
            "dashboard.enabled": "false",
            "dashboard.dir": "/srv/dash",
            "dashboard.ranges": "12h, 2d",
            "dashboard.refresh_seconds": "5",
            "dashboard.timezone": "Asia/Tokyo",
            "dashboard.title": "KV | prod",
            "dashboard.templates": "/srv/templates",
            "slo.objectives": "availability:99.95%, latency:100ms:95%",
            "slo.period": "7d",
        ]
        #expect(Set(values.keys) == Set(KVStoreConfiguration.allKeys))
        var expected = KVStoreConfiguration(environment: .production)
        expected.server = .init(host: "::1", port: 0, allowedHosts: ["kv.example.com", "[::1]"])
        expected.storage = .init(
            engine: .memory, path: "/var/lib/kv store", durability: .batched, syncInterval: 0.25,
            maxValueBytes: 2 << 20, quotaBytes: 1 << 30,
            postgres: .init(
                hosts: [.init(host: "db1", port: 5433), .init(host: "::1", port: 5432)], database: "kv", user: "kvuser",
                password: "inline pass", passwordFromFile: "db pass", poolSize: 4, connectTimeoutSeconds: 2, statementTimeoutSeconds: 3,
                tls: .require, schema: "kv_prod", pollIntervalSeconds: 0.5, changeLogRevisions: 5000)
        )
        expected.kv = .init(
            maxTransactionOperations: 16, maxTransactionBytes: 64 << 10, sweepIntervalSeconds: 0.5, sweepBatch: 10,
            watchHistory: 50, maxWatchers: 3, maxWatchTimeoutSeconds: 60
        )
        expected.logging = .init(
            level: .notice, format: .json, slowRequestMilliseconds: 0, performanceLog: true, databaseLog: true
        )
        expected.metrics = .init(
            enabled: false, port: 9100, durationBuckets: [0.5, 1], sizeBuckets: [10], maxSeriesPerFamily: 1
        )
        expected.node = .init(id: "kv-1.eu_west")
        expected.cluster = .init(advertiseURL: "http://10.0.0.5:8080", heartbeatIntervalSeconds: 2)
        expected.health = .init(
            intervalSeconds: 0.5, timeoutSeconds: 0.25, failureThreshold: 5, successThreshold: 2,
            memoryLimitMB: 2048, memoryDegradedRatio: 1, threadLimit: 500, diskMinFreeBytes: 0,
            dependencies: [.init(name: "up", url: "http://127.0.0.1:9/", critical: true, timeoutSeconds: 1.5)]
        )
        expected.snapshots = .init(
            enabled: false, directory: "/var/lib/kv snapshots", intervalSeconds: 0.05, maxFiles: 10,
            maxBytes: 2 << 20, maxAgeSeconds: 36 * 3600, compress: true
        )
        expected.alerts = .init(
            enabled: false,
            rules: [.init(name: "Down", kind: .healthStatus, severity: "critical", threshold: 2, forSeconds: 30, summary: "down")],
            webhooks: [.init(url: "http://127.0.0.1:9093/hook", maxRetries: 1)]
        )
        expected.security = .init(
            tokens: [
                .init(name: "r", secret: "inline-secret-0123456789", role: .read),
                .init(name: "a", secret: "file-secret-0123456789", secretFile: secretFile.path, role: .admin),
            ],
            healthDetails: .never, protectMetrics: true, protectDashboard: true, corsOrigins: ["https://example.com"],
            tlsCertificateFile: certificate.path, tlsKeyFile: key.path, idleTimeoutSeconds: 5, requestTimeoutSeconds: 7.5,
            maxConnections: 10, rateLimit: .init(requestsPerSecond: 50, burst: 75, maxClients: 100)
        )
        expected.dashboard = .init(
            enabled: false, directory: "/srv/dash", ranges: [.init(name: "12h", seconds: 12 * 3600), .init(name: "2d", seconds: 2 * 86400)], refreshSeconds: 5, timezone: "Asia/Tokyo",
            title: "KV | prod", templatesDirectory: "/srv/templates"
        )
        expected.slo = .init(objectives: [.init(kind: .availability, target: 0.9995), .init(kind: .latency(bound: 0.1), target: 0.95)],
                             periodSeconds: 7 * 86_400)

        #expect(try load(overrides: values) == expected)
        let variables = Dictionary(
            uniqueKeysWithValues: values.map { (ConfigurationLoader.environmentVariable(forKey: $0.key), $0.value) }
        )
        #expect(try load(environment: variables) == expected)
        var yaml = "environment: production\n"
        for section in ["server", "storage", "kv", "logging", "metrics", "node", "cluster", "health", "snapshots", "alerts", "security", "dashboard", "slo"] {
            yaml += "\(section):\n"
            for (key, value) in values.sorted(by: { $0.key < $1.key }) where key.hasPrefix(section + ".") {
                // Single quotes: the dependencies' JSON holds double quotes.
                yaml += "  \(key.dropFirst(section.count + 1)): '\(value)'\n"
            }
        }
        #expect(try load(yaml: yaml) == expected)
    }

    @Test func environmentVariableNamesFollowTheKeys() {
        #expect(ConfigurationLoader.environmentVariable(forKey: "server.port") == "KVSTORE_SERVER_PORT")
        #expect(
            ConfigurationLoader.environmentVariable(forKey: "storage.max_value_bytes")
                == "KVSTORE_STORAGE_MAX_VALUE_BYTES"
        )
        #expect(ConfigurationLoader.environmentVariable(forKey: "environment") == "KVSTORE_ENVIRONMENT")
        #expect(ConfigurationLoader.allKeys == KVStoreConfiguration.allKeys)
    }
}
