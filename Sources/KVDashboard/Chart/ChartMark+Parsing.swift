import Foundation
import KVSnapshot

extension ChartMark {
    /// The mark of `TIME=LABEL` (an RFC 3339 time, as `--from` and `--to` take it, then `=` and a
    /// non-empty label, which may hold `=` itself), or why it is not one (naming the bad value).
    public static func parse(_ text: String) -> Result<ChartMark, DashboardError> {
        guard let equals = text.firstIndex(of: "=") else {
            return .failure(.input("'\(text)' is not TIME=LABEL (such as 2026-11-29T01:40:00Z=deploy)"))
        }
        let timeText = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        let label = String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let time = SnapshotTime.parse(timeText) else {
            return .failure(.input("'\(timeText)' in '\(text)' is not an RFC 3339 time (such as 2026-11-29T01:40:00Z)"))
        }
        guard !label.isEmpty else {
            return .failure(.input("'\(text)' has an empty label (TIME=LABEL, such as 2026-11-29T01:40:00Z=deploy)"))
        }
        return .success(ChartMark(time: time.timeIntervalSince1970, label: label))
    }
}
