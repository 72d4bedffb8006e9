/// One time range of a dashboard site: a page that shows `seconds` of history up to the newest snapshot.
public struct DashboardRange: Sendable, Equatable {
    /// How the range is shown and named in file names: `24h`, `90m`, `1h30m`.
    public var name: String
    /// Its length in seconds.
    public var seconds: Double

    /// Nil unless `name` is 1 to 32 characters of `0-9`, `a-z` and `.` and `seconds` is positive and finite.
    public init?(name: String, seconds: Double) {
        guard (1...32).contains(name.utf8.count), seconds > 0, seconds.isFinite,
              name.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                  || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: ".") })
        else { return nil }
        self.name = name
        self.seconds = seconds
    }
}
