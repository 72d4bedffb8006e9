import KVSnapshot

/// `SnapshotReadings` in the readings index's bytes (`IndexByteWriter`): every field, in a fixed
/// order, so that readings decoded from the index are the readings taken from the snapshot, value
/// for value. Dictionaries are written in key order, so the same readings always give the same bytes.
extension SnapshotReadings {
    func encode(to writer: inout IndexByteWriter) {
        for value in [time, uptimeSeconds, memoryBytes, threads, storageBytes, keys] { writer.double(value) }
        requests.encode(to: &writer)
        latency.encode(to: &writer)
        writer.encode(routes.requests.sorted { ($0.key.method, $0.key.route) < ($1.key.method, $1.key.route) }) {
            $0.string($1.key.method)
            $0.string($1.key.route)
            $1.value.encode(to: &$0)
        }
        writer.encode(routes.latency.sorted { ($0.key.method, $0.key.route) < ($1.key.method, $1.key.route) }) {
            $0.string($1.key.method)
            $0.string($1.key.route)
            $1.value.encode(to: &$0)
        }
        writer.encode(statusClasses.requests, value: { $1.encode(to: &$0) })
        writer.encode(storage.operations, value: { $1.encode(to: &$0) })
        storage.batchWrites.encode(to: &writer)
        storage.batchCommits.encode(to: &writer)
        writer.encode(storage.durations, value: { $1.encode(to: &$0) })
        writer.encode(checks) {
            $0.string($1.name)
            $0.byte($1.status.rawValue)
        }
        overallHealth.encode(to: &writer)
        writer.encode(firingAlerts) { $0.string($1) }
        writer.encode(alerts) {
            $0.string($1.name)
            $0.bool($1.firing)
            $0.double($1.value)
            $0.bool($1.threshold != nil)
            if let threshold = $1.threshold { $0.double(threshold) }
        }
        writer.encode(ruleValues) {
            $0.string($1.name)
            $0.double($1.value)
            $0.double($1.threshold)
        }
    }

    init(decoding reader: inout IndexByteReader) throws {
        time = try reader.double()
        uptimeSeconds = try reader.double()
        memoryBytes = try reader.double()
        threads = try reader.double()
        storageBytes = try reader.double()
        keys = try reader.double()
        requests = try CounterReading(decoding: &reader)
        latency = try HistogramReading(decoding: &reader)
        let routeRequests = try reader.dictionary {
            (RouteReadings.Route(method: try $0.string(), route: try $0.string()), try CounterReading(decoding: &$0))
        }
        let routeLatency = try reader.dictionary {
            (RouteReadings.Route(method: try $0.string(), route: try $0.string()), try HistogramReading(decoding: &$0))
        }
        routes = RouteReadings(requests: routeRequests, latency: routeLatency)
        statusClasses = StatusClassReadings(requests: try reader.dictionary { (try $0.string(), try CounterReading(decoding: &$0)) })
        storage = StorageReadings(
            operations: try reader.dictionary { (try $0.string(), try CounterReading(decoding: &$0)) },
            batchWrites: try CounterReading(decoding: &reader), batchCommits: try CounterReading(decoding: &reader),
            durations: try reader.dictionary { (try $0.string(), try HistogramReading(decoding: &$0)) })
        checks = try reader.array { (name: try $0.string(), status: try HealthStatusCode(decoding: &$0)) }
        overallHealth = try HealthStatusCode(decoding: &reader)
        firingAlerts = try reader.array { try $0.string() }
        alerts = try reader.array { reader in
            ActiveAlert(name: try reader.string(), firing: try reader.bool(), value: try reader.double(),
                        threshold: try reader.bool() ? try reader.double() : nil)
        }
        ruleValues = try reader.array { AlertRuleValue(name: try $0.string(), value: try $0.double(), threshold: try $0.double()) }
    }
}

extension StorageReadings {
    init(operations: [String: CounterReading], batchWrites: CounterReading, batchCommits: CounterReading,
         durations: [String: HistogramReading]) {
        self.operations = operations
        self.batchWrites = batchWrites
        self.batchCommits = batchCommits
        self.durations = durations
    }
}

extension CounterReading {
    func encode(to writer: inout IndexByteWriter) {
        writer.encode(series) {
            $0.double($1.value)
            $0.bool($1.isPart)
        }
    }

    init(decoding reader: inout IndexByteReader) throws {
        self.init(series: try reader.dictionary {
            (try $0.string(), Series(value: try $0.double(), isPart: try $0.bool()))
        })
    }
}

extension HistogramReading {
    func encode(to writer: inout IndexByteWriter) {
        writer.encode(series) { writer, series in
            writer.bool(series.count != nil)
            if let count = series.count { writer.integer(count) }
            writer.encode(series.buckets) {
                $0.double($1.upperBound)
                $0.integer($1.cumulativeCount)
            }
        }
    }

    init(decoding reader: inout IndexByteReader) throws {
        self.init(series: try reader.dictionary { reader in
            let key = try reader.string()
            let count = try reader.bool() ? try reader.integer() : nil
            let buckets = try reader.array { HistogramBucket(upperBound: try $0.double(), cumulativeCount: try $0.integer()) }
            return (key, Series(buckets: buckets, count: count))
        })
    }
}

extension HealthStatusCode {
    func encode(to writer: inout IndexByteWriter) { writer.byte(rawValue) }

    init(decoding reader: inout IndexByteReader) throws {
        guard let code = HealthStatusCode(rawValue: try reader.byte()) else { throw IndexBytesError() }
        self = code
    }
}

extension IndexByteWriter {
    /// A count, then each element.
    mutating func encode<Element>(_ elements: [Element], _ body: (inout IndexByteWriter, Element) -> Void) {
        count(elements.count)
        for element in elements { body(&self, element) }
    }

    /// A count, then each entry by ascending key: its key as a string, then `value`.
    mutating func encode<Value>(_ dictionary: [String: Value], value: (inout IndexByteWriter, Value) -> Void) {
        encode(dictionary.sorted { $0.key < $1.key }) {
            $0.string($1.key)
            value(&$0, $1.value)
        }
    }
}

extension IndexByteReader {
    mutating func array<Element>(_ element: (inout IndexByteReader) throws -> Element) throws -> [Element] {
        let count = try count()
        var elements: [Element] = []
        // A count is bounded by the bytes left, not by what they can hold: reserve a little at most.
        elements.reserveCapacity(min(count, 1_024))
        for _ in 0..<count { elements.append(try element(&self)) }
        return elements
    }

    /// As `array`, into a dictionary; a key written twice is damage.
    mutating func dictionary<Key: Hashable, Value>(_ entry: (inout IndexByteReader) throws -> (Key, Value)) throws -> [Key: Value] {
        let count = try count()
        var dictionary: [Key: Value] = [:]
        dictionary.reserveCapacity(min(count, 1_024))
        for _ in 0..<count {
            let (key, value) = try entry(&self)
            guard dictionary.updateValue(value, forKey: key) == nil else { throw IndexBytesError() }
        }
        return dictionary
    }
}
