import Foundation
import HTTPTypes
import Hummingbird
import KVStorage
import NIOCore

/// The key-value API under `/api/v1/kv`.
struct KVRoutes: RouteGroup {
    static var routes: [Route<Self>] { RouteTable.kv }
    let store: any KeyValueStore
    let maxValueBytes: Int
    /// The most keys one listing page returns.
    static let maxPageSize = 1000
    static let defaultPageSize = 100

    static let emptyKey = APIError.badRequest("invalid_key", "key must not be empty")

    func get(_ request: Request, _ context: KVRequestContext) throws -> Response {
        let key = try Self.key(from: context)
        let value: [UInt8]?
        do { value = try store.value(forKey: key) } catch { throw APIError(error) }
        guard let value else { throw APIError.notFound("no value for this key") }
        return Response(
            status: .ok, headers: [.contentType: "application/octet-stream"],
            body: .init(byteBuffer: ByteBuffer(bytes: value)))
    }

    func put(_ request: Request, _ context: KVRequestContext) async throws -> Response {
        let key = try Self.key(from: context)
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maxValueBytes {
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
        let created: Bool
        do { created = try await store.setValue(Array(body.readableBytesView), forKey: key) } catch { throw APIError(error) }
        // Hand-written: this is the hot write path, and the shape is fixed.
        let json = "{\"bytes\":\(body.readableBytes),\"key\":\"\(JSONString.escaped(key))\"}\n"
        return Response(
            status: created ? .created : .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    func delete(_ request: Request, _ context: KVRequestContext) async throws -> Response {
        let key = try Self.key(from: context)
        let existed: Bool
        do { existed = try await store.removeValue(forKey: key) } catch { throw APIError(error) }
        guard existed else { throw APIError.notFound("no value for this key") }
        return Response(status: .noContent)
    }

    func list(_ request: Request, _ context: KVRequestContext) throws -> Response {
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
        do { page = try store.keys(prefix: prefix, after: after, limit: limit) } catch { throw APIError(error) }
        let entries: [JSONObject] = page.entries.map { ["key": $0.key, "bytes": $0.bytes] }
        return try JSONBody.response(status: .ok, ["keys": entries, "next": page.next as Any? ?? NSNull()] as JSONObject)
    }

    private func tooLarge(_ declared: Int?) -> APIError {
        let size = declared.map { "\($0) bytes" } ?? "larger than that"
        return APIError(.contentTooLarge, code: "value_too_large", message: "value is \(size); the limit is \(maxValueBytes) bytes (storage.max_value_bytes)")
    }

    /// The key from the one path segment, percent-decoded (Hummingbird leaves it encoded) and validated.
    static func key(from context: KVRequestContext) throws -> String {
        guard let raw = context.parameters.get("key") else { throw emptyKey }
        // Most keys carry no escapes: skip Foundation's decoder for them.
        guard let key = raw.utf8.contains(UInt8(ascii: "%")) ? raw.removingPercentEncoding : raw else {
            throw APIError.badRequest("invalid_key", "key is not valid percent-encoded UTF-8")
        }
        do { try KeyRules.validate(key) } catch { throw APIError(error) }
        return key
    }
}
