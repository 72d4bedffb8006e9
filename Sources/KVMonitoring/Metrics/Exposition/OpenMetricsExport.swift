import Foundation
import KVSnapshot
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A window of snapshots as one OpenMetrics 1.0 text exposition with timestamps, for
/// `promtool tsdb create-blocks-from openmetrics` (backfilling an archive into Prometheus).
///
/// Each snapshot's samples become MetricPoints at the snapshot's time, every series labelled with
/// its `node`. OpenMetrics wants every MetricFamily written in one piece and each Metric's points
/// together in increasing time, while an archive holds one moment of every family per file; so
/// each family's points go to a temporary file of its own as the snapshots are added (memory holds
/// one snapshot, never the window), and `write` sets them out family by family, series by series.
/// The sample lines are the server's own (`PrometheusTextFormat.appendSample`, OpenMetrics style).
/// No `_created` samples are written: a snapshot does not record when a series was created, and
/// OpenMetrics makes them optional. Instead, a counter, histogram or summary series absent from its
/// node's previous snapshot (new since, or back after a restart) gets a zero point at that
/// snapshot's time: the server creates a series at its first observation, so it was zero then, and
/// without that point Prometheus's `rate()` would drop the series' first increments (it cannot know
/// a new series started at zero) where the dashboard counts them.
public final class OpenMetricsExport {
    /// The label naming each series' node (the snapshot's node id), added to every series that
    /// does not carry it already.
    public static let nodeLabel = "node"

    /// What was left out, for the summary line: snapshots not after the node's previous one (a
    /// clock that went back: their points would be out of order), families whose name OpenMetrics
    /// cannot carry or whose type changed in the window (left out whole), and samples with a label
    /// name it cannot carry, counters without a value, or samples not after their series' previous point.
    public private(set) var skippedSnapshots = 0
    public private(set) var skippedFamilies: Set<String> = []
    public private(set) var skippedSamples = 0
    /// The snapshots and MetricPoints added.
    public private(set) var snapshots = 0
    public private(set) var points = 0

    private final class Family {
        let name: String
        let type: MetricType
        let help: String
        let unit: String?
        let labelNames: [String]
        var metrics: [String: UInt32] = [:]
        /// Each metric's newest point, by id: a point not after it is left out (OpenMetrics wants them in increasing time).
        var newest: [Date] = []
        let path: String
        let file: UnsafeMutablePointer<FILE>

        init(_ family: MetricFamilySnapshot, path: String, file: UnsafeMutablePointer<FILE>) {
            name = family.name
            type = family.type
            help = family.help
            unit = family.unit
            labelNames = family.labelNames + (family.labelNames.contains(OpenMetricsExport.nodeLabel) ? [] : [OpenMetricsExport.nodeLabel])
            self.path = path
            self.file = file
        }
    }

    private let folder: String
    private var families: [String: Family] = [:]
    private var newest: [String: Date] = [:]

    /// An export whose temporary files go into a new folder under `temporaryDirectory` (removed
    /// when the export is released).
    public init(temporaryDirectory: String = NSTemporaryDirectory()) throws {
        folder = temporaryDirectory + "/kvstore-export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit {
        for family in families.values { fclose(family.file) }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Adds one snapshot's samples at its time. Snapshots of a node must come in time order.
    public func add(_ snapshot: Snapshot) throws {
        let previous = newest[snapshot.nodeID]
        if let previous, snapshot.time <= previous {
            skippedSnapshots += 1
            return
        }
        newest[snapshot.nodeID] = snapshot.time
        snapshots += 1
        let timestamp = " " + Self.timestampText(snapshot.time)
        for metric in snapshot.metrics {
            guard let family = try family(for: metric) else { continue }
            for sample in metric.samples {
                var labels = sample.labels
                if labels[Self.nodeLabel] == nil { labels[Self.nodeLabel] = snapshot.nodeID }
                // A counter's total is a number (OpenMetrics allows no NaN there); a sample without one is left out.
                guard labels.keys.allSatisfy(Self.isLabelName), family.type != .counter || sample.value?.isNaN == false else {
                    skippedSamples += 1
                    continue
                }
                // The family's label order, then any other label of this sample by name; absent labels are not written.
                let names = family.labelNames.filter { labels[$0] != nil } + labels.keys.filter { !family.labelNames.contains($0) }.sorted()
                let key = SeriesKey.make(labels)
                let id = family.metrics[key] ?? UInt32(family.metrics.count)
                let isNew = Int(id) == family.newest.count
                if !isNew, family.newest[Int(id)] >= snapshot.time {
                    // The same series twice at one time, or a node's series another node also labels as its own.
                    skippedSamples += 1
                    continue
                }
                // A counting series absent from the node's previous snapshot (new, or back after a restart)
                // was zero there: the server creates a series at its first observation.
                if let previous, family.type != .gauge, isNew || family.newest[Int(id)] < previous {
                    try record(id, Self.zeroPoint(of: family, like: sample, names: names, labels: labels, at: previous), to: family)
                    points += 1
                }
                if isNew {
                    family.metrics[key] = id
                    family.newest.append(snapshot.time)
                } else {
                    family.newest[Int(id)] = snapshot.time
                }
                var writer = ExpositionWriter(style: .openMetrics, reservingCapacity: 256)
                writer.timestamp = timestamp
                writer.startSeries(labelNames: names, labels: labels)
                PrometheusTextFormat.appendSample(sample, type: family.type, sampleName: OpenMetricsTextFormat.familyName(family.name, family.type),
                                                  counterSuffix: "_total", to: &writer)
                try record(id, writer.output, to: family)
                points += 1
            }
        }
    }

    /// Writes the exposition (ending `# EOF`) to `output`, families by name, each Metric's points
    /// in time order.
    public func write(to output: UnsafeMutablePointer<FILE>) throws {
        for family in families.values.sorted(by: { $0.name < $1.name }) where !skippedFamilies.contains(family.name) {
            var header = ExpositionWriter(style: .openMetrics, reservingCapacity: 256)
            OpenMetricsTextFormat.appendHeader(name: family.name, type: family.type, help: family.help, unit: family.unit, to: &header)
            try put(header.output, to: output)
            guard fflush(family.file) == 0 else { throw Self.failure("cannot write a temporary file in \(folder)") }
            let data = try Data(contentsOf: URL(fileURLWithPath: family.path), options: .alwaysMapped)
            try data.withUnsafeBytes { bytes in
                // Each record: the metric's id and the length of its text (4 bytes each), then the text.
                var records = [[Range<Int>]](repeating: [], count: family.metrics.count)
                var offset = 0
                while offset + 8 <= bytes.count {
                    let id = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                    let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
                    records[id].append(offset + 8..<offset + 8 + length)
                    offset += 8 + length
                }
                for metric in records {
                    for range in metric {
                        let text = UnsafeRawBufferPointer(rebasing: bytes[range])
                        guard fwrite(text.baseAddress, 1, text.count, output) == text.count else {
                            throw Self.failure("cannot write the export")
                        }
                    }
                }
            }
        }
        try put("# EOF\n", to: output)
        guard fflush(output) == 0 else { throw Self.failure("cannot write the export") }
    }

    // MARK: - Families

    private func family(for metric: MetricFamilySnapshot) throws -> Family? {
        if let family = families[metric.name] {
            guard family.type == metric.type else {
                skippedFamilies.insert(metric.name)
                return nil
            }
            return family
        }
        guard !skippedFamilies.contains(metric.name), Self.isMetricName(metric.name),
              metric.labelNames.allSatisfy(Self.isLabelName) else {
            skippedFamilies.insert(metric.name)
            return nil
        }
        let path = folder + "/\(families.count).records"
        guard let file = fopen(path, "w+") else { throw Self.failure("cannot create a temporary file in \(folder)") }
        let family = Family(metric, path: path, file: file)
        families[metric.name] = family
        return family
    }

    /// The lines of a counting series at zero (a counter's `_total`, a histogram's buckets as
    /// `sample` has them, `_sum` and `_count`, a summary's `_sum` and `_count`) at `time`.
    private static func zeroPoint(of family: Family, like sample: MetricSample, names: [String], labels: [String: String],
                                  at time: Date) -> String {
        var writer = ExpositionWriter(style: .openMetrics, reservingCapacity: 256)
        writer.timestamp = " " + timestampText(time)
        writer.startSeries(labelNames: names, labels: labels)
        let zero: MetricSample
        switch family.type {
        case .counter, .gauge: zero = MetricSample(labels: labels, value: 0)
        case .histogram:
            // Every bucket at zero: each is a series of its own in Prometheus.
            let buckets = (sample.buckets ?? []).map { HistogramBucket(upperBound: $0.upperBound, cumulativeCount: 0) }
            zero = MetricSample(labels: labels, buckets: buckets, sum: 0, count: 0)
        case .summary: zero = MetricSample(labels: labels, quantiles: [], sum: 0, count: 0)
        }
        PrometheusTextFormat.appendSample(zero, type: family.type, sampleName: OpenMetricsTextFormat.familyName(family.name, family.type),
                                          counterSuffix: "_total", to: &writer)
        return writer.output
    }

    private func record(_ id: UInt32, _ text: String, to family: Family) throws {
        var header = (id.littleEndian, UInt32(text.utf8.count).littleEndian)
        var text = text
        let written = withUnsafeBytes(of: &header) { fwrite($0.baseAddress, 1, 8, family.file) }
            + text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, family.file) }
        guard written == 8 + text.utf8.count else { throw Self.failure("cannot write a temporary file in \(folder)") }
    }

    private func put(_ text: String, to output: UnsafeMutablePointer<FILE>) throws {
        var text = text
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, output) }
        guard written == text.utf8.count else { throw Self.failure("cannot write the export") }
    }

    // MARK: - Names and numbers

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { isNameByte($0) || $0 == UInt8(ascii: ":") }
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, not starting `__` (reserved).
    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first), !name.hasPrefix("__") else {
            return false
        }
        return name.utf8.allSatisfy(isNameByte)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }

    /// Seconds since 1970 with the millisecond of the snapshot's name: `1764000000.125`.
    static func timestampText(_ time: Date) -> String {
        let milliseconds = Int64((time.timeIntervalSince1970 * 1000).rounded())
        // The sign, then the magnitude's seconds and milliseconds: half a second before 1970 is `-0.500`.
        let (seconds, fraction) = milliseconds.magnitude.quotientAndRemainder(dividingBy: 1000)
        let digits = String(fraction)
        return (milliseconds < 0 ? "-" : "") + "\(seconds)." + String(repeating: "0", count: 3 - digits.count) + digits
    }

    private static func failure(_ message: String) -> SnapshotError {
        SnapshotError(.io, file: "export", message: message)
    }
}
