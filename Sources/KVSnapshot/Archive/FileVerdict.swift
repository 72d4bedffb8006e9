/// The result of checking one file of an archive folder (`SnapshotArchive.verify()`).
public struct FileVerdict: Sendable, Equatable, CustomStringConvertible {
    /// The file name (no folder).
    public var name: String
    /// Its size in bytes.
    public var bytes: Int
    /// What is wrong with it; nil when it is a valid snapshot that matches its name.
    public var problem: SnapshotError?

    /// Whether the file is a valid snapshot.
    public var isValid: Bool { problem == nil }

    /// `name: ok` or `name: reason`, one line for a command-line report.
    public var description: String {
        if let problem { "\(name): \(problem.message)" } else { "\(name): ok" }
    }

    /// One summary line: `12 files checked: 10 valid, 2 bad`.
    public static func summary(_ verdicts: [FileVerdict]) -> String {
        let bad = verdicts.filter { !$0.isValid }.count
        let files = verdicts.count == 1 ? "file" : "files"
        return "\(verdicts.count) \(files) checked: \(verdicts.count - bad) valid, \(bad) bad"
    }
}
