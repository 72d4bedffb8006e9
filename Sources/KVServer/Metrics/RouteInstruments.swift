import Atomics
import KVMonitoring

/// The HTTP series of one (route, method) pair, resolved on first use and then recorded
/// without a lock or an allocation.
final class RouteInstruments: Sendable {
    private let route: String
    private let method: String
    private let families: HTTPFamilies
    private let duration = ManagedAtomicLazyReference<Histogram>()
    private let requestSize = ManagedAtomicLazyReference<Histogram>()
    private let responseSize = ManagedAtomicLazyReference<Histogram>()
    /// Counters for the status codes this server commonly answers; others take the family's lock.
    private let commonCodeCounters: [ManagedAtomicLazyReference<Counter>]
    static let commonCodes = [200, 201, 204, 304, 400, 401, 403, 404, 405, 408, 413, 429, 500, 503, 507]

    init(route: String, method: String, families: HTTPFamilies) {
        self.route = route
        self.method = method
        self.families = families
        commonCodeCounters = Self.commonCodes.map { _ in ManagedAtomicLazyReference<Counter>() }
    }

    func record(code: Int, seconds: Double, requestBytes: Int, responseBytes: Int) {
        counter(code: code).increment()
        resolve(duration) { families.duration.labels(method, route) }.observe(seconds)
        resolve(requestSize) { families.requestSize.labels(method, route) }.observe(Double(requestBytes))
        resolve(responseSize) { families.responseSize.labels(method, route) }.observe(Double(responseBytes))
    }

    private func counter(code: Int) -> Counter {
        guard let slot = Self.slot(for: code) else {
            return families.requests.labels(method, route, String(code))
        }
        return resolve(commonCodeCounters[slot]) { families.requests.labels(method, route, String(code)) }
    }

    @inline(__always)
    private func resolve<T: AnyObject>(_ reference: ManagedAtomicLazyReference<T>, _ make: () -> T) -> T {
        reference.load() ?? reference.storeIfNilThenLoad(make())
    }

    static func slot(for code: Int) -> Int? {
        switch code {
        case 200: 0
        case 201: 1
        case 204: 2
        case 304: 3
        case 400: 4
        case 401: 5
        case 403: 6
        case 404: 7
        case 405: 8
        case 408: 9
        case 413: 10
        case 429: 11
        case 500: 12
        case 503: 13
        case 507: 14
        default: nil
        }
    }
}

/// The HTTP families, registered once.
struct HTTPFamilies: Sendable {
    let requests: CounterFamily
    let duration: HistogramFamily
    let requestSize: HistogramFamily
    let responseSize: HistogramFamily
    let inFlight: Gauge
}
