import HTTPTypes
import Hummingbird
import Logging

/// Logs each request at debug level, and requests slower than the threshold at warning
/// level when performance logging is on.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = KVRequestContext
    let slowRequestSeconds: Double
    let performanceLog: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let slow = performanceLog && seconds >= slowRequestSeconds
        if slow || context.logger.logLevel <= .debug {
            let metadata: Logger.Metadata = [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.3f", seconds * 1000)),
            ]
            if slow {
                context.logger.warning("slow request", metadata: metadata)
            } else {
                context.logger.debug("request", metadata: metadata)
            }
        }
        return response
    }
}
