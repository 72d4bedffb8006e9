import Foundation

/// The answer of a conditional put.
public enum ConditionalPutResult: Sendable, Equatable {
    /// The condition held: the value is stored as `record`.
    case stored(created: Bool, record: KeyRecord)
    /// The condition failed: nothing was written; `current` is the live record (nil when absent).
    case conditionFailed(current: KeyRecord?)
}

/// The answer of a conditional delete.
public enum ConditionalDeleteResult: Sendable, Equatable {
    /// The condition held and the key existed: it is deleted.
    case deleted(previousModRevision: Int64)
    /// The condition held but there was no live key to delete.
    case absent
    /// The condition failed: nothing was written; `current` is the live record (nil when absent).
    case conditionFailed(current: KeyRecord?)
}

/// Single-key conditional writes on `commit`: what HTTP `If-Match: "<mod_revision>"`
/// (`.modRevision(n)`) and `If-None-Match: *` (`.exists(false)`) need.
extension KeyValueStore {
    /// Stores `value` under `key` (expiring at `expiresAt`, or never) when `condition` holds
    /// for the key, or always when it is nil; one revision.
    public func put(
        _ value: [UInt8], forKey key: String, expiresAt: Date? = nil, if condition: StoreTransaction.Target? = nil
    ) async throws(StorageError) -> ConditionalPutResult {
        let outcome = try await commit(StoreTransaction(
            compare: condition.map { [.init(key: key, $0)] } ?? [],
            success: [.put(key, value, expiresAt: expiresAt)],
            failure: [.get(key)]))
        switch outcome.results.first {
        case .put(let created, let record)?: return .stored(created: created, record: record)
        case .get(let current)?: return .conditionFailed(current: current)
        default: throw StorageError(.io, "a conditional put returned no result")
        }
    }

    /// Deletes `key` when `condition` holds for it, or always when it is nil.
    public func delete(forKey key: String, if condition: StoreTransaction.Target? = nil) async throws(StorageError) -> ConditionalDeleteResult {
        let outcome = try await commit(StoreTransaction(
            compare: condition.map { [.init(key: key, $0)] } ?? [],
            success: [.delete(key)],
            failure: [.get(key)]))
        switch outcome.results.first {
        case .delete(let existed, let previous)?: return existed ? .deleted(previousModRevision: previous) : .absent
        case .get(let current)?: return .conditionFailed(current: current)
        default: throw StorageError(.io, "a conditional delete returned no result")
        }
    }
}

/// Checks done before a transaction reaches the engine, the same in every store.
enum TransactionValidation {
    /// Throws `invalidKey` or `valueTooLarge` for the first bad key or value in any part of `transaction`.
    static func validate(_ transaction: StoreTransaction, maxValueBytes: Int) throws(StorageError) {
        for comparison in transaction.compare { try KeyRules.validate(comparison.key) }
        for operation in transaction.success + transaction.failure {
            try KeyRules.validate(operation.key)
            if case .put(_, let value, _) = operation { try validateSize(value, maxValueBytes: maxValueBytes) }
        }
    }

    static func validateSize(_ value: [UInt8], maxValueBytes: Int) throws(StorageError) {
        if value.count > maxValueBytes {
            throw StorageError(.valueTooLarge, "value is \(value.count) bytes; the limit is \(maxValueBytes)")
        }
    }
}
