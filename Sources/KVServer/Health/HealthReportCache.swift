import Foundation
import HTTPTypes
import Hummingbird
import KVMonitoring
import Synchronization

/// `/api/v1/health`'s two bodies (the seed's shape and the IETF one), each rendered once per
/// check result rather than once per request: a rendering is served again while no check has
/// recorded a result since and it is younger than `maximumAge`, which bounds how old its
/// `time`, `uptime_seconds` and `system` can be.
final class HealthReportCache: Sendable {
    /// One rendered report: its status, body bytes, and what it was made from.
    struct Rendered: Sendable {
        let status: HTTPResponse.Status
        let body: ByteBuffer
        let generation: UInt64
        let renderedAt: Date

        func isFresh(generation: UInt64, now: Date, maximumAge: TimeInterval) -> Bool {
            self.generation == generation && now >= renderedAt && now.timeIntervalSince(renderedAt) < maximumAge
        }
    }

    /// How long a rendering is served while no check records a result.
    static let maximumAge: TimeInterval = 1
    private let monitor: HealthMonitor
    /// The latest rendering of each shape: `[0]` the seed's, `[1]` the IETF one.
    private let renderings = Mutex<[Rendered?]>([nil, nil])

    init(monitor: HealthMonitor) {
        self.monitor = monitor
    }

    /// The report at `now` in the IETF shape or the seed's, from the cache when fresh.
    func rendered(ietf wantsIETF: Bool, now: Date) -> Rendered {
        let slot = wantsIETF ? 1 : 0
        let generation = monitor.resultsGeneration
        if let cached = renderings.withLock({ $0[slot] }), cached.isFresh(generation: generation, now: now, maximumAge: Self.maximumAge) {
            return cached
        }
        let report = monitor.report(now: now)
        let body = wantsIETF ? HealthRenderer.ietfJSON(report) : HealthRenderer.seedJSON(report)
        let rendered = Rendered(
            status: .init(code: HealthRenderer.httpStatus(for: report.status)), body: ByteBuffer(string: body),
            generation: generation, renderedAt: now)
        renderings.withLock { $0[slot] = rendered }
        return rendered
    }
}
