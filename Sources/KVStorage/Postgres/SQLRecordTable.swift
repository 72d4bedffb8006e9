/// `RecordTable` over the records one transaction reads from PostgreSQL: the keys it names are
/// loaded first (and the due keys, for a sweep), the applier runs on them in memory, and the
/// writes it made are then sent back as statements (`writes`).
///
/// Counts keys + values bytes against the quota like `MemoryRecordTable`, from the totals in the
/// locked meta row.
struct SQLRecordTable: RecordTable {
    typealias Failure = StorageError

    /// What happened to one key, in the order of first change.
    enum Write {
        case upsert(StoredRecord)
        case delete
    }

    private var records: [[UInt8]: StoredRecord]
    private let due: [([UInt8], RecordHeader)]
    private(set) var writes: [[UInt8]: Write] = [:]
    private(set) var order: [[UInt8]] = []
    private(set) var keys: Int64
    private(set) var bytes: Int64
    let quotaBytes: Int

    init(records: [[UInt8]: StoredRecord], due: [([UInt8], RecordHeader)] = [], keys: Int64, bytes: Int64, quotaBytes: Int) {
        self.records = records
        self.due = due
        self.keys = keys
        self.bytes = bytes
        self.quotaBytes = quotaBytes
    }

    func header(_ key: [UInt8]) -> RecordHeader? { records[key]?.header }

    func record(_ key: [UInt8]) -> StoredRecord? { records[key] }

    mutating func write(
        _ key: [UInt8], _ value: [UInt8], header makeHeader: (RecordHeader?) -> RecordHeader
    ) throws(StorageError) -> (old: RecordHeader?, new: RecordHeader) {
        let previous = records[key]
        let record = StoredRecord(header: makeHeader(previous?.header), value: value)
        let delta = Int64(record.value.count - (previous?.value.count ?? -key.count))
        if delta > 0 && bytes + delta > Int64(quotaBytes) {
            throw StorageError(.quotaExceeded, "the store is at its quota of \(quotaBytes) bytes")
        }
        bytes += delta
        if previous == nil { keys += 1 }
        records[key] = record
        note(key, .upsert(record))
        return (previous?.header, record.header)
    }

    mutating func remove(_ key: [UInt8], _ old: RecordHeader) {
        guard let previous = records.removeValue(forKey: key) else { return }
        bytes -= Int64(previous.value.count + key.count)
        keys -= 1
        note(key, .delete)
    }

    func dueKeys(atMs nowMs: Int64, limit: Int) -> [([UInt8], RecordHeader)] {
        Array(due.filter { $0.1.expiresAtMs <= nowMs }.prefix(max(0, limit)))
    }

    private mutating func note(_ key: [UInt8], _ write: Write) {
        if writes.updateValue(write, forKey: key) == nil { order.append(key) }
    }
}
