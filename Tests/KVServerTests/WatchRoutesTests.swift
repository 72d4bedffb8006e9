import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVConfiguration
import KVStorage
import Testing
import KVTestSupport
@testable import KVServer

@Suite struct WatchRoutesTests {
    func put(_ client: some TestClientProtocol, _ key: String, _ value: String) async throws {
        try await client.execute(uri: "/api/v1/kv/\(key)", method: .put, body: ByteBuffer(string: value)) { #expect($0.status.code < 300) }
    }

    func watch(_ client: some TestClientProtocol, _ query: String) async throws -> (status: Int, body: [String: Any]) {
        try await client.execute(uri: "/api/v1/watch?\(query)", method: .get) { ($0.status.code, try json($0.body)) }
    }

    /// `watch` as text, for a poll run in its own task (a result must be Sendable).
    func watchText(_ client: some TestClientProtocol, _ query: String) async throws -> (status: Int, body: String) {
        try await client.execute(uri: "/api/v1/watch?\(query)", method: .get) { ($0.status.code, $0.body.string) }
    }

    func parsed(_ text: String) throws -> [String: Any] {
        try json(ByteBuffer(string: text))
    }

    func events(_ body: [String: Any]) -> [[String: Any]] { body["events"] as? [[String: Any]] ?? [] }

    @Test func aPollAnswersAtOnceWithTheChangesAfterItsRevision() async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await parts.application.test(.router) { client in
            try await put(client, "app.a", "one")
            try await put(client, "other", "x")
            try await client.execute(uri: "/api/v1/kv/app.a", method: .delete) { #expect($0.status == .noContent) }
            let answer = try await watch(client, "prefix=app.&after=0")
            #expect(answer.status == 200)
            #expect(answer.body["revision"] as? Int == 3)
            let got = events(answer.body)
            #expect(got.map { $0["key"] as? String } == ["app.a", "app.a"])
            #expect(got.map { $0["type"] as? String } == ["put", "delete"])
            #expect(got.map { $0["mod_revision"] as? Int } == [1, 3])
            #expect(got[0]["value"] as? String == Data("one".utf8).base64EncodedString())
            #expect(got[1]["value"] == nil)
            let withoutValues = try await watch(client, "prefix=app.&after=0&values=false")
            #expect(events(withoutValues.body).allSatisfy { $0["value"] == nil })
            // Nothing after the current revision: the timeout answers empty, with the revision to pass next.
            let none = try await watch(client, "after=3&timeout=0")
            #expect(none.status == 200 && events(none.body).isEmpty && none.body["revision"] as? Int == 3)
        }
    }

    @Test func aPollWaitsForTheNextChangeUnderItsPrefix() async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await parts.application.test(.router) { client in
            let poll = Task { try await watchText(client, "prefix=b&timeout=60s") }
            #expect(await eventually { parts.routes.watch.watchers == 1 })
            try await put(client, "a", "not watched")
            try await put(client, "b", "watched")
            let answer = try parsed(try await poll.value.body)
            #expect(events(answer).map { $0["key"] as? String } == ["b"])
            #expect(answer["revision"] as? Int == 2)
            #expect(parts.routes.watch.watchers == 0)
            let scrape = try await client.execute(uri: "/api/v1/metrics", method: .get) { $0.body.string }
            #expect(scrape.contains("kvstore_watch_events_total{delivery=\"poll\"} 1"))
            #expect(scrape.contains("kvstore_watchers 0"))
        }
    }

    @Test(arguments: [
        ("timeout=soon", "invalid_timeout"), ("timeout=301", "invalid_timeout"), ("timeout=-1", "invalid_timeout"),
        ("after=-1", "invalid_revision"), ("after=x", "invalid_revision"), ("values=maybe", "invalid_values"),
    ])
    func badParametersAre400(query: String, code: String) async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await parts.application.test(.router) { client in
            let answer = try await watch(client, query)
            #expect(answer.status == 400)
            #expect((answer.body["error"] as? [String: Any])?["code"] as? String == code)
        }
    }

    @Test func aRevisionOlderThanTheHistoryIs410WithTheOldestAvailable() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.kv.watchHistory = 2 }
        let parts = try buildServer(configuration: configuration, logger: testLogger())
        try await parts.application.test(.router) { client in
            for index in 1...4 { try await put(client, "k\(index)", "v") }
            let answer = try await watch(client, "after=1")
            #expect(answer.status == 410)
            #expect((answer.body["error"] as? [String: Any])?["code"] as? String == "compacted")
            #expect(answer.body["compact_revision"] as? Int == 2)
            #expect(answer.body["oldest_revision"] as? Int == 3)
            #expect(events(try await watch(client, "after=2").body).map { $0["mod_revision"] as? Int } == [3, 4])
        }
    }

    @Test func watchersBeyondTheCapAre503() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.kv.maxWatchers = 1 }
        let parts = try buildServer(configuration: configuration, logger: testLogger())
        try await parts.application.test(.router) { client in
            let poll = Task { try await watchText(client, "timeout=60s") }
            #expect(await eventually { parts.routes.watch.watchers == 1 })
            let refused = try await watch(client, "timeout=60s")
            #expect(refused.status == 503)
            #expect((refused.body["error"] as? [String: Any])?["code"] as? String == "too_many_watchers")
            try await put(client, "wake", "up")
            #expect(try await poll.value.status == 200)
        }
    }

    @Test func aWatchSeesTheSweeperDeleteAnExpiredKey() async throws {
        let folder = TemporaryFolder()
        let clock = ManualClock()
        let date = ManualDate()
        let configuration = testConfiguration(folder: folder) {
            $0.kv.sweepIntervalSeconds = 1
            $0.snapshots.enabled = false
        }
        let parts = try buildServer(configuration: configuration, logger: testLogger(), clock: clock, now: date.now)
        try await parts.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/session?ttl=5s", method: .put, body: ByteBuffer(string: "v")) { #expect($0.status == .created) }
            let poll = Task { try await watchText(client, "after=1&timeout=60s") }
            #expect(await eventually { parts.routes.watch.watchers == 1 })
            date.advance(by: 5)
            #expect(await eventually { clock.sleepers > 0 })
            clock.advance(by: .seconds(1))
            let answer = try parsed(try await poll.value.body)
            let got = events(answer)
            #expect(got.count == 1)
            #expect(got.first?["key"] as? String == "session")
            #expect(got.first?["type"] as? String == "delete")
            #expect(got.first?["reason"] as? String == "expired")
            #expect(got.first?["mod_revision"] as? Int == 2)
        }
    }

    @Test func expiredDeletionsSayWhy() {
        let record = KeyRecord(value: [1, 2], createRevision: 4, modRevision: 5, version: 2, expiresAt: nil)
        let put = WatchEvent(StorageChange(key: "k", kind: .put, record: record, modRevision: 5, reason: .write))
        let expired = WatchEvent(StorageChange(key: "k", kind: .delete, record: nil, modRevision: 6, reason: .expired))
        #expect(WatchRoutes.json(put, withValues: true) as NSDictionary == ["key": "k", "type": "put", "mod_revision": 5, "value": "AQI="])
        #expect(WatchRoutes.json(expired, withValues: true) as NSDictionary == ["key": "k", "type": "delete", "mod_revision": 6, "reason": "expired"])
    }

    @Test func anEventStreamSendsTheBacklogThenLiveChanges() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await put(client, "a", "one")
            let connection = try RawConnection(port: port)
            connection.send(Array("GET /api/v1/watch?after=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8))
            let opening = await onThread { connection.read(until: "\"key\":\"a\"", timeout: 30) }
            #expect(opening.hasPrefix("HTTP/1.1 200 "))
            #expect(opening.lowercased().contains("content-type: text/event-stream"))
            #expect(opening.contains("id: 1\nevent: put\ndata: {\"key\":\"a\",\"mod_revision\":1,\"type\":\"put\",\"value\":\"b25l\"}\n\n"))
            try await put(client, "b", "two")
            let live = await onThread { connection.read(until: "\"key\":\"b\"", timeout: 30) }
            #expect(live.contains("id: 2\nevent: put\ndata: {\"key\":\"b\",\"mod_revision\":2,\"type\":\"put\",\"value\":\"dHdv\"}\n\n"))
        }
    }
}
