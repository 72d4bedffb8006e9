/// Durations as people type them on a command line or in a query: `90s`, `15m`, `24h`, `7d`, `2w`,
/// `1h30m`, `0.5s`; with `allowsBareSeconds`, a plain number of seconds (`30`) too.
public enum DurationSyntax {
    /// The duration in seconds; nil unless the text is a positive, finite duration in this syntax.
    public static func seconds(_ text: String, allowsBareSeconds: Bool = false) -> Double? {
        if allowsBareSeconds, let plain = Double(text), text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            return plain > 0 && plain.isFinite ? plain : nil
        }
        var total = 0.0
        var number = ""
        var sawUnit = false
        for character in text {
            if character.isASCII, character.isNumber || character == "." {
                number.append(character)
                continue
            }
            let unit: Double
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            case "w": unit = 604_800
            default: return nil
            }
            guard let value = Double(number) else { return nil }
            total += value * unit
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit, total > 0, total.isFinite else { return nil }
        return total
    }
}
