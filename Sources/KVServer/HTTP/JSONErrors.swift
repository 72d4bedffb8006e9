import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1

/// Turns every error that escapes a route, the framework's own included, into a JSON error body
/// (a stage of ``RequestLifecycleMiddleware``).
enum JSONErrors {
    static func response(for error: any Error, _ request: Request, _ context: KVRequestContext) throws -> Response {
        switch error {
        case let error as APIError:
            return try error.response(from: request, context: context)
        case let error as HTTPError:
            let apiError = Self.translate(error)
            var response = try apiError.response(from: request, context: context)
            for field in error.headers where field.name != .contentType { response.headers.append(field) }
            return response
        case let error as HTTPParserError:
            // The request stream broke off (a client went away, or the request deadline closed a
            // trickling connection): the client's doing, not a server error.
            context.logger.info("request did not arrive completely", metadata: ["error": "\(error)"])
            return try APIError(.badRequest, code: "incomplete_request", message: "the request did not arrive completely")
                .response(from: request, context: context)
        default:
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return try APIError(.internalServerError, code: "internal_error", message: "internal error; see the server log for request \(context.requestID)")
                .response(from: request, context: context)
        }
    }

    static func translate(_ error: HTTPError) -> APIError {
        let code: String
        switch error.status {
        case .notFound: code = "not_found"
        case .methodNotAllowed: code = "method_not_allowed"
        case .contentTooLarge: code = "value_too_large"
        case .badRequest: code = "bad_request"
        default: code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
        }
        let message = error.body ?? (error.status == .notFound ? "no route for this path" : error.status.reasonPhrase)
        return APIError(error.status, code: code, message: message)
    }
}
