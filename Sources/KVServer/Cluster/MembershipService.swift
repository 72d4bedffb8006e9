import AsyncAlgorithms
import Foundation
import KVStorage
import Logging
import ServiceLifecycle

/// Writes this node's heartbeat row into the shared store every `cluster.heartbeat_interval_seconds`
/// (overall health included), reads everyone's rows to set `kvstore_cluster_members` and to keep them
/// for the snapshots (``ClusterView/lastRead``: a snapshot never waits for the database), and marks the
/// row `left` at a graceful shutdown. Listed before the HTTP server, so it stops after it; a failed
/// heartbeat (the database away) is logged once and tried again next interval.
struct MembershipService<C: Clock>: Service where C.Duration == Duration {
    let view: ClusterView
    let registry: any MemberRegistry
    let clock: C
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var failing = false
            await beat(&failing)
            for await _ in AsyncTimerSequence(interval: .milliseconds(Int64(view.interval * 1000)), clock: clock) {
                await beat(&failing)
            }
        }
        do {
            try await registry.heartbeat(view.ownRow(state: .left))
        } catch {
            logger.warning("kvstore cluster: could not record this node as left", metadata: ["reason": "\(error.message)"])
        }
    }

    private func beat(_ failing: inout Bool) async {
        do {
            try await registry.heartbeat(view.ownRow())
            view.record(try await view.members())
            if failing { logger.info("kvstore cluster heartbeat resumed") }
            failing = false
        } catch {
            if !failing { logger.warning("kvstore cluster heartbeat failed", metadata: ["reason": "\(error.message)"]) }
            failing = true
        }
    }
}
