import Foundation
import HTTPTypes
import Hummingbird
import KVMonitoring

/// `/livez`, `/readyz` (Kubernetes style) and `/api/v1/health` (the full report). All read the
/// monitor's cached results and never wait on a check.
struct HealthRoutes: RouteGroup {
    static var routes: [Route<Self>] { RouteTable.health }
    let monitor: HealthMonitor

    func probe(_ probe: HealthProbe, _ request: Request) -> Response {
        let query = request.uri.queryParameters
        let verbose = query["verbose"] != nil
        let excluded = Set(query.getAll("exclude"))
        let (ok, body) = HealthRenderer.probeText(
            probe: probe, checks: monitor.checkReports(for: probe), verbose: verbose, excluded: excluded)
        return Response(
            status: ok ? .ok : .serviceUnavailable,
            headers: [
                .contentType: HealthRenderer.probeContentType,
                .cacheControl: HealthRenderer.cacheControl(maxAgeSeconds: monitor.secondsUntilNextRun(now: Date(), probe: probe)),
            ],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    func report(_ request: Request) -> Response {
        let now = Date()
        let report = monitor.report(now: now)
        let ietf = request.headers[.accept]?.contains("application/health+json") == true
        let body = ietf ? HealthRenderer.ietfJSON(report) : HealthRenderer.seedJSON(report)
        return Response(
            status: .init(code: HealthRenderer.httpStatus(for: report.status)),
            headers: [
                .contentType: ietf ? HealthRenderer.ietfContentType : HealthRenderer.jsonContentType,
                .cacheControl: HealthRenderer.cacheControl(maxAgeSeconds: monitor.secondsUntilNextRun(now: now)),
            ],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
