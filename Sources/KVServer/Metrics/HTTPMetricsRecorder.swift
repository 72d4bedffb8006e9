import HTTPTypes
import Hummingbird
import KVMonitoring

/// Records `kvstore_http_*` for every request: count by method, route template and status,
/// latency and sizes by method and route, and requests in flight (a stage of
/// ``RequestLifecycleMiddleware``).
///
/// The route label is the matched template (`/api/v1/kv/{key}`) or `unmatched`, never a raw
/// path, so random paths add no series. Series are found through a table built at start-up.
struct HTTPMetricsRecorder: Sendable {
    /// The `method` label of each of ``MatchedRoute``'s methods, then of any other.
    static let methodLabels = MatchedRoute.methods.map(\.rawValue) + ["_OTHER"]
    static let unmatched = "unmatched"

    private let families: HTTPFamilies
    /// By template (``MatchedRoute``'s places), then by method: the instruments of this
    /// listener's routes, nil for a template it does not serve; immutable after init.
    private let table: [[RouteInstruments]?]
    /// By method: the instruments of a request no route of this listener matched.
    private let unmatchedRow: [RouteInstruments]

    init(families: HTTPFamilies, routeTemplates: [String]) {
        self.families = families
        let served = Set(routeTemplates)
        let row = { (route: String) in Self.methodLabels.map { RouteInstruments(route: route, method: $0, families: families) } }
        table = MatchedRoute.templates.map { served.contains($0) ? row($0) : nil }
        unmatchedRow = row(Self.unmatched)
    }

    func requestStarted() { families.inFlight.increment() }

    /// Counts a request that ``requestStarted()`` counted in flight as answered with `code`.
    func requestFinished(_ request: Request, _ route: MatchedRoute, code: Int, seconds: Double, responseBytes: Int) {
        families.inFlight.decrement()
        let requestBytes = request.headers.declaredContentLength ?? 0
        let row = route.template.flatMap { table[$0] } ?? unmatchedRow
        row[route.method].record(code: code, seconds: seconds, requestBytes: requestBytes, responseBytes: responseBytes)
    }
}
