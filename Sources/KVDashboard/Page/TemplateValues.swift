/// A view model turned, once, into the dictionaries and arrays the template engine reads fastest.
///
/// swift-mustache looks each name up in a plain value with a fresh `Mirror` and a scan of all its
/// members, for every tag it renders; a dictionary (`MustacheParent`) answers in one hash lookup.
/// Reflecting each value once here took the page's template from most of a live regeneration to a
/// small part of it. What the engine sees is the same: members by name, optionals unwrapped (absent
/// when nil), arrays as sections.
enum TemplateValues {
    static func tree(_ value: Any) -> Any {
        switch value {
        case is String, is Bool, is Int, is Double, is Substring: return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.map { tree($0.value) } as Any
        case .struct, .class:
            var members: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                let member = tree(child.value)
                if !isNil(member) { members[label] = member }
            }
            return members
        case .collection:
            return mirror.children.map { tree($0.value) }
        default:
            return value
        }
    }

    /// Whether `value` is an optional holding nothing.
    private static func isNil(_ value: Any) -> Bool {
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional && mirror.children.isEmpty
    }
}
