import KVConfiguration
import Testing

@Suite struct DashboardConfigurationTests {
    @Test func defaults() throws {
        let dashboard = try load().dashboard
        #expect(dashboard == KVStoreConfiguration.Dashboard())
        #expect(dashboard.enabled)
        #expect(dashboard.directory == "./public")
        #expect(dashboard.windowSeconds == 86400)
        #expect(dashboard.refreshSeconds == 30)
        #expect(dashboard.timezone == "UTC")
        #expect(dashboard.title == "kvstore")
        #expect(dashboard.templatesDirectory == nil)
        #expect(KVStoreConfiguration(environment: .production).dashboard == dashboard)
        #expect(KVStoreConfiguration().value(forKey: "dashboard.window") == "1d")
        #expect(KVStoreConfiguration().value(forKey: "dashboard.templates") == "")
    }

    @Test func everyKeyParsesFromTheFile() throws {
        let configuration = try load(
            yaml: """
                dashboard:
                  enabled: false
                  dir: /srv/kv dashboard
                  window: 6h
                  refresh_seconds: 0
                  timezone: Europe/Paris
                  title: "Prod <eu> & \\"friends\\""
                  templates: ./my-templates
                """
        )
        #expect(
            configuration.dashboard
                == .init(
                    enabled: false, directory: "/srv/kv dashboard", windowSeconds: 6 * 3600, refreshSeconds: 0,
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
        let duration = "a duration from 1m to 365d: seconds, or a number with the unit s, m, h or d (90m, 36h, 7d)"
        let cases: [(key: String, value: String, expected: String)] = [
            ("dashboard.timezone", "Mars/Olympus_Mons", "an IANA time zone name such as UTC, Europe/Paris or America/New_York"),
            ("dashboard.timezone", "", "an IANA time zone name such as UTC, Europe/Paris or America/New_York"),
            ("dashboard.window", "0", duration),
            ("dashboard.window", "1w", duration),
            ("dashboard.refresh_seconds", "-1", "an integer from 0 to 86400"),
            ("dashboard.refresh_seconds", "2.5", "an integer from 0 to 86400"),
            ("dashboard.refresh_seconds", "86401", "an integer from 0 to 86400"),
            ("dashboard.window", "59s", duration),
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
}
