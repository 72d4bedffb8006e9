/// The one rule for "the newest snapshot is too old": older than `staleAfter`, else than three
/// usual intervals; off when the options say so (post-mortem pages of a past window).
struct Staleness {
    let options: DashboardOptions

    /// Whether a newest snapshot `age` seconds old (nil: none in the window) is stale, and the
    /// banner's text when it is.
    func judge(age: Double?, typicalInterval: Double?) -> (stale: Bool, message: String) {
        guard options.warnWhenStale else { return (false, "") }
        guard let age else { return (true, "No snapshot in this window: the page shows no current data.") }
        guard let limit = limit(typicalInterval: typicalInterval) else { return (false, "") }
        guard age > limit else { return (false, "") }
        return (true, "Stale data: the newest snapshot is \(DurationText.format(age)) old "
            + "(more than \(DurationText.format(limit))). Is the server running and writing snapshots?")
    }

    /// The age above which a snapshot is stale; nil when unknown (no `staleAfter`, no interval yet).
    func limit(typicalInterval: Double?) -> Double? {
        options.staleAfter ?? typicalInterval.map { $0 * 3 }
    }
}
