import KVSnapshot
/// The name, help text, type, label names and unit of one metric family, declared once.
public struct MetricDescriptor: Sendable, Hashable, Codable {
    /// The family name, e.g. `kvstore_http_requests_total`.
    public let name: String
    /// One line saying what the family measures.
    public let help: String
    /// The kind of metric.
    public let type: MetricType
    /// Label names, fixed for the life of the family; values are given in this order.
    public let labelNames: [String]
    /// The base unit (`seconds`, `bytes`), or nil for a plain count or ratio.
    public let unit: String?

    /// Creates a descriptor.
    public init(name: String, help: String, type: MetricType, labelNames: [String] = [], unit: String? = nil) {
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
        self.unit = unit
    }

    /// Creates the descriptor of one of kvstore's own families, named by `KVMetricName`.
    public init(name: KVMetricName, help: String, type: MetricType, labelNames: [String] = [], unit: String? = nil) {
        self.init(name: name.rawValue, help: help, type: type, labelNames: labelNames, unit: unit)
    }
}
