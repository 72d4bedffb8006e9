import Foundation
import KVMonitoring
import KVSnapshot
import Logging
import ServiceLifecycle
import Synchronization

/// Writes snapshots, on each monitoring tick (``MonitoringTickService``) and on demand
/// (`POST /api/v1/snapshots`), and hands each one written to its listeners (the live dashboard).
///
/// The file is written on a serial queue of its own, never on the request path; a failed write is
/// counted, logged and shown in health, and never stops the KV service. The listeners run in this
/// service's task, one snapshot after another in the order written: whoever asked for a snapshot
/// never waits for them.
final class SnapshotService: Service, Sendable {
    /// Called with each snapshot as written (sequence assigned), in order.
    typealias Listener = @Sendable (Snapshot) async -> Void
    /// Turns one reading of the server and the alerts active at that time into the snapshot to write.
    typealias Build = @Sendable (_ observation: AlertObservation, _ alerts: [AlertSnapshot]) -> Snapshot

    /// Written snapshots waiting for slow listeners; past this the oldest waiting one is dropped (and logged).
    static let listenerQueueCapacity = 64

    private let writer: SnapshotWriter
    private let observer: ServerObserver
    private let alerts: AlertEngine?
    private let build: Build
    private let instruments: SnapshotInstruments?
    private let logger: Logger
    let status: SnapshotStatus
    private let listeners = Mutex<[Listener]>([])
    private let written: AsyncStream<Snapshot>
    private let writtenContinuation: AsyncStream<Snapshot>.Continuation
    private let queue = DispatchQueue(label: "kvstore.snapshot-writer")

    init(writer: SnapshotWriter, observer: ServerObserver, alerts: AlertEngine?, status: SnapshotStatus,
         instruments: SnapshotInstruments?, logger: Logger, build: @escaping Build) {
        self.writer = writer
        self.observer = observer
        self.alerts = alerts
        self.status = status
        self.instruments = instruments
        self.logger = logger
        self.build = build
        (written, writtenContinuation) = AsyncStream.makeStream(of: Snapshot.self, bufferingPolicy: .bufferingNewest(Self.listenerQueueCapacity))
    }

    deinit {
        writtenContinuation.finish()
    }

    func addListener(_ listener: @escaping Listener) {
        listeners.withLock { $0.append(listener) }
    }

    /// Hands written snapshots to the listeners until graceful shutdown.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await snapshot in self.written {
                for listener in self.listeners.withLock({ $0 }) { await listener(snapshot) }
            }
        }
    }

    /// Takes a snapshot now (`POST /api/v1/snapshots`): the current health and metrics, with the
    /// alerts as the last tick left them; taking one does not move the alert state.
    @discardableResult
    func takeSnapshot() async throws -> SnapshotWriteResult {
        try await write(observer.observe(at: Date()), alerts: alerts?.activeAlerts() ?? [])
    }

    /// Builds and writes the snapshot of `observation`; throws (after counting it) when the write fails.
    @discardableResult
    func write(_ observation: AlertObservation, alerts active: [AlertSnapshot]) async throws -> SnapshotWriteResult {
        let start = ContinuousClock.now
        var snapshot = build(observation, active)
        snapshot.ruleValues = alerts?.ruleValues() ?? []
        do {
            let result = try await write(snapshot)
            instruments?.recordSuccess(result, seconds: (ContinuousClock.now - start).seconds)
            status.recordSuccess(file: result.file.name, at: Date())
            for error in result.retentionErrors {
                logger.warning("snapshot retention failed", metadata: ["error": "\(error)"])
            }
            if case .dropped = writtenContinuation.yield(result.snapshot) {
                logger.warning("snapshot listeners are behind: the oldest waiting snapshot was not shown")
            }
            return result
        } catch {
            instruments?.recordFailure(seconds: (ContinuousClock.now - start).seconds)
            let failures = status.recordFailure("\(error)")
            // Logged once when writing starts failing, then every 20th failure.
            if failures == 1 || failures % 20 == 0 {
                logger.error("snapshot write failed", metadata: ["error": "\(error)", "failures_in_a_row": "\(failures)"])
            }
            throw error
        }
    }

    private func write(_ snapshot: Snapshot) async throws -> SnapshotWriteResult {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [writer] in
                continuation.resume(with: Result { try writer.write(snapshot) })
            }
        }
    }
}

/// The snapshot writer's metrics.
struct SnapshotInstruments: Sendable {
    let writes: Counter
    let errors: Counter
    let duration: Summary
    let lastSuccess: Gauge
    let archiveFiles: Gauge
    let archiveBytes: Gauge

    init(registry: MetricsRegistry) throws {
        writes = try registry.registerCounter(KVMetrics.snapshotWritesTotal).labels()
        errors = try registry.registerCounter(KVMetrics.snapshotErrorsTotal).labels()
        duration = try registry.registerSummary(KVMetrics.snapshotDurationSeconds).labels()
        lastSuccess = try registry.registerGauge(KVMetrics.snapshotLastSuccessTimestampSeconds).labels()
        archiveFiles = try registry.registerGauge(KVMetrics.snapshotArchiveFiles).labels()
        archiveBytes = try registry.registerGauge(KVMetrics.snapshotArchiveBytes).labels()
    }

    func recordSuccess(_ result: SnapshotWriteResult, seconds: Double) {
        writes.increment()
        duration.observe(seconds)
        lastSuccess.set(Date().timeIntervalSince1970)
        archiveFiles.set(result.archiveFiles)
        archiveBytes.set(result.archiveBytes)
    }

    func recordFailure(seconds: Double) {
        errors.increment()
        duration.observe(seconds)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
