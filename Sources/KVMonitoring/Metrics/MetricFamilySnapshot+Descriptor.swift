import KVSnapshot

extension MetricFamilySnapshot {
    /// A family snapshot named and typed by its descriptor.
    public init(descriptor: MetricDescriptor, samples: [MetricSample]) {
        self.init(
            name: descriptor.name,
            help: descriptor.help,
            type: descriptor.type,
            unit: descriptor.unit,
            labelNames: descriptor.labelNames,
            samples: samples
        )
    }
}
