import Foundation
import HTTPTypes
import Hummingbird
import KVMonitoring
import KVSnapshot

/// `GET /api/v1/alerts`: the pending and firing alerts, as in snapshots.
struct AlertRoutes: Sendable {
    static let templates = ["/api/v1/alerts"]
    let engine: AlertEngine?

    func register(on router: Router<KVRequestContext>) {
        router.get("/api/v1/alerts") { _, _ in try self.list() }
    }

    struct Body: Encodable {
        let enabled: Bool
        let alerts: [AlertSnapshot]
    }

    func list() throws -> Response {
        try JSONBody.response(status: .ok, encoding: Body(enabled: engine != nil, alerts: engine?.activeAlerts() ?? []))
    }
}
