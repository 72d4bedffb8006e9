import Foundation
import KVSnapshot
import KVStorage

/// The body of `POST /api/v1/txn`, parsed and checked into a ``StoreTransaction``.
///
/// ```json
/// {"compare": [{"key": "a", "mod_revision": 5}, {"key": "b", "exists": false}],
///  "success": [{"op": "get", "key": "a"}, {"op": "put", "key": "a", "value": "<base64>", "ttl": "30s"}],
///  "failure": [{"op": "delete", "key": "b"}]}
/// ```
///
/// Strict, so that the OpenAPI document describes exactly what is accepted: every list is
/// optional; a compare has `key` and exactly one of `mod_revision`, `create_revision`, `version`
/// (integers 0 to 2^63-1), `exists` (a boolean) or `value` (base64); an operation has `op` (`get`,
/// `put`, `delete`) and `key`, a put also `value` (base64) and optionally `ttl` (``TTLSyntax``).
/// Unknown fields, `null`s and wrong types are refused. Errors name the field: `success[2].value`.
struct TransactionRequest {
    let transaction: StoreTransaction
    /// Compares plus the operations of both branches: what `kv.txn.max_operations` bounds.
    let operationCount: Int
    /// Whether either branch holds a put or a delete (which needs the `write` role).
    let writes: Bool

    static let conditions = ["mod_revision", "create_revision", "version", "exists", "value"]

    /// Parses `body`; throws `400 invalid_txn`, `400 invalid_key` or `400 too_many_operations`.
    init(body: some Collection<UInt8>, maxOperations: Int) throws(APIError) {
        let tree: JSONTree
        do {
            tree = try JSONDecoder().decode(JSONTree.self, from: Data(body))
        } catch {
            throw Self.invalid("the body is not valid JSON" + Self.decodingDetail(error))
        }
        guard case .object(let fields) = tree else {
            throw Self.invalid("the body must be a JSON object with the optional lists compare, success and failure")
        }
        for name in fields.keys.sorted() where !["compare", "success", "failure"].contains(name) {
            throw Self.invalid("\(name): unknown field; the body has compare, success and failure")
        }
        let compare = try Self.list(fields["compare"], "compare")
        let success = try Self.list(fields["success"], "success")
        let failure = try Self.list(fields["failure"], "failure")
        operationCount = compare.count + success.count + failure.count
        if operationCount > maxOperations {
            throw APIError.badRequest(
                "too_many_operations",
                "the transaction has \(operationCount) compares and operations; the limit is \(maxOperations) (kv.txn.max_operations)")
        }
        var comparisons: [StoreTransaction.Comparison] = []
        comparisons.reserveCapacity(compare.count)
        for (index, item) in compare.enumerated() { comparisons.append(try Self.comparison(item, "compare[\(index)]")) }
        let now = Date()
        var branches: [[StoreTransaction.Operation]] = []
        for (name, items) in [("success", success), ("failure", failure)] {
            var operations: [StoreTransaction.Operation] = []
            operations.reserveCapacity(items.count)
            for (index, item) in items.enumerated() { operations.append(try Self.operation(item, "\(name)[\(index)]", now: now)) }
            branches.append(operations)
        }
        transaction = StoreTransaction(compare: comparisons, success: branches[0], failure: branches[1])
        writes = (branches[0] + branches[1]).contains { if case .get = $0 { false } else { true } }
    }

    // MARK: - Parts

    private static func list(_ value: JSONTree?, _ path: String) throws(APIError) -> [JSONTree] {
        guard let value else { return [] }
        guard case .array(let items) = value else { throw invalid("\(path): must be a list") }
        return items
    }

    private static func comparison(_ item: JSONTree, _ path: String) throws(APIError) -> StoreTransaction.Comparison {
        guard case .object(let fields) = item else { throw invalid("\(path): must be an object with key and one condition") }
        for name in fields.keys.sorted() where name != "key" && !conditions.contains(name) {
            throw invalid("\(path).\(name): unknown field; a compare has key and one of \(conditions.joined(separator: ", "))")
        }
        let key = try self.key(fields["key"], path)
        let present = conditions.filter { fields[$0] != nil }
        guard present.count == 1, let name = present.first, let value = fields[name] else {
            let found = present.isEmpty ? "none" : "\(present.count): \(present.joined(separator: ", "))"
            throw invalid("\(path): needs exactly one of \(conditions.joined(separator: ", ")) (found \(found))")
        }
        let target: StoreTransaction.Target
        switch name {
        case "mod_revision": target = .modRevision(try revision(value, "\(path).\(name)"))
        case "create_revision": target = .createRevision(try revision(value, "\(path).\(name)"))
        case "version": target = .version(try revision(value, "\(path).\(name)"))
        case "exists":
            guard case .bool(let flag) = value else { throw invalid("\(path).exists: must be true or false") }
            target = .exists(flag)
        default: target = .value(try bytes(value, "\(path).value"))
        }
        return StoreTransaction.Comparison(key: key, target)
    }

    private static func operation(_ item: JSONTree, _ path: String, now: Date) throws(APIError) -> StoreTransaction.Operation {
        guard case .object(let fields) = item else { throw invalid("\(path): must be an object with op and key") }
        guard let opValue = fields["op"] else { throw invalid("\(path).op: missing; one of get, put, delete") }
        guard case .string(let op) = opValue, ["get", "put", "delete"].contains(op) else {
            throw invalid("\(path).op: must be get, put or delete")
        }
        let allowed: Set<String> = op == "put" ? ["op", "key", "value", "ttl"] : ["op", "key"]
        for name in fields.keys.sorted() where !allowed.contains(name) {
            throw invalid("\(path).\(name): unknown field for a \(op); it has \(allowed.sorted().joined(separator: ", "))")
        }
        let key = try self.key(fields["key"], path)
        switch op {
        case "get": return .get(key)
        case "delete": return .delete(key)
        default:
            guard let value = fields["value"] else { throw invalid("\(path).value: missing; a put needs a base64 value") }
            let bytes = try bytes(value, "\(path).value")
            var expiresAt: Date?
            if let ttl = fields["ttl"] {
                guard case .string(let text) = ttl, let seconds = TTLSyntax.seconds(text) else {
                    throw invalid("\(path).ttl: \(TTLSyntax.rule)")
                }
                expiresAt = now.addingTimeInterval(seconds)
            }
            return .put(key, bytes, expiresAt: expiresAt)
        }
    }

    private static func key(_ value: JSONTree?, _ path: String) throws(APIError) -> String {
        guard let value else { throw invalid("\(path).key: missing") }
        guard case .string(let key) = value else { throw invalid("\(path).key: must be a string") }
        do { try KeyRules.validate(key) } catch { throw APIError.badRequest("invalid_key", "\(path).key: \(error.message)") }
        return key
    }

    private static func revision(_ value: JSONTree, _ path: String) throws(APIError) -> Int64 {
        guard case .integer(let number) = value, number >= 0 else {
            throw invalid("\(path): must be an integer from 0 to \(Int64.max)")
        }
        return number
    }

    private static func bytes(_ value: JSONTree, _ path: String) throws(APIError) -> [UInt8] {
        guard case .string(let text) = value else { throw invalid("\(path): must be a base64 string") }
        guard let bytes = Base64.decode(text) else { throw invalid("\(path): not valid base64 (RFC 4648, padded, canonical)") }
        return bytes
    }

    static func invalid(_ message: String) -> APIError { .badRequest("invalid_txn", message) }

    private static func decodingDetail(_ error: any Error) -> String {
        guard let error = error as? DecodingError, case .dataCorrupted(let context) = error else { return "" }
        let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
        let detail = underlying ?? context.debugDescription
        return detail.isEmpty ? "" : ": " + String(detail.prefix(200))
    }
}

/// A JSON document as a tree, so that types, `null`s and unknown fields can be checked exactly.
indirect enum JSONTree: Decodable, Equatable {
    case null
    case bool(Bool)
    /// A number without fraction or exponent within Int64.
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONTree])
    case object([String: JSONTree])

    private struct Name: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Name.self) {
            var fields: [String: JSONTree] = [:]
            for name in object.allKeys { fields[name.stringValue] = try object.decode(JSONTree.self, forKey: name) }
            self = .object(fields)
        } else if var array = try? decoder.unkeyedContainer() {
            var items: [JSONTree] = []
            while !array.isAtEnd { items.append(try array.decode(JSONTree.self)) }
            self = .array(items)
        } else {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() {
                self = .null
            } else if let flag = try? value.decode(Bool.self) {
                self = .bool(flag)
            } else if let integer = try? value.decode(Int64.self) {
                self = .integer(integer)
            } else if let number = try? value.decode(Double.self) {
                self = .number(number)
            } else {
                self = .string(try value.decode(String.self))
            }
        }
    }
}

/// Base64 as RFC 4648 §4 writes it: the standard alphabet, `=` padding to a multiple of four,
/// and zero bits after the last byte (so each byte string has exactly one spelling). Exactly the
/// OpenAPI document's pattern for `Base64`.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// The bytes `text` spells, or nil unless it is canonical padded base64.
    static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            let last = index + 4 == input.count
            let padding = last ? (input[index + 3] == UInt8(ascii: "=") ? (input[index + 2] == UInt8(ascii: "=") ? 2 : 1) : 0) : 0
            var quad: UInt32 = 0
            for offset in 0..<4 {
                let character = input[index + offset]
                let value: UInt8
                if offset >= 4 - padding {
                    value = 0
                } else {
                    value = values[Int(character)]
                    if value == 0xFF { return nil }
                }
                quad = quad << 6 | UInt32(value)
            }
            output.append(UInt8(truncatingIfNeeded: quad >> 16))
            if padding < 2 { output.append(UInt8(truncatingIfNeeded: quad >> 8)) }
            if padding < 1 { output.append(UInt8(truncatingIfNeeded: quad)) }
            // Canonical: the bits after the last byte are zero.
            if padding == 2 && quad & 0xFFFF != 0 { return nil }
            if padding == 1 && quad & 0xFF != 0 { return nil }
            index += 4
        }
        return output
    }
}
