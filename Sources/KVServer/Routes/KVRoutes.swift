import Foundation
import HTTPTypes
import Hummingbird
import KVMonitoring
import KVSnapshot
import KVStorage
import NIOCore

/// The key-value API under `/api/v1/kv`.
struct KVRoutes: RouteGroup {
    static var routes: [Route<Self>] { RouteTable.kv }
    let store: any KeyValueStore
    let maxValueBytes: Int
    /// `kvstore_kv_conditional_failures_total` by op; nil when metrics are off.
    let conditionalFailures: ConditionalFailureCounters?
    /// The time a `ttl` counts from: the store's expiry clock (tests inject one).
    let now: @Sendable () -> Date
    /// The most keys one listing page returns.
    static let maxPageSize = 1000
    static let defaultPageSize = 100

    static let emptyKey = APIError.badRequest("invalid_key", "key must not be empty")
    func get(_ request: Request, _ context: KVRequestContext) async throws -> Response {
        let key = try Self.key(from: context)
        let conditions = try KVPreconditions.of(request.headers)
        let record: KeyRecord?
        let revision: Int64
        do {
            (record, revision) = try await store.recordAndRevision(forKey: key)
        } catch { throw APIError(error) }
        // A missing key is 404 whatever the conditions (RFC 9110 §13.2.1: they apply to 2xx answers).
        guard let record else { throw APIError.notFound("no value for this key") }
        var headers = Self.versionHeaders(record, revision: revision)
        if let conditions {
            if let ifMatch = conditions.ifMatch, !ifMatch.matchesStrongly(record) {
                conditionalFailures?.get.increment()
                throw APIError.preconditionFailed(current: record)
            }
            if let ifNoneMatch = conditions.ifNoneMatch, ifNoneMatch.matchesWeakly(record) {
                return Response(status: .notModified, headers: headers)
            }
        }
        headers.append(ContentType.octetStream)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: record.value)))
    }

    func put(_ request: Request, _ context: KVRequestContext) async throws -> Response {
        let key = try Self.key(from: context)
        let conditions = try KVPreconditions.of(request.headers)
        let expiresAt = try request.uri.query == nil ? nil : expiry(request.uri.queryParameters.get("ttl"))
        if let declared = request.headers.declaredContentLength, declared > maxValueBytes {
            throw tooLarge(declared)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxValueBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge(nil)
        } catch is NIOTooManyBytesError {
            // A streamed body without Content-Length (chunked) that passes the limit: over a
            // socket the collector throws this rather than the HTTPError above.
            throw tooLarge(nil)
        }
        let value = Array(body.readableBytesView)
        let created: Bool
        let record: KeyRecord
        if let conditions {
            (created, record) = try await conditionalPut(value, forKey: key, expiresAt: expiresAt, conditions)
        } else {
            do { (created, record) = try await store.setValue(value, forKey: key, expiresAt: expiresAt) } catch { throw APIError(error) }
        }
        // Hand-written: this is the hot write path, and the shape is fixed.
        // One interpolation: appending a second string to the first cost 5,800 instructions.
        let expires = record.expiresAt.map { "\"expires_at\":\"\(SnapshotTime.format($0))\"," } ?? ""
        let json = """
            {"bytes":\(body.readableBytes),"create_revision":\(record.createRevision),\(expires)\
            "key":"\(JSONString.escaped(key))","revision":\(record.modRevision),"version":\(record.version)}\n
            """
        return Response(
            status: created ? .created : .ok,
            headers: [
                .contentType: ContentType.json.value, .eTag: EntityTag.header(record.modRevision),
                .kvRevision: String(record.modRevision),
            ],
            body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    func delete(_ request: Request, _ context: KVRequestContext) async throws -> Response {
        let key = try Self.key(from: context)
        let revision: Int64?
        if let conditions = try KVPreconditions.of(request.headers) {
            revision = try await conditionalDelete(key, conditions)
        } else {
            do { revision = try await store.deleteValue(forKey: key) } catch { throw APIError(error) }
        }
        guard let revision else { throw APIError.notFound("no value for this key") }
        return Response(status: .noContent, headers: [.kvRevision: String(revision)])
    }

    /// The most times a conditional write that had to be pinned to a read is tried again after
    /// another client changed the key in between (each retry means that client's write won).
    static let maxConditionalAttempts = 16

    /// What one attempt of a conditional write did: the write, or the key as it was when the
    /// pinned condition failed.
    private enum Attempt<Result> {
        case done(Result)
        case changed(KeyRecord?)
    }

    /// A write with conditions, in one commit: a condition the store can check itself goes with
    /// the write; others are checked on a read, and the write is then made conditional on the key
    /// still being as read (tried again, re-checked, if another write came in between).
    private func writing<Result>(
        _ key: String, _ conditions: KVPreconditions, as operation: StorageOperation,
        _ attempt: (StoreTransaction.Target) async throws -> Attempt<Result>
    ) async throws -> Result {
        do {
            let exact = conditions.storeTarget
            var target: StoreTransaction.Target
            if let exact {
                target = exact
            } else {
                let current = try await store.record(forKey: key)
                guard conditions.allowWrite(on: current) else { throw failed(operation, current) }
                target = KVPreconditions.pin(current)
            }
            for _ in 0..<Self.maxConditionalAttempts {
                switch try await attempt(target) {
                case .done(let result):
                    return result
                case .changed(let current):
                    guard exact == nil, conditions.allowWrite(on: current) else { throw failed(operation, current) }
                    target = KVPreconditions.pin(current)
                }
            }
            throw Self.contended
        } catch let error as StorageError {
            throw APIError(error)
        }
    }

    /// A `PUT` with conditions (see `writing`).
    private func conditionalPut(
        _ value: [UInt8], forKey key: String, expiresAt: Date?, _ conditions: KVPreconditions
    ) async throws -> (Bool, KeyRecord) {
        try await writing(key, conditions, as: .put) { target in
            switch try await store.put(value, forKey: key, expiresAt: expiresAt, if: target) {
            case .stored(let created, let record): .done((created, record))
            case .conditionFailed(let current): .changed(current)
            }
        }
    }

    /// A `DELETE` with conditions (see `writing`); answers the delete's revision, nil when the
    /// conditions held but there was no key.
    private func conditionalDelete(_ key: String, _ conditions: KVPreconditions) async throws -> Int64? {
        try await writing(key, conditions, as: .delete) { target in
            let outcome = try await store.commit(StoreTransaction(
                compare: [.init(key: key, target)], success: [.delete(key)], failure: [.get(key)]))
            switch outcome.results.first {
            case .delete(let existed, _)?: return .done(existed ? outcome.revision : nil)
            case .get(let current)?: return .changed(current)
            default: throw StorageError(.io, "a conditional delete returned no result")
            }
        }
    }

    private static let contended = APIError(
        .serviceUnavailable, code: "contended", message: "the key changed on every attempt to check the conditions; try again")

    /// Counts a failed condition and builds its 412.
    private func failed(_ operation: StorageOperation, _ current: KeyRecord?) -> APIError {
        switch operation {
        case .put: conditionalFailures?.put.increment()
        case .delete: conditionalFailures?.delete.increment()
        default: conditionalFailures?.get.increment()
        }
        return APIError.preconditionFailed(current: current)
    }

    /// When a key put with `ttl` (`30s`, `15m`, `1h30m`, `2d`, or bare seconds) expires; nil without one.
    private func expiry(_ ttl: String?) throws -> Date? {
        guard let ttl else { return nil }
        guard let seconds = TTLSyntax.seconds(ttl) else { throw APIError.badRequest("invalid_ttl", TTLSyntax.rule) }
        return now().addingTimeInterval(seconds)
    }

    /// `ETag`, `X-KV-Revision` (the store's) and the key's `X-KV-Create-Revision`, `X-KV-Version`
    /// and, when it expires, `X-KV-Expires-At`.
    static func versionHeaders(_ record: KeyRecord, revision: Int64) -> HTTPFields {
        var headers: HTTPFields = [
            .eTag: EntityTag.header(record.modRevision), .kvRevision: String(revision),
            .kvCreateRevision: String(record.createRevision), .kvVersion: String(record.version),
        ]
        if let expires = record.expiresAt { headers[.kvExpiresAt] = SnapshotTime.format(expires) }
        return headers
    }

    func list(_ request: Request, _ context: KVRequestContext) async throws -> Response {
        if request.uri.path.hasSuffix("/") { throw Self.emptyKey }
        let query = request.uri.queryParameters
        let prefix = query.get("prefix") ?? ""
        let after = query.get("after")
        var limit = Self.defaultPageSize
        if let raw = query.get("limit") {
            guard let parsed = Int(raw), (1...Self.maxPageSize).contains(parsed) else {
                throw APIError.badRequest("invalid_limit", "limit must be an integer from 1 to \(Self.maxPageSize)")
            }
            limit = parsed
        }
        let page: KeyPage
        do { page = try await store.keys(prefix: prefix, after: after, limit: limit) } catch { throw APIError(error) }
        let revision: Int64
        do { revision = try await store.currentRevision() } catch { throw APIError(error) }
        let entries: [JSONObject] = page.entries.map { entry in
            var object: JSONObject = [
                "key": entry.key, "bytes": entry.bytes, "create_revision": entry.createRevision,
                "mod_revision": entry.modRevision, "version": entry.version,
            ]
            if let expires = entry.expiresAt { object["expires_at"] = SnapshotTime.format(expires) }
            return object
        }
        return try JSONBody.response(
            status: .ok, ["keys": entries, "next": page.next as Any? ?? NSNull(), "revision": revision] as JSONObject)
    }

    private func tooLarge(_ declared: Int?) -> APIError {
        let size = declared.map { "\($0) bytes" } ?? "larger than that"
        return APIError(.contentTooLarge, code: "value_too_large", message: "value is \(size); the limit is \(maxValueBytes) bytes (storage.max_value_bytes)")
    }

    /// The key from the one path segment, percent-decoded (Hummingbird leaves it encoded) and validated.
    static func key(from context: KVRequestContext) throws -> String {
        guard let raw = context.parameter("key") else { throw emptyKey }
        // Most keys carry no escapes: skip Foundation's decoder for them.
        guard let key = raw.utf8.contains(UInt8(ascii: "%")) ? raw.removingPercentEncoding : raw else {
            throw APIError.badRequest("invalid_key", "key is not valid percent-encoded UTF-8")
        }
        do { try KeyRules.validate(key) } catch { throw APIError(error) }
        return key
    }
}

/// `kvstore_kv_conditional_failures_total`'s series of the KV routes, resolved once.
struct ConditionalFailureCounters: Sendable {
    let get: Counter
    let put: Counter
    let delete: Counter

    init(_ family: CounterFamily) {
        get = family.labels("get")
        put = family.labels("put")
        delete = family.labels("delete")
    }
}

extension HTTPField.Name {
    /// The store's revision (GET, listings) or that of the write (PUT, DELETE).
    static let kvRevision = HTTPField.Name("X-KV-Revision")!
    static let kvCreateRevision = HTTPField.Name("X-KV-Create-Revision")!
    static let kvVersion = HTTPField.Name("X-KV-Version")!
    static let kvExpiresAt = HTTPField.Name("X-KV-Expires-At")!
}
