import Foundation
import KVSnapshot
import Logging
import Synchronization

@testable import KVMonitoring

/// Observations built from a few numbers, for the alert tests.
enum AlertFixtures {
    /// 2027-01-15T08:00:00.000Z.
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func time(_ seconds: Double) -> Date {
        self.start.addingTimeInterval(seconds)
    }

    static func check(_ name: String, kind: String = "test", status: HealthStatus, critical: Bool) -> HealthCheckReport {
        HealthCheckReport(name: name, kind: kind, status: status, message: status.rawValue, durationMilliseconds: 1,
                          critical: critical, time: SnapshotTime.format(self.start))
    }

    static func health(_ status: HealthStatus = .healthy, checks: [HealthCheckReport] = []) -> HealthReport {
        HealthReport(
            status: status, version: "1.2.3", uptimeSeconds: 60,
            checks: Dictionary(uniqueKeysWithValues: checks.map { ($0.name, $0) }),
            summary: HealthSummary(total: checks.count, healthy: 0, degraded: 0, unhealthy: 0),
            system: SystemInfo(swiftVersion: "6.3", os: "Linux", cpuCount: 2, memoryTotalBytes: 4e9, residentMemoryBytes: 5e7,
                               threads: 12, pid: 42, hostname: "kv-1"),
            time: SnapshotTime.format(self.start)
        )
    }

    static func gauge(_ descriptor: MetricDescriptor, _ value: Double) -> MetricFamilySnapshot {
        MetricFamilySnapshot(name: descriptor.name, help: descriptor.help, type: .gauge, samples: [MetricSample(value: value)])
    }

    /// `kvstore_http_requests_total` with `ok` 200s on GET /kv and `errors` 500s on PUT /kv.
    static func requests(ok: Double, errors: Double) -> MetricFamilySnapshot {
        let descriptor = KVMetrics.httpRequestsTotal
        return MetricFamilySnapshot(name: descriptor.name, help: descriptor.help, type: .counter, labelNames: descriptor.labelNames, samples: [
            MetricSample(labels: ["method": "GET", "route": "/kv/{key}", "code": "200"], value: ok),
            MetricSample(labels: ["method": "PUT", "route": "/kv/{key}", "code": "500"], value: errors),
        ])
    }

    /// `kvstore_request_duration_seconds` with one series per entry of `series`: cumulative
    /// counts for the bounds 0.1, 0.25, 0.5, 1 and +Inf.
    static func durations(_ series: [[UInt64]]) -> MetricFamilySnapshot {
        let descriptor = KVMetrics.requestDurationSeconds
        let bounds = [0.1, 0.25, 0.5, 1, .infinity]
        let samples = series.enumerated().map { index, counts in
            MetricSample(
                labels: ["method": index % 2 == 0 ? "GET" : "PUT", "route": "/kv/\(index)"],
                buckets: zip(bounds, counts).map { HistogramBucket(upperBound: $0, cumulativeCount: $1) },
                sum: 0, count: counts.last ?? 0
            )
        }
        return MetricFamilySnapshot(name: descriptor.name, help: descriptor.help, type: .histogram, labelNames: descriptor.labelNames,
                                    samples: samples)
    }

    static func observation(at seconds: Double, health: HealthReport = AlertFixtures.health(),
                            metrics: [MetricFamilySnapshot] = []) -> AlertObservation {
        AlertObservation(time: self.time(seconds), health: health, metrics: metrics)
    }

    static func rule(_ kind: AlertRule.Kind, threshold: Double = 0, window: Duration = .seconds(300),
                     for forDuration: Duration = .zero, name: String = "Test") -> AlertRule {
        AlertRule(name: name, kind: kind, severity: "warning", threshold: threshold, window: window, forDuration: forDuration,
                  summary: "\(name) summary", description: "\(name) description")
    }
}

/// Keeps every log message, for checking that each transition is logged once.
final class RecordingLogHandler: LogHandler, Sendable {
    struct Entry: Sendable, Equatable {
        var level: Logger.Level
        var message: String
    }

    private let storage = Mutex<[Entry]>([])
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    var entries: [Entry] { self.storage.withLock { $0 } }

    subscript(metadataKey _: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        self.storage.withLock { $0.append(Entry(level: event.level, message: event.message.description)) }
    }

    var logger: Logger { Logger(label: "test") { _ in self } }
}

