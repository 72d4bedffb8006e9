import AsyncAlgorithms
import KVStorage
import Logging
import ServiceLifecycle

/// Deletes expired keys: every `kv.expiry.sweep_interval_seconds` of `clock`, one
/// `removeExpired(limit: kv.expiry.sweep_batch)` (one commit, one revision, each key reported as
/// an `expired` delete), again at once while a sweep fills its batch, at most
/// `maxSweepsPerTick` times a tick. Reads never return an expired key anyway; the sweeper frees
/// the space and tells watchers. The count is `kvstore_storage_expired_keys_total` (from the
/// store's statistics). A failing sweep (a read-only store) is logged once, and its recovery once.
struct ExpirySweepService<C: Clock>: Service where C.Duration == Duration {
    let store: any KeyValueStore
    let interval: Duration
    let batch: Int
    let clock: C
    let logger: Logger

    /// Bounds one tick's work: at most this many full batches before the next tick.
    static var maxSweepsPerTick: Int { 64 }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var failing = false
            for await _ in AsyncTimerSequence(interval: interval, clock: clock) {
                failing = await sweep(failing: failing)
            }
        }
    }

    /// One tick's sweeps; returns whether the last one failed (`failing`: whether the tick before did).
    func sweep(failing: Bool) async -> Bool {
        var failing = failing
        for _ in 0..<Self.maxSweepsPerTick {
            let removed: Int
            do {
                removed = try await store.removeExpired(limit: batch)
            } catch {
                if !failing, !Task.isCancelled {
                    logger.error("expiry sweep failed; expired keys stay stored (never read) until it succeeds", metadata: ["error": "\(error)"])
                }
                return true
            }
            if failing {
                logger.info("expiry sweep succeeded again")
                failing = false
            }
            if removed < batch { break }
        }
        return false
    }
}
