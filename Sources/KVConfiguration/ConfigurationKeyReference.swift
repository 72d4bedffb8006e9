/// One row of the configuration reference.
public struct ConfigurationKeyReference: Sendable, Equatable {
    /// The dotted key, e.g. `server.port`.
    public var key: String
    /// What the key allows, e.g. "an integer from 0 to 65535".
    public var allowedValues: String
    /// The default in each environment profile, spelled as an environment variable would spell it.
    public var defaults: [KVStoreConfiguration.Environment: String]
    /// How the documentation describes the default when it is worked out at start-up (e.g. "the host name")
    /// or too long for a table (the built-in alert rules); `defaults` then holds this machine's value.
    public var defaultDescription: String?
    /// The environment variable that sets the key.
    public var environmentVariable: String
    /// The dedicated command-line flag, if there is one.
    public var flag: String?
    /// What the key does.
    public var summary: String

    /// Whether the default depends on `environment`.
    public var isProfileDependent: Bool {
        Set(defaults.values).count > 1
    }
}
