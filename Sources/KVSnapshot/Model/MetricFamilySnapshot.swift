/// Every series of one metric family, read at one moment, as plain values.
///
/// Values may be NaN or ±Inf: encode with a `JSONEncoder` whose
/// `nonConformingFloatEncodingStrategy` names them (e.g. `"NaN"`, `"+Inf"`, `"-Inf"`).
public struct MetricFamilySnapshot: Codable, Sendable, Equatable {
    /// The family name.
    public var name: String
    /// The help text, unescaped.
    public var help: String
    /// The kind of metric.
    public var type: MetricType
    /// The base unit, if any.
    public var unit: String?
    /// Label names in declaration order (every sample has a value for each).
    public var labelNames: [String]
    /// The series, sorted by label values.
    public var samples: [MetricSample]

    /// Creates a snapshot.
    public init(name: String, help: String, type: MetricType, unit: String? = nil, labelNames: [String] = [], samples: [MetricSample]) {
        self.name = name
        self.help = help
        self.type = type
        self.unit = unit
        self.labelNames = labelNames
        self.samples = samples
    }

    enum CodingKeys: String, CodingKey {
        case name, help, type, unit, samples
        case labelNames = "label_names"
    }
}
