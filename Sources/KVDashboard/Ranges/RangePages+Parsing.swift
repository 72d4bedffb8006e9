import Foundation
import KVSnapshot

extension RangePages {
    /// The ranges of the live server's default `dashboard.ranges`, and of `generate` without a window option.
    public static let defaultList = "1h,6h,24h,7d"

    /// The ranges of a comma-separated list of durations (`1h,6h,24h,7d`; each as `DurationSyntax` reads
    /// it, named as written), or why it is not one.
    public static func parse(_ list: String) -> Result<RangePages, DashboardError> {
        var ranges: [DashboardRange] = []
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let name = item.trimmingCharacters(in: .whitespaces)
            guard let seconds = DurationSyntax.seconds(name), let range = DashboardRange(name: name, seconds: seconds) else {
                return .failure(.input("'\(name)' is not a duration such as 90m, 24h or 7d (list: \(list))"))
            }
            guard !ranges.contains(where: { $0.seconds == seconds }) else {
                return .failure(.input("'\(name)' is a range the list already has (list: \(list))"))
            }
            ranges.append(range)
        }
        // Never nil here: the list is non-empty (split gives at least one item) and has no repeats.
        return .success(RangePages(ranges)!)
    }
}
