import Yams

extension RawSetting {
    /// A YAML node as the value of a key.
    init(_ node: Yams.Node) {
        switch node {
        case .scalar(let scalar):
            self = node.null != nil ? .null : .text(scalar.string)
        case .sequence(let sequence):
            var items: [String] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else {
                    self = .sequence(sequence.map(RawSetting.init))
                    return
                }
                items.append(scalar.string)
            }
            self = .list(items)
        case .mapping(let mapping):
            let fields = mapping.map { key, value in
                RawField(name: key.scalar?.string ?? RawSetting(key).display, value: RawSetting(value), line: key.mark?.line)
            }
            self = .mapping(fields, line: node.mark?.line)
        case .alias:
            self = .unsupported(description: "an alias")
        }
    }

    /// The value that `text` spells as YAML (JSON is YAML too), or `nil` when it is not valid YAML.
    /// An empty document is ``null``.
    static func parsingYAML(_ text: String) -> RawSetting? {
        do {
            return try Yams.compose(yaml: text).map(RawSetting.init) ?? .null
        } catch {
            return nil
        }
    }
}
