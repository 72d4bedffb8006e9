extension KVStoreConfiguration {
    /// The live dashboard the server regenerates after each snapshot and serves at `/dashboard`.
    public struct Dashboard: Sendable, Equatable {
        /// Key `dashboard.enabled`.
        public var enabled: Bool
        /// Key `dashboard.dir`: where the generated site is published.
        public var directory: String
        /// Key `dashboard.window`: seconds of history the page shows.
        public var windowSeconds: Double
        /// Key `dashboard.refresh_seconds`: the page's auto-refresh; 0 = off.
        public var refreshSeconds: Int
        /// Key `dashboard.timezone`: an IANA zone name for the page's times.
        public var timezone: String
        /// Key `dashboard.title`.
        public var title: String
        /// Key `dashboard.templates`: a folder overriding the shipped templates; nil = `templates/`.
        public var templatesDirectory: String?

        public init(enabled: Bool = true, directory: String = "./public", windowSeconds: Double = 86400, refreshSeconds: Int = 30,
                    timezone: String = "UTC", title: String = "kvstore", templatesDirectory: String? = nil) {
            self.enabled = enabled
            self.directory = directory
            self.windowSeconds = windowSeconds
            self.refreshSeconds = refreshSeconds
            self.timezone = timezone
            self.title = title
            self.templatesDirectory = templatesDirectory
        }
    }
}
