import KVConfiguration
import Testing

@Suite struct ConfigurationErrorTests {
    @Test func unknownKeyInFileNamesTheKeyAndTheSectionsKeys() throws {
        #expect(
            try loadFailure(yaml: "server:\n  host: 127.0.0.1\n  prot: 9000\n")
                == "config file FILE, line 3: unknown key server.prot (allowed keys in server: host, port)"
        )
    }

    @Test func unknownSectionInFileListsTheTopLevelKeys() throws {
        #expect(
            try loadFailure(yaml: "sever:\n  port: 1\n")
                == "config file FILE, line 1: unknown key sever "
                + "(allowed top-level keys: environment, server, storage, logging, metrics)"
        )
    }

    @Test func unknownPrefixedEnvironmentVariableIsNamed() throws {
        #expect(
            try loadFailure(environment: ["KVSTORE_SERVER_PROT": "9000"])
                == "environment variable KVSTORE_SERVER_PROT: no such setting "
                + "(allowed variables for server: KVSTORE_SERVER_HOST, KVSTORE_SERVER_PORT)"
        )
        let outsideAnySection = try #require(try loadFailure(environment: ["KVSTORE_PORT": "9000"]))
        #expect(
            outsideAnySection.hasPrefix(
                "environment variable KVSTORE_PORT: no such setting (allowed variables: KVSTORE_ENVIRONMENT, "
                    + "KVSTORE_SERVER_HOST, KVSTORE_SERVER_PORT, KVSTORE_STORAGE_ENGINE,"
            )
        )
        #expect(outsideAnySection.hasSuffix("KVSTORE_METRICS_MAX_SERIES_PER_FAMILY)"))
    }

    @Test func unknownOverrideKeyIsNamed() throws {
        #expect(
            try loadFailure(overrides: ["server.prot": "9000"])
                == "command line: unknown key server.prot (allowed keys in server: host, port)"
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
                == "config file FILE, line 1: invalid value \"8080\" for server (expected a section with the keys host, port)"
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
                + "(expected a byte count of at least 1048576 (1 MiB); a KiB, MiB, GiB or TiB suffix is allowed)"
        )
        #expect(
            try loadFailure(environment: ["KVSTORE_STORAGE_SYNC_INTERVAL": "0"])
                == "environment variable KVSTORE_STORAGE_SYNC_INTERVAL: invalid value \"0\" for storage.sync_interval "
                + "(expected a number greater than 0)"
        )
        #expect(
            try loadFailure(overrides: ["metrics.port": "0"])
                == "command line: invalid value \"0\" for metrics.port (expected an integer from 1 to 65535, or none)"
        )
        #expect(
            try loadFailure(yaml: "logging:\n  slow_request_ms: -1\n")
                == "config file FILE, line 2: invalid value \"-1\" for logging.slow_request_ms "
                + "(expected an integer of at least 0)"
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
        let expected = "(expected a non-empty list of numbers greater than 0 in strictly increasing order)"
        #expect(
            try loadFailure(yaml: "metrics:\n  duration_buckets: [1, 0.5]\n")
                == "config file FILE, line 2: invalid value [1, 0.5] for metrics.duration_buckets \(expected)"
        )
        #expect(
            try loadFailure(yaml: "metrics:\n  size_buckets: []\n")
                == "config file FILE, line 2: invalid value [] for metrics.size_buckets \(expected)"
        )
        #expect(
            try loadFailure(environment: ["KVSTORE_METRICS_SIZE_BUCKETS": "1,,2"])
                == "environment variable KVSTORE_METRICS_SIZE_BUCKETS: invalid value \"1,,2\" for metrics.size_buckets \(expected)"
        )
    }

    @Test func missingFileIsAnError() throws {
        let path = "/nonexistent-\(UInt64.random(in: 0...UInt64.max))/config.yaml"
        #expect(throws: ConfigurationError(description: "config file \(path): file not found")) {
            try ConfigurationLoader.load(file: path, environment: [:], overrides: [:])
        }
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
