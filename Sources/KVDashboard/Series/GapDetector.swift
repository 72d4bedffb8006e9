/// Decides whether the time between two snapshots means the server was down, from the median of
/// the recent intervals. Constant work per interval (a fixed-size ring of recent intervals).
struct GapDetector: Sendable {
    /// An interval longer than this many medians is a gap.
    static let factor = 2.5
    private static let capacity = 63

    private var recent: [Double] = []
    private var next = 0

    /// The median of the recent intervals; nil before the first one.
    var typicalInterval: Double? {
        guard !recent.isEmpty else { return nil }
        let sorted = recent.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Whether `interval` is a gap compared with the intervals seen so far; then records it.
    mutating func isGap(_ interval: Double) -> Bool {
        let gap = typicalInterval.map { interval > Self.factor * $0 } ?? false
        if recent.count < Self.capacity {
            recent.append(interval)
        } else {
            recent[next] = interval
            next = (next + 1) % Self.capacity
        }
        return gap
    }
}
