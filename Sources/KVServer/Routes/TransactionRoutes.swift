import Foundation
import HTTPTypes
import Hummingbird
import KVSnapshot
import KVStorage
import NIOCore

/// `POST /api/v1/txn`: an etcd-style transaction (compares, then the success or the failure
/// branch) in one commit of the store, all-or-nothing.
///
/// The body is ``TransactionRequest``; the answer is `200` with `succeeded` (whether every compare
/// held), the store `revision` after it, and one result per operation of the branch that ran
/// (``TransactionAnswer``), also when the compares failed. The route needs a `read` token; a
/// transaction with a put or delete in either branch needs `write` (checked here, against the
/// role the access middleware found).
struct TransactionRoutes: RouteGroup {
    static var routes: [Route<Self>] { RouteTable.transactions }
    let store: any KeyValueStore
    /// `kv.txn.max_operations`: compares plus operations of both branches.
    let maxOperations: Int
    /// `kv.txn.max_bytes`: the largest body.
    let maxBytes: Int
    let metrics: TransactionMetrics?

    func commit(_ request: Request, _ context: KVRequestContext) async throws -> Response {
        if let declared = request.headers.declaredContentLength, declared > maxBytes {
            throw tooLarge(declared)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge(nil)
        } catch is NIOTooManyBytesError {
            throw tooLarge(nil)
        }
        let parsed = try TransactionRequest(body: body.readableBytesView, maxOperations: maxOperations)
        if parsed.writes, let role = context.tokenRole, role < .write {
            throw AccessControl.roleTooLow(role, needs: .write, request, context, because: "with a put or delete")
        }
        let outcome: TransactionOutcome
        do { outcome = try await store.commit(parsed.transaction) } catch { throw APIError(error) }
        metrics?.record(operations: parsed.operationCount, succeeded: outcome.succeeded)
        let branch = outcome.succeeded ? parsed.transaction.success : parsed.transaction.failure
        return try JSONBody.response(status: .ok, encoding: TransactionAnswer(outcome, branch: branch))
    }

    /// `413 txn_too_large`, with the declared size when there is one.
    private func tooLarge(_ declared: Int?) -> APIError {
        let message = declared.map { "the transaction body is \($0) bytes; the limit is \(maxBytes) bytes (kv.txn.max_bytes)" }
            ?? "the transaction body is over the limit of \(maxBytes) bytes (kv.txn.max_bytes)"
        return APIError(.contentTooLarge, code: "txn_too_large", message: message)
    }
}

/// The answer of a committed transaction.
struct TransactionAnswer: Encodable, Equatable {
    let succeeded: Bool
    let revision: Int64
    let results: [Result]

    /// One operation's result: `op` and `key`, then per op:
    /// - get: `found`, and when found `value` (base64), `create_revision`, `mod_revision`, `version`, `expires_at`;
    /// - put: `created`, and the record as stored: `create_revision`, `mod_revision`, `version`, `expires_at`;
    /// - delete: `deleted` (whether a live key was removed) and `previous_mod_revision` (0 when it was not).
    /// `expires_at` (RFC 3339, UTC, milliseconds) only when the key expires.
    struct Result: Encodable, Equatable {
        let op: String
        let key: String
        var found: Bool?
        var created: Bool?
        var deleted: Bool?
        var value: String?
        var createRevision: Int64?
        var modRevision: Int64?
        var version: Int64?
        var expiresAt: String?
        var previousModRevision: Int64?

        enum CodingKeys: String, CodingKey {
            case op, key, found, created, deleted, value, version
            case createRevision = "create_revision"
            case modRevision = "mod_revision"
            case expiresAt = "expires_at"
            case previousModRevision = "previous_mod_revision"
        }

        init(op: String, key: String) {
            self.op = op
            self.key = key
        }

        mutating func describe(_ record: KeyRecord) {
            createRevision = record.createRevision
            modRevision = record.modRevision
            version = record.version
            expiresAt = record.expiresAt.map(SnapshotTime.format)
        }
    }

    /// The answer for `outcome`, whose results belong to the operations of `branch`.
    init(_ outcome: TransactionOutcome, branch: [StoreTransaction.Operation]) {
        succeeded = outcome.succeeded
        revision = outcome.revision
        results = zip(branch, outcome.results).map { operation, result in
            switch (operation, result) {
            case (.get(let key), .get(let record)):
                var answer = Result(op: "get", key: key)
                answer.found = record != nil
                if let record {
                    answer.value = Base64.encode(record.value)
                    answer.describe(record)
                }
                return answer
            case (.put(let key, _, _), .put(let created, let record)):
                var answer = Result(op: "put", key: key)
                answer.created = created
                answer.describe(record)
                return answer
            case (.delete(let key), .delete(let existed, let previous)):
                var answer = Result(op: "delete", key: key)
                answer.deleted = existed
                answer.previousModRevision = previous
                return answer
            default:
                preconditionFailure("the store answered \(result) for \(operation)")
            }
        }
    }
}
