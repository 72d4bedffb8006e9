/// Pure parsers for the `/proc` files the process collector reads.
public enum ProcessStatsParser {
    /// Fields of `/proc/[pid]/stat` that matter here, in raw units.
    public struct StatFields: Sendable, Equatable {
        /// User plus system time in clock ticks.
        public var cpuTicks: Double
        /// Start time in clock ticks after boot.
        public var startTicks: Double
        /// Virtual memory size in bytes.
        public var virtualBytes: Double
        /// Resident set size in pages.
        public var residentPages: Double
        /// Threads.
        public var threads: Double
    }

    /// Parses `/proc/[pid]/stat`; the command name may contain spaces and parentheses.
    public static func parseStat(_ text: String) -> StatFields? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state); field N is at index N - 3.
        func field(_ number: Int) -> Double? {
            let index = number - 3
            guard index >= 0, index < fields.count else { return nil }
            return Double(fields[index].trimmingCharacters())
        }
        guard let utime = field(14), let stime = field(15), let threads = field(20), let start = field(22),
            let vsize = field(23), let rss = field(24)
        else { return nil }
        return StatFields(cpuTicks: utime + stime, startTicks: start, virtualBytes: vsize, residentPages: rss, threads: threads)
    }

    /// The `Threads:` count from `/proc/[pid]/status`.
    public static func parseThreads(status text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("Threads:") {
            return Double(line.dropFirst("Threads:".count).trimmingCharacters())
        }
        return nil
    }

    /// The soft `Max open files` limit from `/proc/[pid]/limits` (`+Inf` when unlimited).
    public static func parseMaxOpenFiles(limits text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("Max open files") {
            let rest = line.dropFirst("Max open files".count).split(separator: " ", omittingEmptySubsequences: true)
            guard let soft = rest.first else { return nil }
            return soft == "unlimited" ? .infinity : Double(soft)
        }
        return nil
    }

    /// The boot time (`btime`, seconds since the epoch) from `/proc/stat`.
    public static func parseBootTime(stat text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count).trimmingCharacters())
        }
        return nil
    }
}

extension Substring {
    /// The text without surrounding spaces, tabs and newlines.
    fileprivate func trimmingCharacters() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" }
        guard let start = self.firstIndex(where: { !isSpace($0) }), let end = self.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[start...end]
    }
}
