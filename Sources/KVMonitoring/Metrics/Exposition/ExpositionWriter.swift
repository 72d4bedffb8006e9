import KVSnapshot
/// Appends exposition text into one growing byte array: escaping, numbers, label sets.
struct ExpositionWriter {
    /// How numbers are spelled: Prometheus 0.0.4 (`1`) or OpenMetrics (`1.0`).
    enum NumberStyle {
        case prometheus
        case openMetrics
    }

    /// The text so far, as UTF-8 bytes: appending bytes costs a tenth of appending to a
    /// `String`, which checks and recounts its storage on every append (7 of the 12 million
    /// instructions a 546-sample scrape took, in `scripts/bench/callgrind.sh`).
    private(set) var bytes: [UInt8] = []
    let style: NumberStyle
    /// Written after each sample's value: empty for a scrape, ` <seconds>` for an export's points.
    var timestamp = ""

    init(style: NumberStyle, reservingCapacity capacity: Int) {
        self.style = style
        self.bytes.reserveCapacity(capacity)
    }

    /// The text so far.
    var output: String { String(decoding: bytes, as: UTF8.self) }

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
        // As one copy of the string's own bytes (native and small strings have them), not byte by byte.
        if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: text.utf8)
        }
    }

    private mutating func append(_ byte: UInt8) {
        bytes.append(byte)
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

    /// One sample line of the current series: `name{labels,extra="..."} value`; `extra` a
    /// label (`le`, `quantile`) with its value already written.
    mutating func appendSample(name: String, suffix: String, extra: (name: String, value: String)? = nil, value: Double) {
        self.appendSampleStart(name: name, suffix: suffix, extra: extra)
        self.appendNumber(value)
        if !timestamp.isEmpty { self.append(timestamp) }
        self.append("\n")
    }

    /// One sample line with an integer value (bucket and observation counts).
    mutating func appendSample(name: String, suffix: String, extra: (name: String, value: String)? = nil, count: UInt64) {
        self.appendSampleStart(name: name, suffix: suffix, extra: extra)
        self.appendInteger(count)
        if !timestamp.isEmpty { self.append(timestamp) }
        self.append("\n")
    }

    private mutating func appendSampleStart(name: String, suffix: String, extra: (name: String, value: String)?) {
        self.append(name)
        self.append(suffix)
        if !labels.isEmpty || extra != nil {
            self.append(UInt8(ascii: "{"))
            bytes.append(contentsOf: labels)
            if let extra {
                if !labels.isEmpty { self.append(",") }
                self.append(extra.name)
                self.append("=\"")
                self.append(extra.value)
                self.append("\"")
            }
            self.append("}")
        }
        self.append(" ")
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
        Self.appendEscaped(text, escapeQuotes: escapeQuotes, to: &bytes)
    }

    /// Digits of an integer, written without making a `String`.
    private mutating func appendInteger<Integer: BinaryInteger>(_ value: Integer) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var end = buffer.count
            repeat {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            bytes.append(contentsOf: buffer[end...])
        }
    }

    static func appendEscaped(_ text: String, escapeQuotes: Bool, to output: inout [UInt8]) {
        var needsEscaping = false
        for byte in text.utf8
        where byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n") || (escapeQuotes && byte == UInt8(ascii: "\"")) {
            needsEscaping = true
            break
        }
        guard needsEscaping else {
            if text.utf8.withContiguousStorageIfAvailable({ output.append(contentsOf: $0) }) == nil {
                output.append(contentsOf: text.utf8)
            }
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): output.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): output.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\"") where escapeQuotes: output.append(contentsOf: "\\\"".utf8)
            default: output.append(byte)
            }
        }
    }
}
