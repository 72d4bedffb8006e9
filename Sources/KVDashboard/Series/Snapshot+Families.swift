import KVSnapshot

extension Snapshot {
    /// The family called `name`, if the snapshot has it.
    func family(named name: KVMetricName) -> MetricFamilySnapshot? {
        metrics.first { $0.name == name.rawValue }
    }

    /// The sum of the finite values of family `name`'s samples; nil when it has none.
    func gaugeSum(named name: KVMetricName) -> Double? {
        guard let family = family(named: name) else { return nil }
        let values = family.samples.compactMap(\.value).filter(\.isFinite)
        return values.isEmpty ? nil : values.reduce(0, +)
    }
}
