/// The version this build reports in health, metrics and snapshots.
public enum KVStoreVersion {
    public static let version = "0.1.0"
    /// The source revision, when the build recorded one.
    public static let revision = "unknown"
}
