import KVStorage
import Synchronization

/// Hands the store's committed changes to the watch hub: the store's observer, made before the
/// store is opened; the hub is attached once the store's revision (where its history starts) is known.
final class WatchFeed: StorageObserver {
    private let hub = Mutex<WatchHub?>(nil)

    func attach(_ watchHub: WatchHub) {
        hub.withLock { $0 = watchHub }
    }

    func storageDidPerform(_ operation: StorageOperation, key: String?, seconds: Double, batchSize: Int, error: StorageError?) {}

    func storageDidCommit(_ changes: [StorageChange]) {
        guard let hub = hub.withLock({ $0 }), let revision = changes.last?.modRevision else { return }
        hub.record(changes.map(WatchEvent.init), revision: revision)
    }

    func storageFeedDidRestart(atRevision revision: Int64) {
        hub.withLock { $0 }?.restart(at: revision)
    }
}

extension WatchEvent {
    init(_ change: StorageChange) {
        self.init(
            key: change.key, kind: change.kind == .put ? .put : .delete, modRevision: change.modRevision,
            value: change.record?.value, reason: change.reason == .expired ? .expired : nil)
    }
}
