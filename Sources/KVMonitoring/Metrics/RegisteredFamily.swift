import KVSnapshot
/// What the registry needs from every family: its declaration, its shape, and a snapshot.
protocol RegisteredFamily: AnyObject, Sendable {
    /// The descriptor the family was registered with.
    var descriptor: MetricDescriptor { get }
    /// Bucket bounds or quantiles and window: registering again must match them too.
    var shape: FamilyShape { get }
    /// Every series, sorted by label values.
    func snapshot() -> MetricFamilySnapshot
}

/// The creation parameters beyond the descriptor that a second registration must repeat.
enum FamilyShape: Equatable, Sendable {
    case plain
    case histogram(upperBounds: [Double])
    case summary(quantiles: [Double], window: Double)
}

extension Array where Element == String {
    /// Pairs label names with these values, as a dictionary for a snapshot sample.
    func labelDictionary(values: [String]) -> [String: String] {
        var result = [String: String](minimumCapacity: self.count)
        for (name, value) in zip(self, values) {
            result[name] = value
        }
        return result
    }
}
