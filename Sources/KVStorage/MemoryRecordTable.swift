/// `RecordTable` over plain dictionaries: the storage of `InMemoryStore`.
///
/// Counts keys + values bytes against the quota as before revisions (headers are free).
/// Keeps an undo journal so that a failed transaction can be rolled back (`rollBack`), and an
/// index of the keys that expire (key → expiry ms), so the sweeper looks only at those.
struct MemoryRecordTable: RecordTable {
    typealias Failure = StorageError
    private(set) var records: [[UInt8]: StoredRecord] = [:]
    private var expiring: [[UInt8]: Int64] = [:]
    private(set) var bytes = 0
    let quotaBytes: Int
    /// The prior record of each key written since the last `keepChanges` (nil: it was absent).
    private var journal: [([UInt8], StoredRecord?)] = []

    init(quotaBytes: Int) {
        self.quotaBytes = quotaBytes
    }

    func header(_ key: [UInt8]) -> RecordHeader? { records[key]?.header }

    func record(_ key: [UInt8]) -> StoredRecord? { records[key] }

    mutating func write(
        _ key: [UInt8], _ value: [UInt8], header makeHeader: (RecordHeader?) -> RecordHeader
    ) throws(StorageError) -> (old: RecordHeader?, new: RecordHeader) {
        let previous = records[key]
        let record = StoredRecord(header: makeHeader(previous?.header), value: value)
        let delta = record.value.count - (previous?.value.count ?? -key.count)
        if delta > 0 && bytes + delta > quotaBytes {
            throw StorageError(.quotaExceeded, "the store is at its quota of \(quotaBytes) bytes")
        }
        journal.append((key, previous))
        set(key, record)
        return (previous?.header, record.header)
    }

    mutating func remove(_ key: [UInt8], _ old: RecordHeader) {
        guard let previous = records[key] else { return }
        journal.append((key, previous))
        set(key, nil)
    }

    func dueKeys(atMs nowMs: Int64, limit: Int) -> [([UInt8], RecordHeader)] {
        let due = expiring.filter { $0.value <= nowMs }.sorted {
            $0.value != $1.value ? $0.value < $1.value : $0.key.lexicographicallyPrecedes($1.key)
        }
        return due.prefix(max(0, limit)).compactMap { key, _ in records[key].map { (key, $0.header) } }
    }

    /// Forgets the journal: the writes so far stay.
    mutating func keepChanges() { journal.removeAll(keepingCapacity: true) }

    /// Undoes every write since the last `keepChanges`.
    mutating func rollBack() {
        for (key, previous) in journal.reversed() { set(key, previous) }
        journal.removeAll(keepingCapacity: true)
    }

    private mutating func set(_ key: [UInt8], _ record: StoredRecord?) {
        if let old = records[key] { bytes -= old.value.count + key.count }
        records[key] = record
        if let record {
            bytes += record.value.count + key.count
            expiring[key] = record.header.expiresAtMs != 0 ? record.header.expiresAtMs : nil
        } else {
            expiring[key] = nil
        }
    }
}
