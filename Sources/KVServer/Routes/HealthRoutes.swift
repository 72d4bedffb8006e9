import Foundation
import HTTPTypes
import Hummingbird
import KVMonitoring

/// `/livez`, `/readyz` (Kubernetes style) and `/api/v1/health` (the full report). All read the
/// monitor's cached results and never wait on a check; the full report is rendered once per
/// check result (`HealthReportCache`).
struct HealthRoutes: RouteGroup {
    static var routes: [Route<Self>] { RouteTable.health }
    let monitor: HealthMonitor
    let reports: HealthReportCache

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
        let ietf = request.headers[.accept]?.contains("application/health+json") == true
        let rendered = reports.rendered(ietf: ietf, now: now)
        return Response(
            status: rendered.status,
            headers: [
                .contentType: ietf ? HealthRenderer.ietfContentType : HealthRenderer.jsonContentType,
                .cacheControl: HealthRenderer.cacheControl(maxAgeSeconds: monitor.secondsUntilNextRun(now: now)),
            ],
            body: .init(byteBuffer: rendered.body))
    }
}
