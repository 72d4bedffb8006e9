import Foundation
import HTTPTypes
import Hummingbird
import KVSnapshot

/// The archive API: list, fetch one file, take one now.
struct SnapshotRoutes: RouteGroup {
    static var routes: [Route<Self>] { RouteTable.snapshots }
    static let defaultLimit = 100
    static let maxLimit = 10_000
    let archive: SnapshotArchive
    let service: SnapshotService?

    /// Newest first: `{"snapshots": [{"name", "sequence", "node", "time", "bytes", "compressed"}], "total": N}`.
    func list(_ request: Request) throws -> Response {
        var limit = Self.defaultLimit
        if let raw = request.uri.queryParameters.get("limit") {
            guard let parsed = Int(raw), (1...Self.maxLimit).contains(parsed) else {
                throw APIError.badRequest("invalid_limit", "limit must be an integer from 1 to \(Self.maxLimit)")
            }
            limit = parsed
        }
        let files: [SnapshotFileInfo]
        do { files = try archive.list() } catch { throw APIError(.internalServerError, code: "snapshot_error", message: "\(error)") }
        let newest = files.sorted { ($0.time, $0.sequence) > ($1.time, $1.sequence) }.prefix(limit)
        let entries: [JSONObject] = newest.map {
            ["name": $0.name, "sequence": $0.sequence, "node": $0.node, "time": SnapshotTime.format($0.time),
             "bytes": $0.bytes, "compressed": $0.isCompressed]
        }
        return try JSONBody.response(status: .ok, ["snapshots": entries, "total": files.count] as JSONObject)
    }

    /// The file itself, byte for byte.
    func file(_ context: KVRequestContext) throws -> Response {
        guard let name = context.parameter("name")?.removingPercentEncoding,
              SnapshotFileName(parsing: name) != nil, !name.contains("/")
        else {
            throw APIError.badRequest("invalid_name", "not a snapshot file name (kvstore-<node>-<sequence>-<time>.json[.gz])")
        }
        let data: Data
        do {
            data = try archive.data(named: name)
        } catch let error as SnapshotError where error.code == .io || error.code == .notRegularFile {
            throw APIError.notFound("no snapshot named \(name)")
        } catch {
            throw APIError(.unprocessableContent, code: "snapshot_unreadable", message: "\(error)")
        }
        let type = name.hasSuffix(".gz") ? "application/gzip" : ContentType.json.value
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Takes a snapshot now (at the moment of an incident) and answers what was written.
    func take() async throws -> Response {
        guard let service else {
            throw APIError(.conflict, code: "snapshots_disabled", message: "snapshots are disabled (snapshots.enabled: false)")
        }
        do {
            let result = try await service.takeSnapshot()
            return try JSONBody.response(status: .created, [
                "name": result.file.name, "sequence": result.file.sequence, "bytes": result.file.bytes,
                "time": SnapshotTime.format(result.file.time), "duration_ms": result.duration.seconds * 1000,
            ] as JSONObject)
        } catch {
            throw APIError(.init(code: 507, reasonPhrase: "Insufficient Storage"), code: "snapshot_failed", message: "snapshot not written: \(error)")
        }
    }
}
