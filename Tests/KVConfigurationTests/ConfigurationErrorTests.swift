import KVConfiguration
import Testing

@Suite struct ConfigurationErrorTests {
    @Test func unknownKeyInFileNamesTheKeyAndTheSectionsKeys() throws {
        #expect(
            try loadFailure(yaml: "server:\n  host: 127.0.0.1\n  prot: 9000\n")
                == "config file FILE, line 3: unknown key server.prot (allowed keys in server: host, port, allowed_hosts)"
        )
    }

    @Test func unknownSectionInFileListsTheTopLevelKeys() throws {
        #expect(
            try loadFailure(yaml: "sever:\n  port: 1\n")
                == "config file FILE, line 1: unknown key sever "
                + "(allowed top-level keys: environment, server, storage, kv, logging, metrics, node, cluster, health, snapshots, alerts, "
                + "security, dashboard, slo)"
        )
    }

    @Test func unknownPrefixedEnvironmentVariableIsNamed() throws {
        #expect(
            try loadFailure(environment: ["KVSTORE_SERVER_PROT": "9000"])
                == "environment variable KVSTORE_SERVER_PROT: no such setting "
                + "(allowed variables for server: KVSTORE_SERVER_HOST, KVSTORE_SERVER_PORT, KVSTORE_SERVER_ALLOWED_HOSTS)"
        )
        let outsideAnySection = try #require(try loadFailure(environment: ["KVSTORE_PORT": "9000"]))
        #expect(
            outsideAnySection.hasPrefix(
                "environment variable KVSTORE_PORT: no such setting (allowed variables: KVSTORE_ENVIRONMENT, "
                    + "KVSTORE_SERVER_HOST, KVSTORE_SERVER_PORT, KVSTORE_SERVER_ALLOWED_HOSTS, KVSTORE_STORAGE_ENGINE,"
            )
        )
        #expect(outsideAnySection.hasSuffix("KVSTORE_DASHBOARD_TITLE, KVSTORE_DASHBOARD_TEMPLATES, KVSTORE_SLO_OBJECTIVES, KVSTORE_SLO_PERIOD)"))
        #expect(
            try loadFailure(environment: ["KVSTORE_NODE_NAME": "a"])
                == "environment variable KVSTORE_NODE_NAME: no such setting (allowed variables for node: KVSTORE_NODE_ID)"
        )
    }

    @Test func unknownOverrideKeyIsNamed() throws {
        #expect(
            try loadFailure(overrides: ["server.prot": "9000"])
                == "command line: unknown key server.prot (allowed keys in server: host, port, allowed_hosts)"
        )
        let outsideAnySection = try #require(try loadFailure(overrides: ["port": "9000"]))
        #expect(outsideAnySection.hasPrefix("command line: unknown key port (allowed keys: environment, server.host,"))
    }

    @Test func wrongTypeInFileNamesKeyValueAndWhatIsAllowed() throws {
        #expect(
            try loadFailure(yaml: "server:\n  port: \"abc\"\n")
                == "config file FILE, line 2: invalid value \"abc\" for server.port (expected an integer from 0 to 65535)"
        )
        #expect(
            try loadFailure(yaml: "metrics:\n  enabled: maybe\n")
                == "config file FILE, line 2: invalid value \"maybe\" for metrics.enabled (expected true or false)"
        )
        #expect(
            try loadFailure(yaml: "server:\n  port: [1, 2]\n")
                == "config file FILE, line 2: invalid value [1, 2] for server.port (expected an integer from 0 to 65535)"
        )
        #expect(
            try loadFailure(yaml: "server:\n  host:\n")
                == "config file FILE, line 2: invalid value null for server.host (expected a host name or IP address)"
        )
        #expect(
            try loadFailure(yaml: "server: 8080\n")
                == "config file FILE, line 1: invalid value \"8080\" for server (expected a section with the keys host, port, allowed_hosts)"
        )
    }

    @Test func outOfRangeValuesNameTheSourceAndTheRange() throws {
        #expect(
            try loadFailure(environment: ["KVSTORE_SERVER_PORT": "70000"])
                == "environment variable KVSTORE_SERVER_PORT: invalid value \"70000\" for server.port "
                + "(expected an integer from 0 to 65535)"
        )
        #expect(
            try loadFailure(overrides: ["storage.max_value_bytes": "65MiB"])
                == "command line: invalid value \"65MiB\" for storage.max_value_bytes "
                + "(expected a byte count from 1 to 67108864 (64 MiB); a KiB, MiB, GiB or TiB suffix is allowed)"
        )
        #expect(
            try loadFailure(yaml: "storage:\n  quota_bytes: 1000\n")
                == "config file FILE, line 2: invalid value \"1000\" for storage.quota_bytes "
                + "(expected a byte count from 1048576 (1 MiB) to 1125899906842624 (1 PiB); a KiB, MiB, GiB or TiB suffix is allowed)"
        )
        #expect(
            try loadFailure(environment: ["KVSTORE_STORAGE_SYNC_INTERVAL": "0"])
                == "environment variable KVSTORE_STORAGE_SYNC_INTERVAL: invalid value \"0\" for storage.sync_interval "
                + "(expected a number of seconds from 0.01 to 86400 (1 day))"
        )
        #expect(
            try loadFailure(overrides: ["metrics.port": "0"])
                == "command line: invalid value \"0\" for metrics.port (expected an integer from 1 to 65535, or none)"
        )
        #expect(
            try loadFailure(yaml: "logging:\n  slow_request_ms: -1\n")
                == "config file FILE, line 2: invalid value \"-1\" for logging.slow_request_ms "
                + "(expected an integer from 0 to 86400000)"
        )
    }

    @Test func badEnumValueListsTheAllowedValues() throws {
        #expect(
            try loadFailure(overrides: ["storage.durability": "sometimes"])
                == "command-line flag --durability: invalid value \"sometimes\" for storage.durability "
                + "(expected one of always, batched, none)"
        )
        #expect(
            try loadFailure(environment: ["KVSTORE_LOGGING_LEVEL": "verbose"])
                == "environment variable KVSTORE_LOGGING_LEVEL: invalid value \"verbose\" for logging.level "
                + "(expected one of trace, debug, info, notice, warning, error, critical)"
        )
        #expect(
            try loadFailure(yaml: "environment: staging\n")
                == "config file FILE, line 1: invalid value \"staging\" for environment "
                + "(expected one of development, production)"
        )
    }

    @Test func badBucketsAreRejected() throws {
        let expected = "(expected a non-empty list of at most 100 numbers from 0.0001 to 86400 in strictly increasing order)"
        #expect(
            try loadFailure(yaml: "metrics:\n  duration_buckets: [1, 0.5]\n")
                == "config file FILE, line 2: invalid value [1, 0.5] for metrics.duration_buckets \(expected)"
        )
        let sizes = "(expected a non-empty list of at most 100 numbers from 1 to 1073741824 in strictly increasing order)"
        #expect(
            try loadFailure(yaml: "metrics:\n  size_buckets: []\n")
                == "config file FILE, line 2: invalid value [] for metrics.size_buckets \(sizes)"
        )
        #expect(
            try loadFailure(environment: ["KVSTORE_METRICS_SIZE_BUCKETS": "1,,2"])
                == "environment variable KVSTORE_METRICS_SIZE_BUCKETS: invalid value \"1,,2\" for metrics.size_buckets \(sizes)"
        )
    }

    @Test func badNodeIDListsTheAllowedCharacters() throws {
        let expected = "(expected a name of 1 to 64 characters, each a letter A-Z or a-z, a digit 0-9, '.', '_' or '-')"
        #expect(
            try loadFailure(yaml: "node:\n  id: kv/1\n")
                == "config file FILE, line 2: invalid value \"kv/1\" for node.id \(expected)"
        )
        for bad in ["", "kv 1", "kv:1", "nœud", String(repeating: "n", count: 65)] {
            #expect(
                try loadFailure(environment: ["KVSTORE_NODE_ID": bad])
                    == "environment variable KVSTORE_NODE_ID: invalid value \(bad.debugDescription) for node.id \(expected)"
            )
        }
    }

    @Test func outOfRangeHealthValuesAreRejected() throws {
        let cases: [(key: String, value: String, expected: String)] = [
            ("health.interval_seconds", "0", "a number of seconds from 0.01 to 86400 (1 day)"),
            ("health.timeout_seconds", "-1", "a number of seconds from 0.01 to 86400 (1 day)"),
            ("health.failure_threshold", "0", "an integer from 1 to 1000"),
            ("health.success_threshold", "1.5", "an integer from 1 to 1000"),
            ("health.memory_limit_mb", "0", "an integer from 1 to 16777216"),
            ("health.memory_degraded_ratio", "0", "a number greater than 0 and at most 1"),
            ("health.memory_degraded_ratio", "1.01", "a number greater than 0 and at most 1"),
            ("health.thread_limit", "0", "an integer from 1 to 1000000"),
            ("health.disk_min_free_bytes", "-1", "a byte count from 0 to 1125899906842624 (1 PiB); a KiB, MiB, GiB or TiB suffix is allowed"),
        ]
        for (key, value, expected) in cases {
            #expect(
                try loadFailure(overrides: [key: value])
                    == "command line: invalid value \(value.debugDescription) for \(key) (expected \(expected))"
            )
        }
    }

    @Test func outOfRangeSnapshotValuesAreRejected() throws {
        let duration = "a duration from 1s to 365d: seconds, or a number with the unit s, m, h or d (90m, 36h, 7d)"
        let cases: [(key: String, value: String, expected: String)] = [
            ("snapshots.interval_seconds", "0.001", "a number of seconds from 0.01 to 86400 (1 day)"),
            ("snapshots.interval_seconds", "nan", "a number of seconds from 0.01 to 86400 (1 day)"),
            ("snapshots.max_files", "0", "an integer from 1 to 1000000"),
            (
                "snapshots.max_bytes", "1000",
                "a byte count from 1048576 (1 MiB) to 1125899906842624 (1 PiB); a KiB, MiB, GiB or TiB suffix is allowed"
            ),
            ("snapshots.max_age", "0", duration),
            ("snapshots.max_age", "-1d", duration),
            ("snapshots.max_age", "7w", duration),
            ("snapshots.max_age", "d", duration),
            ("snapshots.max_age", "1e400s", duration),
            ("snapshots.dir", "", "a directory path"),
            ("snapshots.compress", "gzip", "true or false"),
        ]
        for (key, value, expected) in cases {
            let variable = ConfigurationLoader.environmentVariable(forKey: key)
            #expect(
                try loadFailure(environment: [variable: value])
                    == "environment variable \(variable): invalid value \(value.debugDescription) for \(key) (expected \(expected))"
            )
        }
        #expect(
            try loadFailure(yaml: "snapshots:\n  enabled: true\n  max_age: 2 weeks\n")
                == "config file FILE, line 3: invalid value \"2 weeks\" for snapshots.max_age (expected \(duration))"
        )
    }

    @Test func missingFileIsAnError() throws {
        let path = "/nonexistent-\(UInt64.random(in: 0...UInt64.max))/config.yaml"
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: path, environment: [:], overrides: [:])
        }
        #expect(error?.code == .fileNotFound)
        #expect(error?.description == "config file \(path): file not found")
        #expect(error == ConfigurationError(.fileNotFound, description: "config file \(path): file not found"))
    }

    @Test func invalidYAMLNamesThePosition() throws {
        #expect(
            try loadFailure(yaml: "server:\n  port: 1\n  host: [\n")
                == "config file FILE, line 4, column 1: invalid YAML: did not find expected node content "
                + "(while parsing a flow node)"
        )
        #expect(
            try loadFailure(yaml: "server:\n  port: 1\n  port: 2\n")
                == "config file FILE, line 2: invalid YAML: duplicate key port"
        )
    }

    @Test func metricsPortMustDifferFromServerPort() throws {
        #expect(
            try loadFailure(
                yaml: "environment: production\nserver:\n  port: 2112\n"
            )
                == "metrics.port 2112 (from the production profile) must differ from server.port 2112 "
                + "(from config file FILE, line 3); set another port, or none to serve metrics on the main port"
        )
        #expect(
            try loadFailure(overrides: ["metrics.port": "8080"])
                == "metrics.port 8080 (from command line) must differ from server.port 8080 (the default); "
                + "set another port, or none to serve metrics on the main port"
        )
        // With metrics off, the port is unused and may clash.
        #expect(try loadFailure(yaml: "server:\n  port: 9100\n", overrides: ["metrics.port": "9100", "metrics.enabled": "false"]) == nil)
    }

    @Test func everyMessageIsOneLine() throws {
        let failures = try [
            loadFailure(yaml: "server:\n  port: 1\n  host: [\n"),
            loadFailure(yaml: "server:\n  host: \"a\\nb\"\n"),
            loadFailure(environment: ["KVSTORE_STORAGE_PATH": ""]),
        ]
        for failure in failures {
            let message = try #require(failure)
            #expect(!message.contains("\n"), "\(message)")
        }
    }
}
