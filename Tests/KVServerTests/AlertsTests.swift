import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVConfiguration
import Synchronization
import Testing
import KVTestSupport
@testable import KVServer

/// What a local webhook receiver got, and whether its `/upstream` route answers 200.
final class Receiver: Sendable {
    private let received = Mutex<[Data]>([])
    let upstreamHealthy = Atomic<Bool>(false)
    /// The webhook bodies received so far, decoded.
    var bodies: [[String: Any]] {
        received.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }
    var statuses: [String] { bodies.compactMap { $0["status"] as? String } }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let data = Data(buffer.readableBytesView)
            self.received.withLock { $0.append(data) }
            return .ok
        }
        router.get("/upstream") { _, _ -> HTTPResponse.Status in
            self.upstreamHealthy.load(ordering: .relaxed) ? .ok : .serviceUnavailable
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

@Suite struct AlertsTests {
    @Test func webhookReceivesFiringThenResolved() async throws {
        let receiver = Receiver()
        try await receiver.application().test(.live) { receiverClient in
            let port = try #require(receiverClient.port)
            let folder = TemporaryFolder()
            let configuration = testConfiguration(folder: folder) {
                $0.health.intervalSeconds = 0.1
                $0.health.failureThreshold = 1
                $0.health.dependencies = [.init(name: "upstream", url: "http://127.0.0.1:\(port)/upstream", critical: true, timeoutSeconds: 1)]
                $0.snapshots.intervalSeconds = 0.1
                $0.alerts.rules = [.init(name: "UpstreamDown", kind: .criticalCheck, severity: "critical", forSeconds: 0,
                                         summary: "a critical check is failing", description: "upstream is down")]
                $0.alerts.webhooks = [.init(url: "http://127.0.0.1:\(port)/hook", timeoutSeconds: 1, maxRetries: 2)]
            }
            let parts = try buildServer(configuration: configuration, logger: testLogger())
            // Every check has a result before the first alert tick: a check still without one
            // (storage's first durable probe) would count as failing too.
            await parts.monitor.runAllOnce()
            try await parts.application.test(.router) { client in
                #expect(await eventually { receiver.statuses.contains("firing") })
                try await client.execute(uri: "/api/v1/alerts", method: .get) { response in
                    let alerts = try json(response.body)["alerts"] as? [[String: Any]] ?? []
                    #expect(alerts.first?["name"] as? String == "UpstreamDown")
                    #expect(alerts.first?["state"] as? String == "firing")
                    #expect((alerts.first?["labels"] as? [String: String])?["check"] == "upstream")
                }
                receiver.upstreamHealthy.store(true, ordering: .relaxed)
                #expect(await eventually { receiver.statuses.contains("resolved") })
                try await client.execute(uri: "/api/v1/alerts", method: .get) { response in
                    let alerts = try json(response.body)["alerts"] as? [Any]
                    #expect(alerts?.isEmpty == true)
                }
            }
            let firing = try #require(receiver.bodies.first { $0["status"] as? String == "firing" })
            #expect(firing["version"] as? String == "4")
            #expect(firing["receiver"] as? String == "kvstore")
            let alert = (firing["alerts"] as? [[String: Any]])?.first ?? [:]
            #expect((alert["labels"] as? [String: String])?["alertname"] == "UpstreamDown")
            #expect((alert["labels"] as? [String: String])?["severity"] == "critical")
            #expect((alert["annotations"] as? [String: String])?["summary"] == "a critical check is failing")
            #expect(alert["endsAt"] as? String == "0001-01-01T00:00:00Z")
            let resolved = try #require(receiver.bodies.first { $0["status"] as? String == "resolved" })
            let resolvedAlert = (resolved["alerts"] as? [[String: Any]])?.first ?? [:]
            #expect(resolvedAlert["fingerprint"] as? String == alert["fingerprint"] as? String)
        }
    }
}

