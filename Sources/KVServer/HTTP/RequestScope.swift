import Logging

/// The request a task is serving, as a task-local: its log lines take `request_id` and `trace_id`
/// from here (``metadataProvider``, which ``LogLineHandler`` uses), so the request's logger is not
/// copied to carry them, and they are written out only when a line is.
///
/// ``RequestLifecycleMiddleware`` runs each request in its scope; child tasks inherit it.
struct RequestScope: Sendable {
    @TaskLocal static var current: RequestScope?

    let requestID: String
    let trace: TraceContext?

    /// `request_id` and `trace_id` of the current request, when a task serves one.
    static let metadataProvider = Logger.MetadataProvider {
        guard let scope = current else { return [:] }
        var metadata: Logger.Metadata = ["request_id": .string(scope.requestID)]
        if let trace = scope.trace { metadata["trace_id"] = trace.logMetadata }
        return metadata
    }
}
