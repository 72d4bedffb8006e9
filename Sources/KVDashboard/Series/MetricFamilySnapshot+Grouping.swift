import KVSnapshot

extension MetricFamilySnapshot {
    /// The samples grouped by `key` (nil: left out), each group a family of its own with the same
    /// name, type and help, ready for `CounterReading` or `HistogramReading`.
    func grouped<Key: Hashable>(by key: (MetricSample) -> Key?) -> [Key: MetricFamilySnapshot] {
        var groups: [Key: [MetricSample]] = [:]
        for sample in samples {
            guard let group = key(sample) else { continue }
            groups[group, default: []].append(sample)
        }
        return groups.mapValues { samples in
            var part = self
            part.samples = samples
            return part
        }
    }
}
