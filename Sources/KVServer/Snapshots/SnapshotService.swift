import Foundation
import KVMonitoring
import KVSnapshot
import Logging
import ServiceLifecycle
import Synchronization

/// Takes a snapshot every `snapshots.interval_seconds`, and on demand (`POST /api/v1/snapshots`).
///
/// The file is written on a serial queue of its own, never on the request path; a failed write
/// is counted, logged and shown in health, and never stops the KV service.
final class SnapshotService: Service, Sendable {
    /// Called after each successful write with the snapshot as written (sequence assigned).
    typealias Listener = @Sendable (Snapshot) async -> Void

    let interval: Duration
    private let writer: SnapshotWriter
    private let build: @Sendable (Date) -> Snapshot
    private let instruments: SnapshotInstruments?
    private let logger: Logger
    let status: SnapshotStatus
    private let listeners = Mutex<[Listener]>([])
    private let queue = DispatchQueue(label: "kvstore.snapshot-writer")

    init(writer: SnapshotWriter, interval: Duration, status: SnapshotStatus, instruments: SnapshotInstruments?, logger: Logger,
         build: @escaping @Sendable (Date) -> Snapshot) {
        self.writer = writer
        self.status = status
        self.interval = interval
        self.instruments = instruments
        self.logger = logger
        self.build = build
    }

    func addListener(_ listener: @escaping Listener) {
        listeners.withLock { $0.append(listener) }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: self.interval) } catch { return }
                _ = try? await self.takeSnapshot()
            }
        }
    }

    /// Builds and writes one snapshot now; throws (after counting it) when the write fails.
    @discardableResult
    func takeSnapshot() async throws -> SnapshotWriteResult {
        let start = ContinuousClock.now
        let snapshot = build(Date())
        do {
            let result = try await write(snapshot)
            let seconds = (ContinuousClock.now - start).seconds
            instruments?.recordSuccess(result, seconds: seconds)
            status.recordSuccess(file: result.file.name, at: Date())
            for error in result.retentionErrors {
                logger.warning("snapshot retention failed", metadata: ["error": "\(error)"])
            }
            for listener in listeners.withLock({ $0 }) { await listener(result.snapshot) }
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
