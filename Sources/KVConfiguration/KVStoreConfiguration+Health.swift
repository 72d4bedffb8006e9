extension KVStoreConfiguration {
    /// The background health checks: their schedule, thresholds and the HTTP dependencies they probe.
    public struct Health: Sendable, Equatable {
        /// An HTTP service the server depends on, probed with a GET.
        public struct Dependency: Sendable, Equatable {
            /// Key `name`: the check's name, unique among the dependencies; 1 to 64 characters from `[A-Za-z0-9._-]`.
            public var name: String
            /// Key `url`: an absolute `http://` URL with a host.
            public var url: String
            /// Key `critical`: whether a failure makes the server unhealthy (and not ready), not only degraded.
            public var critical: Bool
            /// Key `timeout_seconds`: `nil` uses `health.timeout_seconds`; see ``Health/timeoutSeconds(for:)``.
            public var timeoutSeconds: Double?
            /// Key `expected_status`: the HTTP status that counts as healthy, 100 to 599.
            public var expectedStatus: Int

            public init(
                name: String,
                url: String,
                critical: Bool = false,
                timeoutSeconds: Double? = nil,
                expectedStatus: Int = 200
            ) {
                self.name = name
                self.url = url
                self.critical = critical
                self.timeoutSeconds = timeoutSeconds
                self.expectedStatus = expectedStatus
            }
        }

        /// Key `health.interval_seconds`: seconds between two runs of each check.
        public var intervalSeconds: Double
        /// Key `health.timeout_seconds`: seconds a check may take before it counts as failed.
        public var timeoutSeconds: Double
        /// Key `health.failure_threshold`: failures in a row before a check counts as failing.
        public var failureThreshold: Int
        /// Key `health.success_threshold`: passes in a row before a failing check counts as passing again.
        public var successThreshold: Int
        /// Key `health.memory_limit_mb`: the resident memory limit in MiB; over it the memory check fails.
        public var memoryLimitMB: Int
        /// Key `health.memory_degraded_ratio`: at or above this share of the limit the memory check is degraded.
        public var memoryDegradedRatio: Double
        /// Key `health.thread_limit`: over this many OS threads the thread check fails.
        public var threadLimit: Int
        /// Key `health.disk_min_free_bytes`: with less free space than this the disk check is degraded.
        public var diskMinFreeBytes: Int
        /// Key `health.dependencies`: the HTTP dependencies, each its own check.
        public var dependencies: [Dependency]

        public init(
            intervalSeconds: Double = 10,
            timeoutSeconds: Double = 2,
            failureThreshold: Int = 3,
            successThreshold: Int = 1,
            memoryLimitMB: Int = 1024,
            memoryDegradedRatio: Double = 0.9,
            threadLimit: Int = 10_000,
            diskMinFreeBytes: Int = 512 << 20,
            dependencies: [Dependency] = []
        ) {
            self.intervalSeconds = intervalSeconds
            self.timeoutSeconds = timeoutSeconds
            self.failureThreshold = failureThreshold
            self.successThreshold = successThreshold
            self.memoryLimitMB = memoryLimitMB
            self.memoryDegradedRatio = memoryDegradedRatio
            self.threadLimit = threadLimit
            self.diskMinFreeBytes = diskMinFreeBytes
            self.dependencies = dependencies
        }

        /// `memoryLimitMB` in bytes (MiB × 1,048,576), `Int.max` if that overflows.
        public var memoryLimitBytes: Int {
            let (bytes, overflow) = memoryLimitMB.multipliedReportingOverflow(by: 1 << 20)
            return overflow ? .max : bytes
        }

        /// The timeout of `dependency`: its own, or else `timeoutSeconds`.
        public func timeoutSeconds(for dependency: Dependency) -> Double {
            dependency.timeoutSeconds ?? timeoutSeconds
        }
    }
}
