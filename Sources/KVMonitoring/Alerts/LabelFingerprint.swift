/// Label sets as Prometheus and Alertmanager identify and print them.
enum LabelFingerprint {
    /// Prometheus' `LabelSet.Fingerprint()`: FNV-1a 64 over sorted `name 0xff value 0xff`,
    /// as 16 hex digits.
    static func fingerprint(_ labels: [String: String]) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 1_099_511_628_211
        }
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) {
            name.utf8.forEach(add)
            add(0xFF)
            value.utf8.forEach(add)
            add(0xFF)
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Prometheus' `LabelSet.String()`: `{a="1", b="2"}`, names sorted, values quoted.
    static func text(_ labels: [String: String]) -> String {
        let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoted($0.value))" }
        return "{" + pairs.joined(separator: ", ") + "}"
    }

    private static func quoted(_ value: String) -> String {
        var result = "\""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}
