import Foundation
import KVSnapshot
import Testing

@testable import KVMonitoring

@Suite struct HealthRendererTests {
    static let storage = HealthCheckReport(
        name: "storage", kind: "storage", status: .healthy, message: "Storage is operational", durationMilliseconds: 1.25,
        details: ["operation_time_ms": 0.5, "entries": 150, "total_size": 1_048_576], critical: true,
        time: "2027-01-15T08:00:00.000Z"
    )
    static let memory = HealthCheckReport(
        name: "memory", kind: "memory", status: .degraded, message: "Memory usage is high: 953.7 MiB of 1 GiB (93%)",
        durationMilliseconds: 0.042, details: ["resident_bytes": 1_000_000_000, "limit_bytes": 1_073_741_824, "usage_ratio": 0.9313],
        critical: false, time: "2027-01-15T08:00:00.000Z"
    )
    static let upstream = HealthCheckReport(
        name: "upstream", kind: "dependency", status: .unhealthy, message: "timeout after 2s", durationMilliseconds: 2000,
        details: ["url": "http://upstream:8080/health", "timeout_seconds": 2], critical: false,
        time: "2027-01-15T07:59:58.000Z", consecutiveFailures: 3
    )
    static let disk = HealthCheckReport(
        name: "disk", kind: "disk", status: .degraded, message: "Disk space is low: snapshots has 50 MiB free (minimum 100 MiB)",
        durationMilliseconds: 0.01,
        details: [
            "minimum_free_bytes": 104_857_600, "data.path": "/data", "data.free_bytes": 2_147_483_648, "data.total_bytes": 8_589_934_592,
            "snapshots.path": "/snap", "snapshots.free_bytes": 52_428_800, "snapshots.total_bytes": 1_073_741_824,
        ],
        critical: false, time: "2027-01-15T08:00:00.000Z"
    )
    static let pending = HealthCheckReport(
        name: "threads", kind: "threads", status: .unhealthy, message: "no result yet", durationMilliseconds: 0, critical: false, time: nil)

    static func report(_ checks: [HealthCheckReport]) -> HealthReport {
        HealthAggregator.report(
            checks: checks, version: "1.2.3", uptimeSeconds: 3600.5, system: HealthFixtures.system, time: "2027-01-15T08:00:01.000Z")
    }

    @Test func seedJSONHasTheSeedShape() {
        let body = HealthRenderer.seedJSON(Self.report([Self.storage, Self.upstream]))
        #expect(
            body == """
                {"checks":{"storage":{"consecutive_failures":0,"critical":true,"details":{"entries":150,"operation_time_ms":0.5,\
                "total_size":1048576},"duration_ms":1.25,"kind":"storage","message":"Storage is operational","name":"storage",\
                "status":"healthy","time":"2027-01-15T08:00:00.000Z"},"upstream":{"consecutive_failures":3,"critical":false,\
                "details":{"timeout_seconds":2,"url":"http://upstream:8080/health"},"duration_ms":2000,"kind":"dependency",\
                "message":"timeout after 2s","name":"upstream","status":"unhealthy","time":"2027-01-15T07:59:58.000Z"}},\
                "status":"degraded","summary":{"degraded":0,"healthy":1,"total":2,"unhealthy":1},"system":{"cpu_count":2,\
                "hostname":"kv-1","memory_total_bytes":4294967296,"os":"Linux 6.1.0 x86_64","pid":42,\
                "resident_memory_bytes":52428800,"swift_version":"6.3","threads":12},"time":"2027-01-15T08:00:01.000Z",\
                "uptime_seconds":3600.5,"version":"1.2.3"}
                """)
    }

    @Test func seedJSONOmitsTheTimeOfACheckThatNeverRanAndWritesNonFiniteNumbersAsStrings() {
        var check = Self.pending
        check.details = ["usage_ratio": .number(.nan), "limit": .number(.infinity)]
        let body = HealthRenderer.seedJSON(Self.report([check]))
        #expect(
            body.contains(
                #""threads":{"consecutive_failures":0,"critical":false,"details":{"limit":"+Inf","usage_ratio":"NaN"},"#
                    + #""duration_ms":0,"kind":"threads","message":"no result yet","name":"threads","status":"unhealthy"}"#
            ))
    }

    @Test func ietfJSONKeysChecksByComponentAndMeasurement() {
        let body = HealthRenderer.ietfJSON(Self.report([Self.storage, Self.memory, Self.upstream, Self.disk, Self.pending]))
        #expect(
            body == """
                {"checks":{"disk:freeSpace":[{"componentId":"data","componentType":"system","observedUnit":"bytes",\
                "observedValue":2147483648,"status":"pass","time":"2027-01-15T08:00:00.000Z"},{"componentId":"snapshots",\
                "componentType":"system","observedUnit":"bytes","observedValue":52428800,\
                "output":"Disk space is low: snapshots has 50 MiB free (minimum 100 MiB)","status":"warn",\
                "time":"2027-01-15T08:00:00.000Z"}],"memory:utilization":[{"componentType":"system","observedUnit":"percent",\
                "observedValue":93.13,"output":"Memory usage is high: 953.7 MiB of 1 GiB (93%)","status":"warn",\
                "time":"2027-01-15T08:00:00.000Z"}],"storage:responseTime":[{"componentType":"datastore","observedUnit":"ms",\
                "observedValue":1.25,"status":"pass","time":"2027-01-15T08:00:00.000Z"}],"threads:count":[{"componentType":"system",\
                "output":"no result yet","status":"fail"}],"upstream:responseTime":[{"componentType":"component",\
                "observedUnit":"ms","observedValue":2000,"output":"timeout after 2s","status":"fail",\
                "time":"2027-01-15T07:59:58.000Z"}],"uptime":[{"componentType":"system","observedUnit":"s",\
                "observedValue":3600.5,"status":"pass","time":"2027-01-15T08:00:01.000Z"}]},\
                "description":"kvstore key-value server","releaseId":"1.2.3","status":"warn","version":"1"}
                """)
    }

    @Test func ietfStatusFollowsTheOverallStatus() {
        var critical = Self.upstream
        critical.critical = true
        #expect(HealthRenderer.ietfJSON(Self.report([critical])).hasSuffix(#""status":"fail","version":"1"}"#))
        #expect(HealthRenderer.ietfJSON(Self.report([Self.storage])).hasSuffix(#""status":"pass","version":"1"}"#))
    }

    @Test func probePassingIsPlainOk() {
        let result = HealthRenderer.probeText(probe: .readiness, checks: [Self.storage, Self.memory], verbose: false)
        #expect(result.ok)
        #expect(result.body == "ok")
    }

    @Test func verbosePassingProbeListsEveryCheck() {
        let result = HealthRenderer.probeText(probe: .liveness, checks: [Self.storage, Self.memory], verbose: true)
        #expect(result.ok)
        #expect(result.body == "[+]storage ok\n[+]memory ok\nlivez check passed\n")
    }

    @Test func failingProbeWithholdsReasonsUnlessVerbose() {
        let checks = [Self.storage, Self.upstream]
        let quiet = HealthRenderer.probeText(probe: .readiness, checks: checks, verbose: false)
        #expect(!quiet.ok)
        #expect(quiet.body == "[+]storage ok\n[-]upstream failed: reason withheld\nreadyz check failed\n")
        let verbose = HealthRenderer.probeText(probe: .readiness, checks: checks, verbose: true)
        #expect(!verbose.ok)
        #expect(verbose.body == "[+]storage ok\n[-]upstream failed: timeout after 2s\nreadyz check failed\n")
    }

    @Test func excludedChecksAreSkippedAndUnknownExclusionsWarned() {
        let checks = [Self.storage, Self.upstream]
        let result = HealthRenderer.probeText(probe: .readiness, checks: checks, verbose: true, excluded: ["upstream", "nope", "a\nb"])
        #expect(result.ok)
        #expect(
            result.body == """
                [+]storage ok
                [+]upstream excluded: ok
                warn: some health checks cannot be excluded: no matches for "a b","nope"
                readyz check passed

                """)
        let quiet = HealthRenderer.probeText(probe: .readiness, checks: checks, verbose: false, excluded: ["upstream"])
        #expect(quiet == (true, "ok"))
    }

    @Test func probeReasonsStayOnOneLine() {
        var check = Self.upstream
        check.message = "line one\nline two"
        let result = HealthRenderer.probeText(probe: .readiness, checks: [check], verbose: true)
        #expect(result.body == "[-]upstream failed: line one line two\nreadyz check failed\n")
    }

    @Test func httpStatusAndCacheControl() {
        #expect(HealthRenderer.httpStatus(for: .healthy) == 200)
        #expect(HealthRenderer.httpStatus(for: .degraded) == 200)
        #expect(HealthRenderer.httpStatus(for: .unhealthy) == 503)
        #expect(HealthRenderer.cacheControl(maxAgeSeconds: 7) == "max-age=7")
        #expect(HealthRenderer.cacheControl(maxAgeSeconds: -3) == "max-age=0")
    }

    @Test func durationsAndSizesReadNaturally() {
        #expect(HealthText.text(.seconds(2)) == "2s")
        #expect(HealthText.text(.milliseconds(1500)) == "1.5s")
        #expect(HealthText.text(.milliseconds(200)) == "200ms")
        #expect(HealthText.text(.microseconds(500)) == "0.5ms")
        #expect(HealthText.bytes(512) == "512 B")
        #expect(HealthText.bytes(1536) == "1.5 KiB")
        #expect(HealthText.bytes(1_073_741_824) == "1 GiB")
        #expect(HealthText.rfc3339(Date(timeIntervalSince1970: 1_800_000_000.5)) == "2027-01-15T08:00:00.500Z")
    }
}
