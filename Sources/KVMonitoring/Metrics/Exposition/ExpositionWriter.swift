import KVSnapshot
/// Appends exposition text into one growing byte buffer: escaping, numbers, label sets.
///
/// The buffer is its own memory, written through a pointer: an append is a capacity check and a
/// copy. Appending to a `[UInt8]` cost 130 instructions a call in checks and copies, to a `String`
/// more (`scripts/bench/callgrind.sh`), and a scrape makes about ten appends a line.
/// Noncopyable, since two copies would share that memory.
struct ExpositionWriter: ~Copyable {
    /// How numbers are spelled: Prometheus 0.0.4 (`1`) or OpenMetrics (`1.0`).
    enum NumberStyle {
        case prometheus
        case openMetrics
    }

    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    let style: NumberStyle
    /// Written after each sample's value: empty for a scrape, ` <seconds>` for an export's points.
    var timestamp = ""

    init(style: NumberStyle, reservingCapacity capacity: Int) {
        self.style = style
        self.capacity = max(capacity, 16)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The text so far.
    var output: String {
        withBytes { bytes in String(unsafeUninitializedCapacity: bytes.count) { $0.initialize(fromContentsOf: bytes) } }
    }

    /// How many bytes the text so far takes.
    var byteCount: Int { count }

    /// Lends the text so far to `body`, which copies what it keeps: the one copy between this
    /// buffer and an answer's body.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// A rough size to reserve for rendering a registry of `familyCount` families (kvstore's
    /// families average under 1 KB a scrape).
    static func estimatedCapacity(familyCount: Int) -> Int {
        64 + 1024 * familyCount
    }

    /// A rough size to reserve for rendering `families`.
    static func estimatedCapacity(of families: [MetricFamilySnapshot]) -> Int {
        var total = 64
        for family in families {
            total += 2 * family.name.utf8.count + family.help.utf8.count + 32
            for sample in family.samples {
                let lines = 1 + (sample.buckets?.count ?? 0) + (sample.quantiles?.count ?? 0) + (sample.sum == nil ? 0 : 2)
                total += lines * (family.name.utf8.count + 24 + 24 * family.labelNames.count)
            }
        }
        return total
    }

    mutating func append(_ text: String) {
        Self.withUTF8(of: text) { append($0) }
    }

    /// Lends `text`'s UTF-8 bytes: a native or small string's own, without copying the string.
    private static func withUTF8(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if text.utf8.withContiguousStorageIfAvailable(body) == nil {
            var text = text
            text.withUTF8(body)
        }
    }

    mutating func append(_ source: UnsafeBufferPointer<UInt8>) {
        let end = count + source.count
        if end > capacity { grow(toAtLeast: end) }
        if let start = source.baseAddress { (base + count).initialize(from: start, count: source.count) }
        count = end
    }

    private mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toAtLeast: count + 1) }
        (base + count).initialize(to: byte)
        count += 1
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    private mutating func grow(toAtLeast minimum: Int) {
        let grown = max(capacity * 2, minimum)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        moved.moveInitialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = grown
    }

    /// `# HELP name text` with `\` and newline escaped (and `"` too in OpenMetrics).
    mutating func appendHelp(name: String, help: String) {
        self.append("# HELP ")
        self.append(name)
        self.append(" ")
        self.appendEscaped(help, escapeQuotes: self.style == .openMetrics)
        self.append("\n")
    }

    /// `# TYPE name type`
    mutating func appendType(name: String, type: String) {
        self.append("# TYPE ")
        self.append(name)
        self.append(" ")
        self.append(type)
        self.append("\n")
    }

    /// The inside of the current series' braces, `a="x",b="y"` (escaped): written once per
    /// series by `startSeries` and copied into each of its lines (a histogram has one per bucket).
    /// Its storage is reused from series to series.
    private var labels: [UInt8] = []
    /// The start of the current lines that carry one more label (a histogram's buckets, a
    /// summary's quantiles), `name_bucket{a="x",le="`: written once by `startLabeledLines` and
    /// copied into each line, a third of the appends a line would take.
    private var labeledLineStart: [UInt8] = []
    /// Number texts of the current family's bucket bounds or quantiles, by position.
    private var boundValues: [Double] = []
    private var boundTexts: [String] = []

    /// Renders the label set of the series whose lines follow.
    mutating func startSeries(labelNames: [String], labels values: [String: String]) {
        labels.removeAll(keepingCapacity: true)
        for (index, labelName) in labelNames.enumerated() {
            if index > 0 { labels.append(UInt8(ascii: ",")) }
            labels.append(contentsOf: labelName.utf8)
            labels.append(contentsOf: "=\"".utf8)
            Self.appendEscaped(values[labelName] ?? "", escapeQuotes: true, to: &labels)
            labels.append(UInt8(ascii: "\""))
        }
    }

    /// Starts a series whose label text is already written (see ``SeriesTable/Entry``).
    mutating func startSeries(labelText: [UInt8]) {
        labels = labelText
    }

    /// The text of `value` as the `index`-th bound of the family (kept while the bounds repeat).
    mutating func boundText(_ value: Double, at index: Int) -> String {
        if index < boundValues.count, boundValues[index] == value { return boundTexts[index] }
        var writer = ExpositionWriter(style: style, reservingCapacity: 8)
        writer.appendNumber(value)
        let text = writer.output
        if index < boundValues.count {
            boundValues[index] = value
            boundTexts[index] = text
        } else {
            boundValues.append(value)
            boundTexts.append(text)
        }
        return text
    }

    /// One sample line of the current series: `name_suffix{labels} value`.
    mutating func appendSample(name: String, suffix: String, value: Double) {
        self.appendSampleStart(name: name, suffix: suffix)
        self.appendNumber(value)
        self.endLine()
    }

    /// One sample line with an integer value (observation counts).
    mutating func appendSample(name: String, suffix: String, count: UInt64) {
        self.appendSampleStart(name: name, suffix: suffix)
        self.appendInteger(count)
        self.endLine()
    }

    /// Starts the current series' lines that carry one more label, `label` (`le`, `quantile`),
    /// whose value each line gives.
    mutating func startLabeledLines(name: String, suffix: String, label: String) {
        labeledLineStart.removeAll(keepingCapacity: true)
        labeledLineStart.append(contentsOf: name.utf8)
        labeledLineStart.append(contentsOf: suffix.utf8)
        labeledLineStart.append(UInt8(ascii: "{"))
        labeledLineStart.append(contentsOf: labels)
        if !labels.isEmpty { labeledLineStart.append(UInt8(ascii: ",")) }
        labeledLineStart.append(contentsOf: label.utf8)
        labeledLineStart.append(contentsOf: "=\"".utf8)
    }

    /// One line begun by ``startLabeledLines(name:suffix:label:)``: `...label="labelValue"} value`.
    mutating func appendLabeledSample(labelValue: String, value: Double) {
        self.appendLabeledSampleStart(labelValue)
        self.appendNumber(value)
        self.endLine()
    }

    /// One line begun by ``startLabeledLines(name:suffix:label:)`` with an integer value (bucket counts).
    mutating func appendLabeledSample(labelValue: String, count: UInt64) {
        self.appendLabeledSampleStart(labelValue)
        self.appendInteger(count)
        self.endLine()
    }

    private mutating func appendSampleStart(name: String, suffix: String) {
        self.append(name)
        self.append(suffix)
        if !labels.isEmpty {
            self.append(UInt8(ascii: "{"))
            self.append(labels)
            self.append(UInt8(ascii: "}"))
        }
        self.append(UInt8(ascii: " "))
    }

    private mutating func appendLabeledSampleStart(_ labelValue: String) {
        self.append(labeledLineStart)
        self.append(labelValue)
        self.append("\"} ")
    }

    private mutating func endLine() {
        if !timestamp.isEmpty { self.append(timestamp) }
        self.append(UInt8(ascii: "\n"))
    }

    /// A float as Prometheus parses it: `NaN`, `+Inf`, `-Inf`, integers without a fraction in
    /// 0.0.4 and with `.0` in OpenMetrics, otherwise Swift's shortest round-tripping form.
    mutating func appendNumber(_ value: Double) {
        if value.isNaN {
            self.append("NaN")
        } else if value == .infinity {
            self.append("+Inf")
        } else if value == -.infinity {
            self.append("-Inf")
        } else if value.rounded(.towardZero) == value, abs(value) < 1e15 {
            self.appendInteger(Int64(value))
            if self.style == .openMetrics { self.append(".0") }
        } else {
            self.append(value.description)
        }
    }

    /// Appends `text` with `\` → `\\`, newline → `\n`, and (if asked) `"` → `\"`.
    mutating func appendEscaped(_ text: String, escapeQuotes: Bool) {
        Self.escape(text, escapeQuotes: escapeQuotes) { self.append($0) }
    }

    /// Digits of an integer, written without making a `String`.
    private mutating func appendInteger<Integer: BinaryInteger>(_ value: Integer) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // Room for the 20 digits of UInt64.max, on the stack.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var end = buffer.count
            repeat {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            self.append(UnsafeBufferPointer(rebasing: buffer[end...]))
        }
    }

    static func appendEscaped(_ text: String, escapeQuotes: Bool, to output: inout [UInt8]) {
        escape(text, escapeQuotes: escapeQuotes) { output.append(contentsOf: $0) }
    }

    /// Emits `text` in runs: its bytes up to each `\\`, newline or (if asked) `"`, then that
    /// byte's escape, so that text needing none is one run.
    private static func escape(_ text: String, escapeQuotes: Bool, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        withUTF8(of: text) { utf8 in
            var runStart = 0
            for (index, byte) in utf8.enumerated() {
                let escaped: StaticString
                switch byte {
                case UInt8(ascii: "\\"): escaped = "\\\\"
                case UInt8(ascii: "\n"): escaped = "\\n"
                case UInt8(ascii: "\"") where escapeQuotes: escaped = "\\\""
                default: continue
                }
                emit(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                emit(UnsafeBufferPointer(start: escaped.utf8Start, count: escaped.utf8CodeUnitCount))
                runStart = index + 1
            }
            emit(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }
}
