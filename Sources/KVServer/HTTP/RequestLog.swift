import HTTPTypes
import Hummingbird
import Logging

/// Logs each request at debug level, and requests slower than the threshold at warning
/// level when performance logging is on (a stage of ``RequestLifecycleMiddleware``).
struct RequestLog: Sendable {
    let slowRequestSeconds: Double
    let performanceLog: Bool

    func log(_ request: Request, _ response: Response, seconds: Double, context: KVRequestContext) {
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
    }
}
