/// A value for one key from one source, not yet parsed.
struct Setting: Sendable {
    let key: ConfigurationKey
    let value: RawSetting
    let source: ConfigurationSource

    /// Parses the value into `configuration`, or names the source, key and value that are wrong.
    func apply(to configuration: inout KVStoreConfiguration) throws(ConfigurationError) {
        do {
            try key.apply(value, &configuration)
        } catch {
            throw .invalidValue(error, key: key.name, source: source)
        }
    }
}
