/// One setting: its dotted key, what it allows, and how it reads and writes ``KVStoreConfiguration``.
///
/// The file, environment-variable and command-line layers, the list of keys and the reference
/// are all derived from ``ConfigurationKey/all``; adding a setting means adding one entry there.
struct ConfigurationKey: Sendable {
    /// The dotted key, e.g. `server.port`; the file nests one section per dot.
    let name: String
    /// The dedicated command-line flag, e.g. `--port`, when there is one.
    let flag: String?
    /// One sentence for the reference.
    let summary: String
    /// What is allowed, as in "expected ..." of an error message.
    let expected: String
    /// How the reference describes a default that is worked out at start-up (the host name) or too long
    /// for the table (the built-in alert rules), if it is.
    let defaultDescription: String?
    /// Parses `raw` and stores it in the configuration.
    let apply: @Sendable (RawSetting, inout KVStoreConfiguration) throws(ValueProblem) -> Void
    /// The current value, spelled as a source would spell it.
    let render: @Sendable (KVStoreConfiguration) -> String
    /// The numbers inside the value and the ranges they must lie in; empty for a key without numbers.
    let numericFields: [NumericField]

    init<Value>(
        _ name: String,
        _ keyPath: any WritableKeyPath<KVStoreConfiguration, Value> & Sendable,
        _ parser: ValueParser<Value>,
        flag: String? = nil,
        defaultDescription: String? = nil,
        summary: String
    ) {
        self.name = name
        self.flag = flag
        self.summary = summary
        self.expected = parser.expected
        self.defaultDescription = defaultDescription
        self.apply = { raw, configuration throws(ValueProblem) in
            configuration[keyPath: keyPath] = try parser.parse(raw)
        }
        self.render = { configuration in parser.render(configuration[keyPath: keyPath]) }
        self.numericFields = parser.numericFields
    }

    /// `KVSTORE_` and the key in upper case, dots as underscores: `KVSTORE_SERVER_PORT`.
    var environmentVariable: String {
        Self.environmentVariable(forPath: name)
    }

    static func environmentVariable(forPath path: String) -> String {
        "KVSTORE_" + String(path.uppercased().map { $0 == "." ? "_" : $0 })
    }
}

extension ConfigurationKey {
    /// The key named `name`, if there is one.
    static func named(_ name: String) -> ConfigurationKey? {
        all.first { $0.name == name }
    }

    /// The next path components below `section` ("" for the top level), in table order.
    static func children(of section: String) -> [String] {
        let prefix = section.isEmpty ? "" : section + "."
        var children: [String] = []
        for key in all where key.name.hasPrefix(prefix) {
            let child = String(key.name.dropFirst(prefix.count).prefix { $0 != "." })
            if !children.contains(child) { children.append(child) }
        }
        return children
    }

    /// Whether `path` is a section (it has keys below it) rather than a key.
    static func isSection(_ path: String) -> Bool {
        all.contains { $0.name.hasPrefix(path + ".") }
    }

    /// The deepest section that `path` lies in, or "" for the top level.
    static func enclosingSection(of path: String) -> String {
        var components = path.split(separator: ".", omittingEmptySubsequences: false).dropLast()
        while !components.isEmpty {
            let candidate = components.joined(separator: ".")
            if isSection(candidate) { return candidate }
            components.removeLast()
        }
        return ""
    }

    /// "allowed keys in server: host, port", or the top-level keys for `section` "".
    static func allowedKeysDescription(in section: String) -> String {
        let children = children(of: section).joined(separator: ", ")
        return section.isEmpty ? "allowed top-level keys: \(children)" : "allowed keys in \(section): \(children)"
    }
}
