import AsyncAlgorithms
import Foundation
import HTTPTypes
import Hummingbird
import KVMonitoring
import KVSnapshot
import ServiceLifecycle

/// `GET /api/v1/watch`: the changes under a prefix after a revision, as a long poll (JSON) or, with
/// `Accept: text/event-stream`, as server-sent events until the client leaves.
struct WatchRoutes: RouteGroup {
    static var routes: [Route<Self>] { RouteTable.watch }
    /// The long poll's wait when the request names none.
    static let defaultTimeoutSeconds = 30.0
    /// How often an idle event stream sends a comment line, so a client that left is noticed.
    static let heartbeat = Duration.seconds(15)

    let hub: WatchHub
    let maxTimeoutSeconds: Double
    let metrics: WatchMetrics?

    func watch(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let prefix = query.get("prefix") ?? ""
        let after = try Self.revision(query.get("after")) ?? hub.revision
        let withValues = try Self.flag(query.get("values"), name: "values", default: true)
        if request.headers[.accept]?.contains("text/event-stream") == true {
            return try stream(prefix: prefix, after: after, withValues: withValues)
        }
        let timeout = try timeoutSeconds(query.get("timeout"))
        let answer = await cancelWhenGracefulShutdown {
            await hub.wait(prefix: prefix, after: after, timeout: .milliseconds(Int64(timeout * 1000)), clock: ContinuousClock())
        }
        switch answer {
        case .failure(let refusal):
            return try Self.refusal(refusal)
        case .success(let batch):
            metrics?.sent(batch.events.count, by: .poll)
            let events = batch.events.map { Self.json($0, withValues: withValues) }
            return try JSONBody.response(status: .ok, ["events": events, "revision": batch.revision] as JSONObject, headers: [.cacheControl: "no-store"])
        }
    }

    private func stream(prefix: String, after: Int64, withValues: Bool) throws -> Response {
        let events: AsyncStream<WatchEvent>
        switch hub.subscribe(prefix: prefix, after: after) {
        case .failure(let refusal): return try Self.refusal(refusal)
        case .success(let stream): events = stream
        }
        let metrics = metrics
        let (stop, stopping) = AsyncStream.makeStream(of: StreamItem.self)
        // The hub ends `events` when the client falls behind: the stream ends with it.
        let items = merge(
            chain(events.map { StreamItem.event($0) }, [StreamItem.stop].async),
            AsyncTimerSequence(interval: Self.heartbeat, clock: ContinuousClock()).map { _ in StreamItem.heartbeat },
            stop)
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: ": watching changes after revision \(after)\n\n"))
            // Graceful shutdown ends the stream, so the server need not wait for the client to leave.
            try await withGracefulShutdownHandler {
                loop: for await item in items {
                    switch item {
                    case .stop:
                        break loop
                    case .heartbeat:
                        try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                    case .event(let event):
                        let data = try JSONSerialization.data(
                            withJSONObject: Self.json(event, withValues: withValues), options: [.sortedKeys, .withoutEscapingSlashes])
                        try await writer.write(ByteBuffer(
                            string: "id: \(event.modRevision)\nevent: \(event.kind.rawValue)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                        metrics?.sent(1, by: .stream)
                    }
                }
            } onGracefulShutdown: {
                stopping.yield(.stop)
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"], body: body)
    }

    /// One event as JSON: `key`, `type`, `mod_revision`, the base64 `value` of a put (unless
    /// `values=false`), and `reason: expired` for a deletion by expiry.
    static func json(_ event: WatchEvent, withValues: Bool) -> JSONObject {
        var object: JSONObject = ["key": event.key, "type": event.kind.rawValue, "mod_revision": event.modRevision]
        if withValues, let value = event.value { object["value"] = Data(value).base64EncodedString() }
        if let reason = event.reason { object["reason"] = reason.rawValue }
        return object
    }

    private func timeoutSeconds(_ raw: String?) throws -> Double {
        guard let raw else { return min(Self.defaultTimeoutSeconds, maxTimeoutSeconds) }
        if raw == "0" { return 0 }
        guard let seconds = DurationSyntax.seconds(raw, allowsBareSeconds: true), seconds <= maxTimeoutSeconds else {
            throw APIError.badRequest(
                "invalid_timeout", "timeout must be a duration such as 30s, 5m or 30 (seconds), at most \(Self.text(maxTimeoutSeconds)) (kv.watch.max_timeout_seconds)")
        }
        return seconds
    }

    static func revision(_ raw: String?) throws -> Int64? {
        guard let raw else { return nil }
        guard let revision = Int64(raw), revision >= 0 else {
            throw APIError.badRequest("invalid_revision", "after must be a revision: an integer from 0")
        }
        return revision
    }

    static func flag(_ raw: String?, name: String, default value: Bool) throws -> Bool {
        switch raw {
        case nil: return value
        case "true": return true
        case "false": return false
        default: throw APIError.badRequest("invalid_\(name)", "\(name) must be true or false")
        }
    }

    private static func text(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }

    /// The answer to a refused watch: `410 compacted` (the revisions asked after are no longer in the
    /// history: the client lists the keys again and watches after the listing's revision), with
    /// `compact_revision` and `oldest_revision`; or `503 too_many_watchers`.
    static func refusal(_ refusal: WatchRefusal) throws -> Response {
        switch refusal.code {
        case .compacted:
            let message = "revisions up to \(refusal.compactRevision) are no longer in the watch history: "
                + "list the keys again and watch after the listing's revision"
            return try JSONBody.response(status: .gone, [
                "error": ["code": "compacted", "message": message] as JSONObject,
                "compact_revision": refusal.compactRevision, "oldest_revision": refusal.compactRevision + 1,
            ] as JSONObject)
        case .tooManyWatchers:
            throw APIError(.serviceUnavailable, code: "too_many_watchers", message: "too many watches are open (kv.watch.max_watchers); retry later")
        }
    }
}

/// What an event stream writes: a change, a heartbeat comment, or the end (graceful shutdown).
private enum StreamItem: Sendable {
    case event(WatchEvent)
    case heartbeat
    case stop
}

/// The watch metrics: `kvstore_watchers` and `kvstore_watch_events_total{delivery}`.
struct WatchMetrics: Sendable {
    enum Delivery: String, CaseIterable {
        case poll, stream
    }

    let watchers: Gauge
    private let events: [Delivery: Counter]

    init(registry: MetricsRegistry) throws {
        watchers = try registry.registerGauge(KVMetrics.watchers).labels()
        let family = try registry.registerCounter(KVMetrics.watchEventsTotal)
        events = try Dictionary(uniqueKeysWithValues: Delivery.allCases.map { ($0, try family.labels($0.rawValue)) })
    }

    func sent(_ count: Int, by delivery: Delivery) {
        guard count > 0 else { return }
        events[delivery]?.increment(by: count)
    }
}
