import KVSnapshot
import Foundation

/// What the generated page shows and how.
public struct DashboardOptions: Sendable {
    /// Which stretch of time the charts cover.
    public enum Window: Sendable, Equatable {
        /// The given seconds up to the newest snapshot.
        case last(Double)
        /// An exact window (seconds since 1970).
        case between(from: Double, to: Double)
    }

    /// A link from a page to the page of one time range (see `RangePages`).
    public struct RangeLink: Sendable, Equatable {
        /// The range, as shown: `24h`.
        public var name: String
        /// The page's file, relative to the page that links to it: `range-24h.html`.
        public var file: String
        /// Whether it is the page that shows the link.
        public var current: Bool
    }

    /// The name of the landing page, `index`.
    public static let landingPageName = "index"

    /// The page's title (shown escaped).
    public var title: String
    /// The zone every time on the page is shown in.
    public var timeZone: TimeZone
    /// Seconds between automatic reloads (`<meta http-equiv="refresh">`); 0 turns it off.
    public var refreshSeconds: Int
    public var window: Window
    /// Age after which the newest snapshot counts as stale; nil: three times the usual interval.
    public var staleAfter: Double?
    /// Whether to check staleness at all (off for post-mortem pages of a past window).
    public var warnWhenStale: Bool
    /// A link target for "refresh now" (a fixed relative URL such as `./`); nil hides it.
    public var refreshLink: String?
    /// A link target back to the fleet overview (a fixed relative URL such as `../../index.html`);
    /// nil hides it. Set on the node pages of a fleet site.
    public var overviewLink: String?
    /// The page's file name without `.html`; the landing page is `index`. Its chart files are
    /// `charts/<id>.svg` on the landing page and `charts/<pageName>-<id>.svg` on another.
    public var pageName: String = Self.landingPageName
    /// Links to the pages of the site's time ranges, in order; empty on a site with one page.
    public var rangeLinks: [RangeLink] = []
    /// Moments to mark on every time chart (`--mark TIME=LABEL`), on every page of the site.
    public var marks: [ChartMark] = []
    /// The service level objectives shown in the page's objectives table (none: no table).
    public var objectives: [ServiceLevelObjective] = ServiceLevelObjective.defaults
    /// The period the objectives are judged over (the window's end back by this much, at most the window).
    public var objectivePeriodSeconds: Double = ServiceLevelObjective.defaultPeriodSeconds

    /// The page's file, relative to its folder: `index.html`, `range-6h.html`.
    public var pagePath: String { pageName + ".html" }

    /// The file of the chart `id`, relative to the page's folder.
    func chartPath(_ id: String) -> String {
        pageName == Self.landingPageName ? "charts/\(id).svg" : "charts/\(pageName)-\(id).svg"
    }

    public init(title: String = "kvstore dashboard", timeZone: TimeZone = TimeZone(identifier: "UTC")!,
                refreshSeconds: Int = 0, window: Window = .last(86_400), staleAfter: Double? = nil,
                warnWhenStale: Bool = true, refreshLink: String? = nil, overviewLink: String? = nil) {
        self.title = title
        self.timeZone = timeZone
        self.refreshSeconds = refreshSeconds
        self.window = window
        self.staleAfter = staleAfter
        self.warnWhenStale = warnWhenStale
        self.refreshLink = refreshLink
        self.overviewLink = overviewLink
    }
}
