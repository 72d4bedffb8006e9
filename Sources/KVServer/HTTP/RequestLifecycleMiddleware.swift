import HTTPTypes
import Hummingbird

/// What every request passes through first, in one pass: its identity (``RequestIdentity``), its
/// metrics (``HTTPMetricsRecorder``), its log line (``RequestLog``), a JSON body for any error
/// (``JSONErrors``), and the headers every answer carries (``SecurityHeaders``).
///
/// One middleware rather than five: each layer of Hummingbird's chain is an async call with its
/// own frame and a copy of the context, about 2,000 instructions a request
/// (`scripts/bench/callgrind.sh`). Each stage still does one job, in its own type.
///
/// Outermost; the access rules (``AccessControlMiddleware``) come after it, so that their refusals
/// are counted, logged and echoed like any other answer.
struct RequestLifecycleMiddleware: RouterMiddleware {
    typealias Context = KVRequestContext
    let identity: RequestIdentity
    /// Nil when metrics are off.
    let metrics: HTTPMetricsRecorder?
    /// Nil when nothing would be logged (a level above debug and no performance log).
    let log: RequestLog?
    let headers: SecurityHeaders

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        identity.assign(request, to: &context)
        let timed = metrics != nil || log != nil
        let start = timed ? ContinuousClock.now : nil
        metrics?.requestStarted()
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            do {
                response = try JSONErrors.response(for: error, request, context)
            } catch {
                // The error body itself could not be made: counted as a 500, then the framework answers.
                metrics?.requestFinished(request, context, code: 500, seconds: Self.seconds(since: start), responseBytes: 0)
                throw error
            }
        }
        if timed {
            let seconds = Self.seconds(since: start)
            metrics?.requestFinished(request, context, code: response.status.code, seconds: seconds, responseBytes: response.body.contentLength ?? 0)
            log?.log(request, response, seconds: seconds, context: context)
        }
        RequestIdentity.echo(context, into: &response.headers)
        headers.decorate(&response.headers, for: request)
        return response
    }

    private static func seconds(since start: ContinuousClock.Instant?) -> Double {
        guard let start else { return 0 }
        return (ContinuousClock.now - start).seconds
    }
}
