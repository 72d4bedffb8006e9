/// The version this build reports in health, metrics, snapshots and bundles (server and generator).
public enum KVStoreVersion {
    public static let version = "0.1.0"
    /// The source revision, when the build recorded one.
    public static let revision = "unknown"
}
