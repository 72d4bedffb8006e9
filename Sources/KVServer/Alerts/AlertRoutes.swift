import Foundation
import HTTPTypes
import Hummingbird
import KVMonitoring
import KVSnapshot

/// `GET /api/v1/alerts`: the pending and firing alerts, as in snapshots.
struct AlertRoutes: RouteGroup {
    static var routes: [Route<Self>] { RouteTable.alerts }
    let engine: AlertEngine?

    struct Body: Encodable {
        let enabled: Bool
        let alerts: [AlertSnapshot]
    }

    func list() throws -> Response {
        try JSONBody.response(status: .ok, encoding: Body(enabled: engine != nil, alerts: engine?.activeAlerts() ?? []))
    }
}
