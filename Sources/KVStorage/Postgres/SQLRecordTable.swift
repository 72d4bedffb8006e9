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
    private let due: [DueKey]
    private(set) var writes: [[UInt8]: Write] = [:]
    private(set) var order: [[UInt8]] = []
    private(set) var keys: Int64
    private(set) var bytes: Int64
    let quotaBytes: Int

    /// A key whose expiry has passed, loaded without its value for a sweep.
    struct DueKey {
        var key: [UInt8]
        var header: RecordHeader
        var valueBytes: Int
    }

    init(records: [[UInt8]: StoredRecord], due: [DueKey] = [], keys: Int64, bytes: Int64, quotaBytes: Int) {
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
        let size: Int
        if let previous = records.removeValue(forKey: key) {
            size = previous.value.count
        } else if writes[key] == nil, let dueKey = due.first(where: { $0.key == key }) {
            size = dueKey.valueBytes
        } else {
            return
        }
        bytes -= Int64(size + key.count)
        keys -= 1
        note(key, .delete)
    }

    func dueKeys(atMs nowMs: Int64, limit: Int) -> [([UInt8], RecordHeader)] {
        due.filter { $0.header.expiresAtMs <= nowMs }.prefix(max(0, limit)).map { ($0.key, $0.header) }
    }

    private mutating func note(_ key: [UInt8], _ write: Write) {
        if writes.updateValue(write, forKey: key) == nil { order.append(key) }
    }
}
