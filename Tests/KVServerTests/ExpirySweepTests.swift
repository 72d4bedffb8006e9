import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVStorage
import Logging
import Synchronization
import Testing
import KVTestSupport
@testable import KVServer

/// A wall clock that only moves when the test moves it (the store's `now`).
final class ManualDate: Sendable {
    private let date: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { date = Mutex(start) }
    var now: @Sendable () -> Date { { self.date.withLock { $0 } } }
    func advance(by seconds: Double) { date.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// `?ttl=` end to end: expired keys are absent to reads at once, and the sweeper (on the injected
/// clock) deletes them in bounded batches, counted in `kvstore_storage_expired_keys_total`.
@Suite struct ExpirySweepTests {
    @Test(arguments: [false, true])
    func anExpiredKeyIsGoneBeforeTheSweepAndTheSweeperDeletesIt(memory: Bool) async throws {
        let folder = TemporaryFolder()
        let clock = ManualClock()
        let date = ManualDate()
        let configuration = testConfiguration(folder: folder) {
            $0.kv.sweepIntervalSeconds = 1
            $0.snapshots.enabled = false
            if memory { $0.storage.engine = .memory }
        }
        let parts = try buildServer(configuration: configuration, logger: testLogger(), clock: clock, now: date.now)
        let store = parts.store
        try await parts.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/short?ttl=5s", method: .put, body: ByteBuffer(string: "v")) { response in
                #expect(response.status == .created)
                #expect((try? json(response.body))?["expires_at"] as? String == "2027-01-15T08:00:05.000Z")
            }
            try await client.execute(uri: "/api/v1/kv/long?ttl=1h", method: .put, body: ByteBuffer(string: "v"))
            try await client.execute(uri: "/api/v1/kv/short", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.kvExpiresAt] == "2027-01-15T08:00:05.000Z")
            }
            // Past its expiry: absent to every read, though still stored (nothing swept yet).
            date.advance(by: 5)
            try await client.execute(uri: "/api/v1/kv/short", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/kv/short", method: .put, headers: [.ifMatch: "\"1\""], body: ByteBuffer(string: "w")) {
                #expect($0.status == .preconditionFailed)
            }
            try await client.execute(uri: "/api/v1/kv/short", method: .delete) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/kv", method: .get) { response in
                #expect(((try? json(response.body))?["keys"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["long"])
            }
            #expect(try store.statistics().entries == 2)
            #expect(try store.statistics().expiredKeysRemoved == 0)

            // One sweep interval: the sweeper deletes it, in its own revision.
            #expect(await eventually { clock.sleepers > 0 })
            clock.advance(by: .seconds(1))
            #expect(await eventually { (try? store.statistics().entries) == 1 })
            #expect(try await store.currentRevision() == 3)
            #expect(try await store.record(forKey: "long") != nil)
            let samples = try await client.execute(uri: "/api/v1/metrics", method: .get) { parseExposition($0.body.string) }
            #expect(samples["kvstore_storage_expired_keys_total"] == 1)
        }
    }

    @Test func aSweepThatFillsItsBatchRunsAgainAtOnce() async throws {
        let date = ManualDate()
        let store = InMemoryStore(now: date.now)
        for index in 0..<25 {
            _ = try await store.setValue([1], forKey: "k\(index)", expiresAt: date.now().addingTimeInterval(1))
        }
        date.advance(by: 2)
        let service = ExpirySweepService(store: store, interval: .seconds(1), batch: 10, clock: ManualClock(), logger: testLogger())
        #expect(await service.sweep(failing: false) == false)
        #expect(try store.statistics().expiredKeysRemoved == 25)
        #expect(try await store.currentRevision() == 25 + 3)   // three sweeps: 10, 10, 5
    }

    @Test func aFailingSweepIsLoggedOnce() async throws {
        let store = InMemoryStore()
        await store.close()
        let lines = CapturedLines()
        let service = ExpirySweepService(
            store: store, interval: .seconds(1), batch: 10, clock: ManualClock(), logger: testLogger(level: .info, capture: lines))
        var failing = false
        for _ in 0..<3 { failing = await service.sweep(failing: failing) }
        #expect(failing)
        #expect(lines.all.filter { $0.contains("expiry sweep failed") }.count == 1)
    }

    @Test func aTTLSurvivesARestart() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder)
        let expires = try await buildApplication(configuration: configuration, logger: testLogger()).test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/k?ttl=1h", method: .put, body: ByteBuffer(string: "v")) { response in
                try json(response.body)["expires_at"] as? String
            }
        }
        try await buildApplication(configuration: configuration, logger: testLogger()).test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/k", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.kvExpiresAt] == expires)
                #expect(expires != nil)
            }
        }
    }
}
