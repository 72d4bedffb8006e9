import Foundation

/// An etcd-style transaction: if every comparison holds, run `success`, else `failure`.
///
/// The comparisons and the chosen branch run in one serializable write transaction. A
/// transaction that writes anything takes exactly one new store revision, shared by all its
/// puts and deletes; one that only reads (or deletes absent keys) takes none. Operations run
/// in order and see the effects of earlier ones in the same transaction (two puts of one key
/// both carry the new revision, the second with the higher version). All-or-nothing: when an
/// operation fails (invalid key, value too large, quota), nothing is applied and the error is thrown.
/// Expired keys are absent to every comparison and operation.
public struct StoreTransaction: Sendable, Equatable {
    public var compare: [Comparison]
    public var success: [Operation]
    public var failure: [Operation]

    public init(compare: [Comparison] = [], success: [Operation] = [], failure: [Operation] = []) {
        self.compare = compare
        self.success = success
        self.failure = failure
    }

    /// One condition on one key.
    public struct Comparison: Sendable, Equatable {
        public var key: String
        public var target: Target
        public init(key: String, _ target: Target) {
            self.key = key
            self.target = target
        }
    }

    /// What a comparison requires; an absent key has revision 0 and version 0.
    public enum Target: Sendable, Equatable {
        case modRevision(Int64)
        case createRevision(Int64)
        case version(Int64)
        case exists(Bool)
        /// The key exists and holds exactly these bytes.
        case value([UInt8])
    }

    /// One step of a branch.
    public enum Operation: Sendable, Equatable {
        case get(String)
        /// Stores the value; `expiresAt` nil means it never expires (and clears an earlier expiry).
        case put(String, [UInt8], expiresAt: Date? = nil)
        case delete(String)

        var key: String {
            switch self {
            case .get(let key), .put(let key, _, _), .delete(let key): key
            }
        }
    }
}

/// What a committed transaction did.
public struct TransactionOutcome: Sendable, Equatable {
    /// Whether every comparison held (so `success` ran, else `failure`).
    public var succeeded: Bool
    /// The store revision after the transaction: its own when it wrote, else the current one.
    public var revision: Int64
    /// One result per operation of the branch that ran, in order.
    public var results: [OperationResult]

    public init(succeeded: Bool, revision: Int64, results: [OperationResult]) {
        self.succeeded = succeeded
        self.revision = revision
        self.results = results
    }
}

/// The result of one transaction operation.
public enum OperationResult: Sendable, Equatable {
    /// The live record, nil when absent or expired.
    case get(KeyRecord?)
    /// Whether the key was created (absent or expired before) and the record as now stored.
    case put(created: Bool, record: KeyRecord)
    /// Whether a live key was deleted, and its last mod revision (0 when it did not exist).
    case delete(existed: Bool, previousModRevision: Int64)
}

/// One change of a committed revision, reported to `StorageObserver.storageDidCommit`.
public struct StorageChange: Sendable, Equatable {
    public enum Kind: String, Sendable { case put, delete }
    /// Why the change happened: a client write or the expiry of the key.
    public enum Reason: String, Sendable { case write, expired }

    public var key: String
    public var kind: Kind
    /// The record as stored by a put; nil for a delete.
    public var record: KeyRecord?
    /// The revision of this change (the transaction's revision).
    public var modRevision: Int64
    public var reason: Reason

    public init(key: String, kind: Kind, record: KeyRecord?, modRevision: Int64, reason: Reason) {
        self.key = key
        self.kind = kind
        self.record = record
        self.modRevision = modRevision
        self.reason = reason
    }
}
