import Foundation
import KVSnapshot

/// The inputs of one evaluation: the values one snapshot holds, at the time it was taken.
public struct AlertObservation: Sendable, Equatable {
    /// When the values were read.
    public var time: Date
    public var health: HealthReport
    /// Every metric family, as `MetricsRegistry.snapshot()` returns them.
    public var metrics: [MetricFamilySnapshot]

    /// Creates an observation.
    public init(time: Date, health: HealthReport, metrics: [MetricFamilySnapshot]) {
        self.time = time
        self.health = health
        self.metrics = metrics
    }

    /// The observation of a snapshot already taken.
    public init(snapshot: Snapshot) {
        self.init(time: snapshot.time, health: snapshot.health, metrics: snapshot.metrics)
    }

    /// The family called `name`, if present.
    func family(_ name: String) -> MetricFamilySnapshot? {
        self.metrics.first { $0.name == name }
    }

    /// The first sample's value of the gauge `name`, if present and finite.
    func gaugeValue(_ name: String) -> Double? {
        guard let value = self.family(name)?.samples.first?.value, value.isFinite else { return nil }
        return value
    }
}
