/// A stable key for one series of a family: its labels, sorted by name.
public enum SeriesKey {
    /// The key of the series labelled `labels`; equal label sets give equal keys.
    public static func make(_ labels: [String: String]) -> String {
        if labels.isEmpty { return "" }
        if labels.count == 1, let only = labels.first { return only.key + "\u{1}" + only.value }
        // One string grown in place: the same key as joining "name\u{1}value" parts with "\u{2}".
        let pairs = labels.sorted { $0.key < $1.key }
        var key = ""
        key.reserveCapacity(pairs.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 2 })
        for (index, pair) in pairs.enumerated() {
            if index > 0 { key += "\u{2}" }
            key += pair.key
            key += "\u{1}"
            key += pair.value
        }
        return key
    }
}
