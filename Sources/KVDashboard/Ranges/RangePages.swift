import Foundation

/// The pages of a site with several time ranges, all in one folder: the first range at `index.html`
/// (the landing page), each other at `range-<name>.html`, every page linking to the others with plain
/// links. Each page is rendered as a page of its own (`.last(seconds)`), from the same data.
public struct RangePages: Sendable, Equatable {
    /// The ranges, the landing page's first.
    public let ranges: [DashboardRange]

    /// Nil unless `ranges` is non-empty and no two share a name or a length.
    public init?(_ ranges: [DashboardRange]) {
        guard !ranges.isEmpty, Set(ranges.map(\.name)).count == ranges.count,
              Set(ranges.map(\.seconds)).count == ranges.count else { return nil }
        self.ranges = ranges
    }

    /// The longest range's seconds: how much history the site needs.
    public var longestSeconds: Double { ranges.map(\.seconds).max() ?? 0 }

    /// The window that covers every page.
    public var longestWindow: DashboardOptions.Window { .last(longestSeconds) }

    /// The page name (without `.html`) of the range at `index`: `index` for the first, else `range-<name>`.
    public func pageName(at index: Int) -> String {
        index == 0 ? DashboardOptions.landingPageName : "range-" + ranges[index].name
    }

    /// `base` for the page of the range at `index`: its window, its file name, its links to the other
    /// ranges, and "refresh now" (when `base` has it) pointing at itself.
    public func options(at index: Int, base: DashboardOptions) -> DashboardOptions {
        var options = base
        options.window = .last(ranges[index].seconds)
        options.pageName = pageName(at: index)
        options.rangeLinks = ranges.indices.map { other in
            DashboardOptions.RangeLink(name: ranges[other].name, file: pageName(at: other) + ".html", current: other == index)
        }
        if base.refreshLink != nil { options.refreshLink = options.pagePath }
        return options
    }

    /// Renders each range's page with `render` (given that page's options) and joins the files into one site.
    public func render(base: DashboardOptions, _ render: (DashboardOptions) throws -> RenderedSite) rethrows -> RenderedSite {
        var files: [String: Data] = [:]
        for index in ranges.indices {
            files.merge(try render(options(at: index, base: base)).files) { _, new in new }
        }
        return RenderedSite(files: files)
    }
}
