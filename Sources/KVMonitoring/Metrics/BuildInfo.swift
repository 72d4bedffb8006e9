/// What was built: exported as `kvstore_build_info{version,revision,swift_version} 1`.
public struct BuildInfo: Sendable, Equatable {
    /// The kvstore release version.
    public var version: String
    /// The source revision (e.g. a git commit), or `unknown`.
    public var revision: String
    /// The Swift compiler version the binary was built with.
    public var swiftVersion: String

    /// Creates build information; the Swift version defaults to the compiler's.
    public init(version: String, revision: String = "unknown", swiftVersion: String = BuildInfo.compilerVersion) {
        self.version = version
        self.revision = revision
        self.swiftVersion = swiftVersion
    }

    /// The major.minor version of the compiler that built this module.
    public static var compilerVersion: String {
        #if compiler(>=6.4)
        "6.4+"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }

    /// Registers `kvstore_build_info` on `registry` and sets this build's series to 1.
    public func install(on registry: MetricsRegistry) throws(MetricsRegistryError) {
        try registry.registerGauge(KVMetrics.buildInfo)
            .labels(self.version, self.revision, self.swiftVersion)
            .set(1)
    }
}
