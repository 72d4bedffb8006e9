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
    static let methods = ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"]
    static let unmatched = "unmatched"

    private let families: HTTPFamilies
    /// route template → method index → instruments; immutable after init.
    private let table: [String: [RouteInstruments]]

    init(families: HTTPFamilies, routeTemplates: [String]) {
        self.families = families
        var table: [String: [RouteInstruments]] = [:]
        for route in routeTemplates + [Self.unmatched] {
            table[route] = (Self.methods + ["_OTHER"]).map { RouteInstruments(route: route, method: $0, families: families) }
        }
        self.table = table
    }

    func requestStarted() { families.inFlight.increment() }

    /// Counts a request that ``requestStarted()`` counted in flight as answered with `code`.
    func requestFinished(_ request: Request, _ context: KVRequestContext, code: Int, seconds: Double, responseBytes: Int) {
        families.inFlight.decrement()
        let requestBytes = request.headers.declaredContentLength ?? 0
        instruments(route: context.endpointPath, method: request.method)
            .record(code: code, seconds: seconds, requestBytes: requestBytes, responseBytes: responseBytes)
    }

    private func instruments(route: String?, method: HTTPRequest.Method) -> RouteInstruments {
        let row = route.flatMap { table[$0] } ?? table[Self.unmatched]!
        return row[Self.methodIndex(method)]
    }

    static func methodIndex(_ method: HTTPRequest.Method) -> Int {
        switch method {
        case .get: 0
        case .head: 1
        case .put: 2
        case .post: 3
        case .delete: 4
        case .patch: 5
        case .options: 6
        default: 7
        }
    }
}
