import Foundation
import KVMonitoring
import KVSnapshot
import KVStorage

/// The storage checks. `storage` (readiness) writes, reads back and deletes a private record in
/// one durable commit (outside the user key space), and reports the time it took, the size, the
/// entries and how full the store is against the quota. `storage_read` (liveness) only opens a
/// read transaction: a write burst, a full disk or a read-only store must not get a server that
/// still serves reads restarted.
enum StorageHealthCheck {
    /// Above this share of the quota, storage is degraded.
    static let nearQuotaRatio = 0.9

    static func make(store: any KeyValueStore, interval: Duration, timeout: Duration) -> ClosureHealthCheck {
        ClosureHealthCheck(name: "storage", kind: "storage", critical: true, includedInLiveness: false, interval: interval, timeout: timeout) {
            await run(store: store)
        }
    }

    static func makeRead(store: any KeyValueStore, interval: Duration, timeout: Duration) -> ClosureHealthCheck {
        ClosureHealthCheck(name: "storage_read", kind: "storage", critical: true, includedInLiveness: true, interval: interval, timeout: timeout) {
            do {
                try store.readProbe()
                return .pass("a read transaction works")
            } catch {
                return .fail("storage read failed: \(error)")
            }
        }
    }

    static func run(store: any KeyValueStore) async -> HealthCheckOutcome {
        let start = ContinuousClock.now
        do {
            try await store.probe()
            let elapsed = (ContinuousClock.now - start).seconds * 1000
            let stats = try store.statistics()
            let usage = stats.quotaBytes > 0 ? Double(stats.bytesInUse) / Double(stats.quotaBytes) : 0
            let details: [String: HealthDetailValue] = [
                "operation_time_ms": .number((elapsed * 1000).rounded() / 1000),
                "total_size": .number(Double(stats.bytesOnDisk)),
                "entries": .number(Double(stats.entries)),
                "bytes_in_use": .number(Double(stats.bytesInUse)),
                "quota_bytes": .number(Double(stats.quotaBytes)),
                "quota_usage_ratio": .number((usage * 10000).rounded() / 10000),
                "engine": .string(stats.engine),
            ]
            if usage >= nearQuotaRatio {
                return .warn("storage is at \(Int(usage * 100))% of its quota", details: details)
            }
            return .pass("Storage is operational", details: details)
        } catch where error.code == .quotaExceeded {
            return .warn("storage is at its quota: writes are refused", details: ["error": .string(error.description)])
        } catch {
            return .fail("storage write/read/delete failed: \(error)")
        }
    }
}
