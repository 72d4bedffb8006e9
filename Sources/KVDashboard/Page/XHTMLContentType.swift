import Mustache

/// Mustache escaping for XHTML: `& < > " '` as references, XML-forbidden characters dropped.
/// Templates select it with `{{% CONTENT_TYPE: XHTML}}` (each partial too).
struct XHTMLContentType: MustacheContentType {
    static let name = "XHTML"

    func escapeText(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default:
                if XMLText.isAllowed(scalar) { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// Registers the content type with swift-mustache; must run before any template is parsed.
    static let registered: Bool = {
        MustacheContentTypes.register(XHTMLContentType(), named: name)
        return true
    }()
}
