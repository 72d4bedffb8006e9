/// Map growth and the quota, on the writer thread.
extension LMDBWriter {
    /// A single write that does not fit at the quota: one that writes a value is refused; one
    /// that only deletes may use a small reserve above the current map size so that space can
    /// always be freed (also when the data already exceeds a lowered quota).
    func commitAtQuota(_ write: PendingWrite) {
        let refusal = StorageError(.quotaExceeded, "the store is at its quota of \(quotaBytes) bytes; delete keys or raise storage.quota_bytes")
        guard write.request.onlyFreesSpace else {
            write.continuation.resume(returning: .failure(refusal))
            return
        }
        if let readOnly { return fail([write], with: readOnly) }
        guard let mapSize = try? environment.info().mapSize else { return fail([write], with: refusal) }
        let reserve = max(1 << 20, quotaBytes / 64)
        do {
            try environment.resizeMap(to: max(quotaBytes, mapSize) + reserve)
        } catch {
            return fail([write], with: enterReadOnly(error))
        }
        let before = lastTransactionID()
        do throws(LMDBFailure) {
            let results = try apply([write])
            counters.commits.add(1, ordering: .relaxed)
            committed(results, wroteMetaPage: metaPageWritten(since: before))
        } catch {
            let failure = error.isMapFull ? refusal
                : error.isCommitFailure ? enterReadOnly(error.storageError) : error.storageError
            write.continuation.resume(returning: .failure(failure))
        }
        // Back to the quota; LMDB keeps the map at least as large as the pages in use.
        do { try environment.resizeMap(to: quotaBytes) } catch { enterReadOnly(error) }
    }

    func growIfNearlyFull() {
        guard let info = try? environment.info() else { return }
        if info.bytesInUse > info.mapSize / 4 * 3 { _ = growMap() }
    }

    /// Doubles the map (at least +64 MiB), up to the quota; false when already there or when
    /// the resize failed (the store is then read-only).
    func growMap() -> Bool {
        guard readOnly == nil, let current = try? environment.info().mapSize, current < quotaBytes else { return false }
        let target = min(quotaBytes, max(current * 2, current + (64 << 20)))
        do {
            try environment.resizeMap(to: target)
            return true
        } catch {
            enterReadOnly(error)
            return false
        }
    }
}
