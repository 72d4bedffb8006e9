import Foundation

/// A validator for the subset of JSON Schema 2020-12 that docs/snapshot.schema.json uses:
/// `$ref` (to `#/$defs/...`), `type`, `const`, `enum`, `required`, `properties`,
/// `additionalProperties`, `items`, `oneOf`, `anyOf`, `pattern`, `minimum`, `maximum`.
/// Any other keyword (but annotations) is reported as an error, so the schema cannot silently
/// rely on something this does not check.
public struct JSONSchemaValidator: Sendable {
    private let root: JSONValue
    private static let annotations: Set<String> = ["$schema", "$id", "$defs", "title", "description"]

    public init(schema: JSONValue) {
        root = schema
    }

    /// Every violation, as `path: problem`; empty when `instance` is valid.
    public func validate(_ instance: JSONValue) -> [String] {
        validate(instance, against: root, path: "$")
    }

    private func validate(_ instance: JSONValue, against schema: JSONValue, path: String) -> [String] {
        if case .bool(let allowed) = schema { return allowed ? [] : ["\(path): not allowed"] }
        guard case .object(let keywords) = schema else { return ["\(path): schema is not an object"] }
        var errors: [String] = []
        for (keyword, value) in keywords.sorted(by: { $0.key < $1.key }) {
            errors += check(keyword, value, keywords, instance, path)
        }
        return errors
    }

    private func check(_ keyword: String, _ value: JSONValue, _ keywords: [String: JSONValue], _ instance: JSONValue,
                       _ path: String) -> [String] {
        switch keyword {
        case _ where Self.annotations.contains(keyword):
            return []
        case "$ref":
            guard let target = resolve(value.string ?? "") else { return ["\(path): cannot resolve \(value)"] }
            return validate(instance, against: target, path: path)
        case "type":
            let types: [String] = switch value {
            case .string(let name): [name]
            case .array(let names): names.compactMap(\.string)
            default: []
            }
            return types.contains { Self.has(instance, type: $0) } ? [] : ["\(path): expected \(types), got \(instance)"]
        case "const":
            return instance == value ? [] : ["\(path): expected \(value)"]
        case "enum":
            guard case .array(let options) = value else { return ["\(path): bad enum"] }
            return options.contains(instance) ? [] : ["\(path): \(instance) not in \(options)"]
        case "required":
            guard case .object(let members) = instance, case .array(let names) = value else { return [] }
            return names.compactMap(\.string).filter { members[$0] == nil }.map { "\(path): missing \($0)" }
        case "properties":
            guard case .object(let members) = instance, case .object(let schemas) = value else { return [] }
            return schemas.flatMap { name, schema in
                members[name].map { validate($0, against: schema, path: "\(path).\(name)") } ?? []
            }
        case "additionalProperties":
            guard case .object(let members) = instance else { return [] }
            let known: Set<String> = if case .object(let properties) = keywords["properties"] { Set(properties.keys) } else { [] }
            return members.filter { !known.contains($0.key) }.sorted { $0.key < $1.key }
                .flatMap { validate($0.value, against: value, path: "\(path).\($0.key)") }
        case "items":
            guard case .array(let items) = instance else { return [] }
            return items.enumerated().flatMap { validate($1, against: value, path: "\(path)[\($0)]") }
        case "oneOf", "anyOf":
            guard case .array(let options) = value else { return ["\(path): bad \(keyword)"] }
            let passing = options.filter { validate(instance, against: $0, path: path).isEmpty }.count
            let ok = keyword == "oneOf" ? passing == 1 : passing >= 1
            return ok ? [] : ["\(path): \(passing) of \(options.count) \(keyword) alternatives match"]
        case "pattern":
            guard case .string(let text) = instance else { return [] }
            guard let pattern = value.string, let regex = try? NSRegularExpression(pattern: pattern) else {
                return ["\(path): bad pattern"]
            }
            let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            return found ? [] : ["\(path): \"\(text)\" does not match \(pattern)"]
        case "minimum", "maximum":
            guard case .number(let number) = instance, case .number(let bound) = value else { return [] }
            let ok = keyword == "minimum" ? number >= bound : number <= bound
            return ok ? [] : ["\(path): \(number) violates \(keyword) \(bound)"]
        default:
            return ["\(path): unsupported keyword \(keyword)"]
        }
    }

    private func resolve(_ reference: String) -> JSONValue? {
        let prefix = "#/$defs/"
        guard reference.hasPrefix(prefix) else { return nil }
        return root["$defs"]?[String(reference.dropFirst(prefix.count))]
    }

    private static func has(_ instance: JSONValue, type: String) -> Bool {
        switch (type, instance) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array),
             ("object", .object): true
        case ("integer", .number(let value)): value.isFinite && value.rounded() == value
        default: false
        }
    }
}

extension JSONSchemaValidator {
    /// The validator for `docs/snapshot.schema.json` of this repository.
    public static func snapshotSchema() throws -> JSONSchemaValidator {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/snapshot.schema.json")
        return JSONSchemaValidator(schema: try JSONValue.parse(Data(contentsOf: url)))
    }
}
