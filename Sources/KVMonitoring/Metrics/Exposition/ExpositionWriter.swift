import KVSnapshot
/// Appends exposition text into one growing `String`: escaping, numbers, label sets.
struct ExpositionWriter {
    /// How numbers are spelled: Prometheus 0.0.4 (`1`) or OpenMetrics (`1.0`).
    enum NumberStyle {
        case prometheus
        case openMetrics
    }

    private(set) var output: String
    let style: NumberStyle
    /// Written after each sample's value: empty for a scrape, ` <seconds>` for an export's points.
    var timestamp = ""

    init(style: NumberStyle, reservingCapacity capacity: Int) {
        self.style = style
        self.output = ""
        self.output.reserveCapacity(capacity)
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
        self.output.append(text)
    }

    /// `# HELP name text` with `\` and newline escaped (and `"` too in OpenMetrics).
    mutating func appendHelp(name: String, help: String) {
        self.output.append("# HELP ")
        self.output.append(name)
        self.output.append(" ")
        self.appendEscaped(help, escapeQuotes: self.style == .openMetrics)
        self.output.append("\n")
    }

    /// `# TYPE name type`
    mutating func appendType(name: String, type: String) {
        self.output.append("# TYPE ")
        self.output.append(name)
        self.output.append(" ")
        self.output.append(type)
        self.output.append("\n")
    }

    /// The inside of the current series' braces, `a="x",b="y"` (escaped): written once per
    /// series by `startSeries` and copied into each of its lines (a histogram has one per bucket).
    /// Its storage is reused from series to series.
    private var labels = ""
    /// Number texts of the current family's bucket bounds or quantiles, by position.
    private var boundValues: [Double] = []
    private var boundTexts: [String] = []

    /// Renders the label set of the series whose lines follow.
    mutating func startSeries(labelNames: [String], labels values: [String: String]) {
        labels.removeAll(keepingCapacity: true)
        for (index, labelName) in labelNames.enumerated() {
            if index > 0 { labels.append(",") }
            labels.append(labelName)
            labels.append("=\"")
            Self.appendEscaped(values[labelName] ?? "", escapeQuotes: true, to: &labels)
            labels.append("\"")
        }
    }

    /// The text of `value` as the `index`-th bound of the family (kept while the bounds repeat).
    mutating func boundText(_ value: Double, at index: Int) -> String {
        if index < boundValues.count, boundValues[index] == value { return boundTexts[index] }
        var text = ExpositionWriter(style: style, reservingCapacity: 8)
        text.appendNumber(value)
        if index < boundValues.count {
            boundValues[index] = value
            boundTexts[index] = text.output
        } else {
            boundValues.append(value)
            boundTexts.append(text.output)
        }
        return text.output
    }

    /// One sample line of the current series: `name{labels,extra="..."} value`; `extra` a
    /// label (`le`, `quantile`) with its value already written.
    mutating func appendSample(name: String, suffix: String, extra: (name: String, value: String)? = nil, value: Double) {
        self.appendSampleStart(name: name, suffix: suffix, extra: extra)
        self.appendNumber(value)
        self.output.append(timestamp)
        self.output.append("\n")
    }

    /// One sample line with an integer value (bucket and observation counts).
    mutating func appendSample(name: String, suffix: String, extra: (name: String, value: String)? = nil, count: UInt64) {
        self.appendSampleStart(name: name, suffix: suffix, extra: extra)
        self.output.append(String(count))
        self.output.append(timestamp)
        self.output.append("\n")
    }

    private mutating func appendSampleStart(name: String, suffix: String, extra: (name: String, value: String)?) {
        self.output.append(name)
        self.output.append(suffix)
        if !labels.isEmpty || extra != nil {
            self.output.append("{")
            self.output.append(labels)
            if let extra {
                if !labels.isEmpty { self.output.append(",") }
                self.output.append(extra.name)
                self.output.append("=\"")
                self.output.append(extra.value)
                self.output.append("\"")
            }
            self.output.append("}")
        }
        self.output.append(" ")
    }

    /// A float as Prometheus parses it: `NaN`, `+Inf`, `-Inf`, integers without a fraction in
    /// 0.0.4 and with `.0` in OpenMetrics, otherwise Swift's shortest round-tripping form.
    mutating func appendNumber(_ value: Double) {
        if value.isNaN {
            self.output.append("NaN")
        } else if value == .infinity {
            self.output.append("+Inf")
        } else if value == -.infinity {
            self.output.append("-Inf")
        } else if value.rounded(.towardZero) == value, abs(value) < 1e15 {
            self.output.append(String(Int64(value)))
            if self.style == .openMetrics { self.output.append(".0") }
        } else {
            self.output.append(value.description)
        }
    }

    /// Appends `text` with `\` → `\\`, newline → `\n`, and (if asked) `"` → `\"`.
    mutating func appendEscaped(_ text: String, escapeQuotes: Bool) {
        Self.appendEscaped(text, escapeQuotes: escapeQuotes, to: &output)
    }

    static func appendEscaped(_ text: String, escapeQuotes: Bool, to output: inout String) {
        var needsEscaping = false
        for byte in text.utf8
        where byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n") || (escapeQuotes && byte == UInt8(ascii: "\"")) {
            needsEscaping = true
            break
        }
        guard needsEscaping else {
            output.append(text)
            return
        }
        for character in text.unicodeScalars {
            switch character {
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\"" where escapeQuotes: output.append("\\\"")
            default: output.unicodeScalars.append(character)
            }
        }
    }
}
