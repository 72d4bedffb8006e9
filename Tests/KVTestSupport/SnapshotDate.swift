import Foundation
import KVSnapshot

extension Date {
    /// The instant an RFC 3339 text names (`SnapshotTime.parse`), for fixtures written as text.
    /// Stops the test run when the text is not one.
    public init(snapshotTime text: String) {
        guard let date = SnapshotTime.parse(text) else { preconditionFailure("not an RFC 3339 date-time: \(text)") }
        self = date
    }
}
