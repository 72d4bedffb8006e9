import KVConfiguration
import Testing

@Suite struct DashboardConfigurationTests {
    @Test func defaults() throws {
        let dashboard = try load().dashboard
        #expect(dashboard == KVStoreConfiguration.Dashboard())
        #expect(dashboard.enabled)
        #expect(dashboard.directory == "./public")
        #expect(dashboard.ranges.map(\.name) == ["1h", "6h", "24h", "7d"])
        #expect(dashboard.ranges.map(\.seconds) == [3600, 21600, 86400, 604800])
        #expect(dashboard.refreshSeconds == 30)
        #expect(dashboard.timezone == "UTC")
        #expect(dashboard.title == "kvstore")
        #expect(dashboard.templatesDirectory == nil)
        #expect(KVStoreConfiguration(environment: .production).dashboard == dashboard)
        #expect(KVStoreConfiguration().value(forKey: "dashboard.ranges") == "1h, 6h, 24h, 7d")
        #expect(KVStoreConfiguration().value(forKey: "dashboard.templates") == "")
    }

    @Test func everyKeyParsesFromTheFile() throws {
        let configuration = try load(
            yaml: """
                dashboard:
                  enabled: false
                  dir: /srv/kv dashboard
                  ranges: [6h, 90m, 3600, 0.5d]
                  refresh_seconds: 0
                  timezone: Europe/Paris
                  title: "Prod <eu> & \\"friends\\""
                  templates: ./my-templates
                """
        )
        #expect(
            configuration.dashboard
                == .init(
                    enabled: false, directory: "/srv/kv dashboard", ranges: [.init(name: "6h", seconds: 21600), .init(name: "90m", seconds: 5400),
                                                                              .init(name: "3600s", seconds: 3600), .init(name: "0.5d", seconds: 43200)],
                    refreshSeconds: 0,
                    timezone: "Europe/Paris", title: "Prod <eu> & \"friends\"", templatesDirectory: "./my-templates"
                )
        )
        #expect(try load(overrides: ["dashboard.templates": ""]).dashboard.templatesDirectory == nil)
        #expect(try load(yaml: "dashboard:\n  templates: ~\n").dashboard.templatesDirectory == nil)
    }

    @Test(arguments: ["UTC", "America/New_York", "Asia/Kolkata", "Europe/London"])
    func knownTimeZonesAreAccepted(zone: String) throws {
        #expect(try load(environment: ["KVSTORE_DASHBOARD_TIMEZONE": zone]).dashboard.timezone == zone)
    }

    @Test func badValuesAreRejected() throws {
        let cases: [(key: String, value: String, expected: String)] = [
            ("dashboard.timezone", "Mars/Olympus_Mons", "an IANA time zone name such as UTC, Europe/Paris or America/New_York"),
            ("dashboard.timezone", "", "an IANA time zone name such as UTC, Europe/Paris or America/New_York"),
            ("dashboard.refresh_seconds", "-1", "an integer from 0 to 86400"),
            ("dashboard.refresh_seconds", "2.5", "an integer from 0 to 86400"),
            ("dashboard.refresh_seconds", "86401", "an integer from 0 to 86400"),
            ("dashboard.title", "", "a non-empty string"),
            ("dashboard.title", "  ", "a non-empty string"),
            ("dashboard.dir", "", "a directory path"),
            ("dashboard.enabled", "maybe", "true or false"),
        ]
        for (key, value, expected) in cases {
            let variable = ConfigurationLoader.environmentVariable(forKey: key)
            #expect(
                try loadFailure(environment: [variable: value])
                    == "environment variable \(variable): invalid value \(value.debugDescription) for \(key) (expected \(expected))"
            )
        }
        #expect(KVStoreConfiguration.Dashboard.isValidTimeZone("UTC"))
        #expect(!KVStoreConfiguration.Dashboard.isValidTimeZone("Nowhere/Special"))
    }

    @Test func rangesFromEveryLayer() throws {
        #expect(try load(environment: ["KVSTORE_DASHBOARD_RANGES": " 15m ,2h"]).dashboard.ranges
            == [.init(name: "15m", seconds: 900), .init(name: "2h", seconds: 7200)])
        #expect(try load(overrides: ["dashboard.ranges": "7D"]).dashboard.ranges == [.init(name: "7d", seconds: 604_800)])
        #expect(try load(yaml: "dashboard:\n  ranges: 30m\n").dashboard.ranges == [.init(name: "30m", seconds: 1800)])
    }

    @Test func badRangesAreRejectedWithTheEntryAtFault() throws {
        let each = "a duration from 1m to 365d: seconds, or a number with the unit s, m, h or d (90m, 36h, 7d)"
        let list = "a list of 1 to 8 different durations, each from 1m to 365d: seconds, or a number with the unit s, m, h or d (90m, 36h, 7d)"
        let variable = "KVSTORE_DASHBOARD_RANGES"
        let cases: [(value: String, message: String)] = [
            ("1h,1w", "invalid value \"1w\" for dashboard.ranges[1] (expected \(each))"),
            ("59s", "invalid value \"59s\" for dashboard.ranges[0] (expected \(each))"),
            ("1h,,6h", "invalid value \"\" for dashboard.ranges[1] (expected \(each))"),
            ("1h, 60m", "invalid value \"60m\" for dashboard.ranges[1] (expected a duration the list does not have yet)"),
            ("1h,2h,3h,4h,5h,6h,7h,8h,9h", "invalid value \"1h,2h,3h,4h,5h,6h,7h,8h,9h\" for dashboard.ranges (expected \(list))"),
        ]
        for (value, message) in cases {
            #expect(try loadFailure(environment: [variable: value]) == "environment variable \(variable): \(message)")
        }
        #expect(try loadFailure(yaml: "dashboard:\n  ranges: []\n")?.contains("for dashboard.ranges (expected \(list))") == true)
    }
}
