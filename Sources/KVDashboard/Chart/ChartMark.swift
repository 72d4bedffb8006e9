/// A moment the user marks on every time chart (`--mark TIME=LABEL`): a labelled vertical line.
public struct ChartMark: Sendable, Equatable {
    /// Seconds since 1970.
    public var time: Double
    /// What happened then (from the user: written as escaped text only).
    public var label: String

    public init(time: Double, label: String) {
        self.time = time
        self.label = label
    }

    /// Labels longer than this are shortened on the chart (the `<title>` and `<desc>` keep them whole).
    static let chartLabelLength = 32

    /// `label` as drawn beside the line: at most `chartLabelLength` characters.
    static func shortened(_ label: String) -> String {
        label.count <= chartLabelLength ? label : String(label.prefix(chartLabelLength - 1)) + "…"
    }
}
