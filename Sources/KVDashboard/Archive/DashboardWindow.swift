import Foundation

/// The concrete stretch of time a page covers: a requested `DashboardOptions.Window` resolved
/// against the snapshots there are. The one place that says where `.last(d)` starts and ends.
public struct DashboardWindow: Sendable, Equatable {
    /// The start, seconds since 1970 (included).
    public var from: Double
    /// The end, seconds since 1970 (included).
    public var to: Double
    /// For `.last(d)` whose `d` reaches back before the oldest snapshot: `d`. The window then starts at
    /// the oldest snapshot instead, so that the charts fill their width, and the page says so.
    public var shortenedFrom: Double?

    /// An exact window.
    public init(from: Double, to: Double) {
        self.from = from
        self.to = to
    }

    /// `requested` made concrete: `.between` as given; `.last(d)` the `d` seconds up to `newest`,
    /// the time of the newest snapshot (seconds since 1970), but starting no earlier than `oldest`, the
    /// time of the oldest snapshot there is, when that is before `newest`. Nil for `.last` with no
    /// snapshot to end at.
    public init?(_ requested: DashboardOptions.Window, newest: Double?, oldest: Double? = nil) {
        switch requested {
        case .last(let seconds):
            guard let end = newest else { return nil }
            self.init(from: end - seconds, to: end)
            if let oldest, oldest > from, oldest < end {
                from = oldest
                shortenedFrom = seconds
            }
        case .between(let start, let end):
            self.init(from: start, to: end)
        }
    }

    /// Whether `time` (seconds since 1970) is inside, both ends included.
    public func contains(_ time: Double) -> Bool {
        time >= from && time <= to
    }

    /// The start as a `Date`.
    public var fromDate: Date { Date(timeIntervalSince1970: from) }
    /// The end as a `Date`.
    public var toDate: Date { Date(timeIntervalSince1970: to) }
}
