import Foundation
import HTTPTypes
import Hummingbird
import KVStorage

/// An error answered as JSON: `{"error": {"code": ..., "message": ...}}`, plus, for some
/// errors, fields beside `error` (`extraFields`, already JSON).
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    var headers: HTTPFields = [:]
    /// Members written after `error` in the body's object, as JSON text starting with a comma
    /// (`,"exists":false`); empty for most errors.
    var extraFields = ""

    init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = ContentType.json.value
        let body = "{\"error\":{\"code\":\"\(code)\",\"message\":\"\(JSONString.escaped(message))\"}\(extraFields)}\n"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code: code, message: message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not_found", message: message) }

    /// `412 precondition_failed`: a condition of the request did not hold for the key as it is;
    /// the body says whether it exists and its mod revision (`null` when absent).
    static func preconditionFailed(current: KeyRecord?) -> APIError {
        var error = APIError(
            .preconditionFailed, code: "precondition_failed",
            message: current.map { "the key's mod_revision is \($0.modRevision)" } ?? "the key does not exist")
        error.extraFields = current.map { ",\"current_revision\":\($0.modRevision),\"exists\":true" } ?? ",\"current_revision\":null,\"exists\":false"
        return error
    }
}

extension APIError {
    /// The one place storage errors become HTTP statuses.
    init(_ error: StorageError) {
        switch error.code {
        case .invalidKey: self.init(.badRequest, code: error.code.rawValue, message: error.message)
        case .valueTooLarge: self.init(.contentTooLarge, code: error.code.rawValue, message: error.message)
        case .quotaExceeded: self.init(.init(code: 507, reasonPhrase: "Insufficient Storage"), code: error.code.rawValue, message: error.message)
        case .closed, .readOnly, .unavailable: self.init(.serviceUnavailable, code: error.code.rawValue, message: error.message)
        case .io: self.init(.internalServerError, code: error.code.rawValue, message: error.message)
        }
    }
}
