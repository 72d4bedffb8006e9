extension KVStoreConfiguration {
    /// The live dashboard the server regenerates after each snapshot and serves at `/dashboard`.
    public struct Dashboard: Sendable, Equatable {
        /// One time range of `dashboard.ranges`: a page that shows this much history.
        public struct Range: Sendable, Equatable {
            /// The range as it is written and shown: a number and its unit (`24h`, `90m`, `3600s`).
            public var name: String
            /// Its length in seconds.
            public var seconds: Double

            public init(name: String, seconds: Double) {
                self.name = name
                self.seconds = seconds
            }

            /// The ranges of a fresh configuration: 1h, 6h, 24h and 7d.
            public static let defaults = [
                Range(name: "1h", seconds: 3600), Range(name: "6h", seconds: 6 * 3600),
                Range(name: "24h", seconds: 86_400), Range(name: "7d", seconds: 7 * 86_400),
            ]
            /// The shortest and longest range allowed (1 minute, 365 days).
            public static let allowedSeconds: ClosedRange<Double> = 60...(365 * 86_400)
            /// The most ranges (pages) a dashboard may have.
            public static let maximumCount = 8
        }

        /// Key `dashboard.enabled`.
        public var enabled: Bool
        /// Key `dashboard.dir`: where the generated site is published.
        public var directory: String
        /// Key `dashboard.ranges`: one page per range, the first the landing page; never empty.
        public var ranges: [Range]
        /// Key `dashboard.refresh_seconds`: the page's auto-refresh; 0 = off.
        public var refreshSeconds: Int
        /// Key `dashboard.timezone`: an IANA zone name for the page's times.
        public var timezone: String
        /// Key `dashboard.title`.
        public var title: String
        /// Key `dashboard.templates`: a folder overriding the shipped templates; nil = `templates/`.
        public var templatesDirectory: String?

        public init(enabled: Bool = true, directory: String = "./public", ranges: [Range] = Range.defaults, refreshSeconds: Int = 30,
                    timezone: String = "UTC", title: String = "kvstore", templatesDirectory: String? = nil) {
            self.enabled = enabled
            self.directory = directory
            self.ranges = ranges
            self.refreshSeconds = refreshSeconds
            self.timezone = timezone
            self.title = title
            self.templatesDirectory = templatesDirectory
        }
    }
}
