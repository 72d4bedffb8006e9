extension KVStoreConfiguration.Alerts.Rule {
    /// The values `severity` may take.
    public static let severities = ["critical", "warning", "info"]

    /// Whether rules of `kind` use `threshold`.
    public static func usesThreshold(_ kind: Kind) -> Bool {
        switch kind {
        case .healthStatus, .errorRatio, .latencyP99, .memoryRatio, .storageRatio: true
        case .criticalCheck, .snapshots, .clusterMemberMissing: false
        }
    }

    /// Whether `name` is a valid rule name: one or more ASCII letters, digits or underscores.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}

extension ValueParser where Value == String {
    /// An alert rule name: `[A-Za-z0-9_]+`.
    static var ruleName: Self {
        Self(expected: "a name of letters A-Z or a-z, digits 0-9 and '_'") { raw in
            guard case .text(let text) = raw, KVStoreConfiguration.Alerts.Rule.isValidName(text) else { return nil }
            return text
        } render: { $0 }
    }

    /// One of `values`, in any case; stored in lower case.
    static func oneOf(_ values: [String]) -> Self {
        Self(expected: "one of " + values.joined(separator: ", ")) { raw in
            raw.trimmedText.map { $0.lowercased() }.flatMap { values.contains($0) ? $0 : nil }
        } render: { $0 }
    }

    /// Text with at least one character that is not whitespace, kept as written.
    static var nonBlankText: Self {
        Self(expected: "a non-empty string") { raw in
            guard case .text(let text) = raw, !text.trimmingWhitespace().isEmpty else { return nil }
            return text
        } render: { $0 }
    }

    /// Any text, also empty; null is the empty text.
    static var anyText: Self {
        Self(expected: "a string") { raw in
            switch raw {
            case .text(let text): text
            case .null: ""
            default: nil
            }
        } render: { $0 }
    }
}

extension ValueParser where Value == Double {
    /// The threshold of a rule of `kind`.
    static func threshold(for kind: KVStoreConfiguration.Alerts.Rule.Kind) -> Self {
        let expected: String
        let range: NumericRange
        switch kind {
        case .healthStatus:
            expected = "1 (degraded) or 2 (unhealthy) for kind \(kind.rawValue)"
            range = .integers(1...2)
        case .errorRatio, .memoryRatio, .storageRatio:
            expected = "a share greater than 0 and at most 1 for kind \(kind.rawValue)"
            range = NumericRange(lowest: 0, highest: 1, excludesLowest: true)
        case .latencyP99:
            range = NumericRange(lowest: 0.0001, highest: 86_400)
            expected = "a number of seconds from \(formatNumber(range.lowest)) to \(formatNumber(range.highest)) "
                + "for kind \(kind.rawValue)"
        case .criticalCheck, .snapshots, .clusterMemberMissing:
            range = NumericRange(lowest: -1e9, highest: 1e9)
            expected = "a number from \(formatNumber(range.lowest)) to \(formatNumber(range.highest)) "
                + "(kind \(kind.rawValue) does not use it)"
        }
        return number(range, expected: expected)
    }

    /// A rule's `window`: from 1 second to 1 day.
    static var alertWindow: Self { duration(from: 1, to: 86_400) }

    /// A rule's `for`: from 0 (at once) to 1 day.
    static var alertFor: Self { duration(from: 0, to: 86_400) }
}

extension ValueParser where Value == [KVStoreConfiguration.Alerts.Rule] {
    typealias Rule = KVStoreConfiguration.Alerts.Rule

    /// The keys of one rule, in the order errors and the rendered value use.
    static var ruleKeys: [String] {
        ["name", "kind", "severity", "threshold", "window", "for", "summary", "description"]
    }

    /// `alerts.rules`: a list of rules, each named uniquely.
    static func alertRules(key: String) -> Self {
        .mappingList(
            key: key,
            noun: "rule",
            expected: "a list of mappings, each with the keys name, kind and summary and optionally severity, "
                + "threshold, window, for and description; JSON text in a variable or flag",
            entryKeys: ruleKeys,
            unique: [UniqueField(key: "name", value: \.name)],
            parseEntry: parseRule,
            renderEntry: renderRule
        )
        .withNumericFields(ruleNumericFields)
    }

    /// `window` and `for` of a valid rule, and `threshold` for each kind.
    private static var ruleNumericFields: [NumericField] {
        func entry(_ kind: Rule.Kind) -> [(String, String)] {
            [("name", jsonString("Rule")), ("kind", jsonString(kind.rawValue)), ("summary", jsonString("A rule."))]
        }
        let thresholds = Rule.Kind.allCases.flatMap { kind in
            NumericField.inListEntry("threshold", ValueParser<Double>.threshold(for: kind), entry: entry(kind))
        }
        let withThreshold = entry(.errorRatio) + [("threshold", "0.5")]
        return thresholds
            + NumericField.inListEntry("window", ValueParser<Double>.alertWindow, entry: withThreshold)
            + NumericField.inListEntry("for", ValueParser<Double>.alertFor, entry: withThreshold)
    }

    private static func parseRule(_ fields: [RawField], allowed: String) throws(ValueProblem) -> Rule {
        var name: String?
        var kind: Rule.Kind?
        var severity = "warning"
        var thresholdField: RawField?
        var windowSeconds = 300.0
        var forSeconds = 60.0
        var summary: String?
        var description = ""
        for field in fields {
            switch field.name {
            case "name": name = try parseField(field, ValueParser<String>.ruleName)
            case "kind": kind = try parseField(field, ValueParser<Rule.Kind>.oneOf)
            case "severity": severity = try parseField(field, ValueParser<String>.oneOf(Rule.severities))
            case "threshold": thresholdField = field  // checked once the kind is known
            case "window": windowSeconds = try parseField(field, ValueParser<Double>.alertWindow)
            case "for": forSeconds = try parseField(field, ValueParser<Double>.alertFor)
            case "summary":
                summary = try parseField(field, ValueParser<String>.nonBlankText)
            case "description": description = try parseField(field, ValueParser<String>.anyText)
            default: throw unknownField(field, allowed: allowed)
            }
        }
        guard let name else { throw missingField("name", expected: ValueParser<String>.ruleName.expected) }
        guard let kind else { throw missingField("kind", expected: ValueParser<Rule.Kind>.oneOf.expected) }
        let thresholdParser = ValueParser<Double>.threshold(for: kind)
        var threshold = 0.0
        if let thresholdField {
            threshold = try parseField(thresholdField, thresholdParser)
        } else if Rule.usesThreshold(kind) {
            throw missingField("threshold", expected: thresholdParser.expected)
        }
        guard let summary else { throw missingField("summary", expected: "a non-empty string") }
        return Rule(
            name: name, kind: kind, severity: severity, threshold: threshold, windowSeconds: windowSeconds,
            forSeconds: forSeconds, summary: summary, description: description
        )
    }

    /// One rule as a JSON object, keys in ``ruleKeys`` order; no `description` when it is empty.
    private static func renderRule(_ rule: Rule) -> String {
        var members = [
            ("name", jsonString(rule.name)),
            ("kind", jsonString(rule.kind.rawValue)),
            ("severity", jsonString(rule.severity)),
            ("threshold", formatNumber(rule.threshold)),
            ("window", jsonString(ValueParser<Double>.alertWindow.render(rule.windowSeconds))),
            ("for", jsonString(ValueParser<Double>.alertFor.render(rule.forSeconds))),
            ("summary", jsonString(rule.summary)),
        ]
        if !rule.description.isEmpty {
            members.append(("description", jsonString(rule.description)))
        }
        return jsonObject(members)
    }
}

extension ValueParser where Value == [KVStoreConfiguration.Alerts.Webhook] {
    typealias Webhook = KVStoreConfiguration.Alerts.Webhook

    static var webhookKeys: [String] { ["url", "timeout_seconds", "max_retries"] }

    /// `alerts.webhooks`: receivers of Alertmanager-style POSTs.
    static func webhooks(key: String) -> Self {
        .mappingList(
            key: key,
            noun: "webhook",
            expected: "a list of mappings, each with the key url and optionally timeout_seconds and max_retries; "
                + "JSON text in a variable or flag",
            entryKeys: webhookKeys,
            parseEntry: parseWebhook,
            renderEntry: renderWebhook
        )
        .withNumericFields(
            NumericField.inListEntry("timeout_seconds", ValueParser<Double>.seconds, entry: numericFieldEntry)
                + NumericField.inListEntry("max_retries", maxRetriesParser, entry: numericFieldEntry)
        )
    }

    /// `max_retries`: from 0 to 10.
    private static var maxRetriesParser: ValueParser<Int> { .integer(from: 0, to: 10) }

    /// A valid webhook, for the numbers that ``NumericField/inListEntry(_:_:entry:)`` adds to it.
    private static var numericFieldEntry: [(String, String)] { [("url", jsonString("http://127.0.0.1:9/hook"))] }

    private static func parseWebhook(_ fields: [RawField], allowed: String) throws(ValueProblem) -> Webhook {
        var url: String?
        var timeoutSeconds = 2.0
        var maxRetries = 3
        for field in fields {
            switch field.name {
            case "url": url = try parseField(field, ValueParser<String>.httpURL)
            case "timeout_seconds": timeoutSeconds = try parseField(field, ValueParser<Double>.seconds)
            case "max_retries": maxRetries = try parseField(field, maxRetriesParser)
            default: throw unknownField(field, allowed: allowed)
            }
        }
        guard let url else { throw missingField("url", expected: ValueParser<String>.httpURL.expected) }
        return Webhook(url: url, timeoutSeconds: timeoutSeconds, maxRetries: maxRetries)
    }

    private static func renderWebhook(_ webhook: Webhook) -> String {
        jsonObject([
            ("url", jsonString(webhook.url)),
            ("timeout_seconds", formatNumber(webhook.timeoutSeconds)),
            ("max_retries", String(webhook.maxRetries)),
        ])
    }
}
