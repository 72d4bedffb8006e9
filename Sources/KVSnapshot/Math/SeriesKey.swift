/// A stable key for one series of a family: its labels, sorted by name.
public enum SeriesKey {
    /// The key of the series labelled `labels`; equal label sets give equal keys.
    public static func make(_ labels: [String: String]) -> String {
        if labels.isEmpty { return "" }
        if labels.count == 1, let only = labels.first { return only.key + "\u{1}" + only.value }
        return labels.sorted { $0.key < $1.key }.map { $0.key + "\u{1}" + $0.value }.joined(separator: "\u{2}")
    }
}
