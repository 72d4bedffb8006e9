/// The time-range part of a page's header, the same on node and fleet pages: the links to every
/// range's page (none on a site of one page) and, when the range reaches back before the oldest
/// snapshot, the note that the page starts at the oldest snapshot instead.
struct RangeHeader {
    struct Link {
        var name: String
        var file: String
        var current: Bool
    }

    var links: [Link]
    var hasLinks: Bool
    var note: String
    var hasNote: Bool

    init(options: DashboardOptions, window: DashboardWindow, localTime: LocalTime) {
        links = options.rangeLinks.map { Link(name: $0.name, file: $0.file, current: $0.current) }
        hasLinks = links.count > 1
        if let requested = window.shortenedFrom {
            note = "The history is shorter than this range (\(DurationText.format(requested))): the page starts at the "
                + "oldest snapshot, \(localTime.full(window.from)), \(DurationText.format(window.to - window.from)) before the newest."
        } else {
            note = ""
        }
        hasNote = window.shortenedFrom != nil
    }
}
