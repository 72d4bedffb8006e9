/// The version this build reports in health, metrics and snapshots.
public enum KVStoreVersion {
    public static let version = "0.1.0"
}
