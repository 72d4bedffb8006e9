import HTTPTypes
import Hummingbird

/// What every request passes through, in one pass: its identity (``RequestIdentity``), its
/// metrics (``HTTPMetricsRecorder``), its log line (``RequestLog``), a JSON body for any error
/// (``JSONErrors``), the headers every answer carries (``SecurityHeaders``), then the access rules
/// (``AccessControl``) and, on a listener with KV routes, the key path rule (``KeyPathRule``).
///
/// The router's only middleware: each layer of Hummingbird's chain is an async call with its own
/// frame and a copy of the context, about 2,000 instructions a request
/// (`scripts/bench/callgrind.sh`). Each stage still does one job, in its own type.
///
/// The access rules come after identity and metrics, so that their refusals are counted, logged
/// and echoed like any other answer. The request runs in its ``RequestScope``, which puts
/// `request_id` and `trace_id` on every line logged for it.
///
/// A class: its stages hold some forty references, which a struct's copy into the scope's
/// closure retained and released one by one (4,000 instructions a request).
final class RequestLifecycleMiddleware: RouterMiddleware, Sendable {
    typealias Context = KVRequestContext
    let identity: RequestIdentity
    /// Nil when metrics are off.
    let metrics: HTTPMetricsRecorder?
    /// Nil when nothing would be logged (a level above debug and no performance log).
    let log: RequestLog?
    let headers: SecurityHeaders
    let access: AccessControl
    /// Whether this listener serves KV routes, whose raw paths ``KeyPathRule`` checks.
    let checksKeyPaths: Bool

    init(identity: RequestIdentity, metrics: HTTPMetricsRecorder?, log: RequestLog?, headers: SecurityHeaders, access: AccessControl,
         checksKeyPaths: Bool) {
        self.identity = identity
        self.metrics = metrics
        self.log = log
        self.headers = headers
        self.access = access
        self.checksKeyPaths = checksKeyPaths
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let scope = identity.assign(request, to: &context)
        return try await RequestScope.$current.withValue(scope) {
            try await serve(request, context, next)
        }
    }

    private func serve(_ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response) async throws -> Response {
        let timed = metrics != nil || log != nil
        let start = timed ? ContinuousClock.now : nil
        metrics?.requestStarted()
        let route = MatchedRoute(template: context.endpointPath, method: request.method)
        var response: Response
        do {
            response = try await access.handle(request, context: context, route: route) { request, context in
                if checksKeyPaths, let problem = KeyPathRule.problem(rawPath: request.uri.path, route: route) {
                    throw problem
                }
                return try await next(request, context)
            }
        } catch {
            do {
                response = try JSONErrors.response(for: error, request, context)
            } catch {
                // The error body itself could not be made: counted as a 500, then the framework answers.
                metrics?.requestFinished(request, route, code: 500, seconds: Self.seconds(since: start), responseBytes: 0)
                throw error
            }
        }
        if timed {
            let seconds = Self.seconds(since: start)
            metrics?.requestFinished(request, route, code: response.status.code, seconds: seconds, responseBytes: response.body.contentLength ?? 0)
            log?.log(request, response, seconds: seconds, context: context)
        }
        // Room for what is appended below, so the fields grow once.
        response.headers.reserveCapacity(response.headers.count + SecurityHeaders.maxAdded + RequestIdentity.echoedCount)
        RequestIdentity.echo(context, into: &response.headers)
        headers.decorate(&response.headers, for: request)
        return response
    }

    private static func seconds(since start: ContinuousClock.Instant?) -> Double {
        guard let start else { return 0 }
        return (ContinuousClock.now - start).seconds
    }
}
