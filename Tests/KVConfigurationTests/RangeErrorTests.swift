import Foundation
import KVConfiguration
import Testing

/// The exact one-line errors for values out of range, and values at the edges that load.
@Suite struct RangeErrorTests {
    static let seconds = "a number of seconds from 0.01 to 86400 (1 day)"

    @Test func aHugeIntervalNamesTheKeyAndTheRange() throws {
        #expect(
            try loadFailure(overrides: ["health.interval_seconds": "1e16"])
                == "command line: invalid value \"1e16\" for health.interval_seconds (expected \(Self.seconds))"
        )
    }

    @Test(arguments: ["NaN", "inf", "-inf", "0.0001", "86401", "-1", "", "1e300"])
    func anIntervalOutsideTheRangeIsRefused(_ value: String) throws {
        #expect(
            try loadFailure(environment: ["KVSTORE_STORAGE_SYNC_INTERVAL": value])
                == "environment variable KVSTORE_STORAGE_SYNC_INTERVAL: invalid value \(value.debugDescription) "
                + "for storage.sync_interval (expected \(Self.seconds))"
        )
    }

    @Test func fractionsOfASecondStillWorkForSnapshots() throws {
        #expect(try load(overrides: ["snapshots.interval_seconds": "0.05"]).snapshots.intervalSeconds == 0.05)
        #expect(try load(overrides: ["snapshots.interval_seconds": "0.01"]).snapshots.intervalSeconds == 0.01)
        #expect(try load(overrides: ["snapshots.interval_seconds": "86400"]).snapshots.intervalSeconds == 86400)
    }

    @Test func zeroIsAPortAndEmptyIsNoMetricsPort() throws {
        #expect(try load(overrides: ["server.port": "0"]).server.port == 0)
        #expect(try load(overrides: ["metrics.port": ""]).metrics.port == nil)
        #expect(
            try loadFailure(overrides: ["server.port": "9999999999999999999"])
                == "command-line flag --port: invalid value \"9999999999999999999\" for server.port "
                + "(expected an integer from 0 to 65535)"
        )
    }

    @Test func durationsHaveBothEnds() throws {
        let expected = "a duration from 1s to 365d: seconds, or a number with the unit s, m, h or d (90m, 36h, 7d)"
        #expect(
            try loadFailure(overrides: ["snapshots.max_age": "366d"])
                == "command line: invalid value \"366d\" for snapshots.max_age (expected \(expected))"
        )
        #expect(try load(overrides: ["snapshots.max_age": "365d"]).snapshots.maxAgeSeconds == 365 * 86400)
        #expect(try load(overrides: ["snapshots.max_age": "1s"]).snapshots.maxAgeSeconds == 1)
        #expect(try loadFailure(overrides: ["dashboard.ranges": "59"])?.contains("(expected a duration from 1m to 365d") == true)
    }

    @Test func byteCountsHaveAMaximum() throws {
        #expect(
            try loadFailure(overrides: ["storage.quota_bytes": "1025TiB"])
                == "command line: invalid value \"1025TiB\" for storage.quota_bytes (expected a byte count from 1048576 "
                + "(1 MiB) to 1125899906842624 (1 PiB); a KiB, MiB, GiB or TiB suffix is allowed)"
        )
        #expect(try load(overrides: ["storage.quota_bytes": "1024TiB"]).storage.quotaBytes == 1 << 50)
    }

    @Test func bucketListsAreBoundedItemByItem() throws {
        #expect(try load(overrides: ["metrics.duration_buckets": "0.0001, 86400"]).metrics.durationBuckets == [0.0001, 86400])
        #expect(
            try loadFailure(overrides: ["metrics.duration_buckets": "0.1, 1e300"])
                == "command line: invalid value \"0.1, 1e300\" for metrics.duration_buckets (expected a non-empty list "
                + "of at most 100 numbers from 0.0001 to 86400 in strictly increasing order)"
        )
        let many = (1...101).map(String.init).joined(separator: ",")
        #expect(try loadFailure(overrides: ["metrics.size_buckets": many]) != nil)
    }

    @Test func numbersInsideListEntriesNameTheirEntryAndLine() throws {
        let yaml = """
            health:
              dependencies:
                - name: upstream
                  url: http://127.0.0.1:9/health
                  timeout_seconds: 1e16
            """
        #expect(
            try loadFailure(yaml: yaml)
                == "config file FILE, line 5: invalid value \"1e16\" for health.dependencies[0].timeout_seconds "
                + "(expected \(Self.seconds))"
        )
        let webhook = #"[{"url":"http://127.0.0.1:9/hook","timeout_seconds":0.001}]"#
        #expect(
            try loadFailure(overrides: ["alerts.webhooks": webhook])
                == "command line: invalid value \"0.001\" for alerts.webhooks[0].timeout_seconds (expected \(Self.seconds))"
        )
        let rule = #"[{"name":"Slow","kind":"latency_p99","summary":"s","threshold":1,"window":"2d","for":0}]"#
        #expect(
            try loadFailure(overrides: ["alerts.rules": rule])
                == "command line: invalid value \"2d\" for alerts.rules[0].window (expected a duration from 1s to 1d: "
                + "seconds, or a number with the unit s, m, h or d (90m, 36h, 7d))"
        )
    }

    @Test func aLongValueIsCutInTheErrorLine() throws {
        let long = String(repeating: "x", count: 10_000)
        let message = try #require(try loadFailure(overrides: ["health.timeout_seconds": long]))
        #expect(
            message == "command line: invalid value \"\(String(repeating: "x", count: 50))…\" (10000 characters) "
                + "for health.timeout_seconds (expected \(Self.seconds))"
        )
    }
}
