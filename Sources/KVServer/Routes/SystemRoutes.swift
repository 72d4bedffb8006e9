import Foundation
import HTTPTypes
import Hummingbird
import KVStorage

/// `/health` (cheap liveness), `/api/v1/stats` (storage statistics) and `/api/v1/ping` (a no-op).
struct SystemRoutes: RouteGroup {
    static var routes: [Route<Self>] { RouteTable.system }
    let store: any KeyValueStore
    let version: String
    let startedAt: ContinuousClock.Instant

    func ping() -> Response {
        Response(status: .ok, headers: ContentType.plainTextFields, body: .init(byteBuffer: ByteBuffer(string: "pong\n")))
    }

    var uptimeSeconds: Double {
        let elapsed = ContinuousClock.now - startedAt
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    func health() throws -> Response {
        // Hand-written: the cheapest possible liveness answer.
        let uptime = (uptimeSeconds * 1000).rounded() / 1000
        let body = "{\"status\":\"healthy\",\"uptime_seconds\":\(uptime),\"version\":\"\(version)\"}\n"
        return Response(status: .ok, headers: ContentType.jsonFields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    func stats() throws -> Response {
        do {
            return try JSONBody.response(status: .ok, encoding: try store.statistics())
        } catch let error as StorageError {
            throw APIError(error)
        }
    }
}
