import Foundation
import Mustache

/// The page templates (`*.mustache`, rendered as XHTML) and the style sheet (`style.css`) that the
/// page inlines, loaded from one folder.
public struct DashboardTemplates: Sendable {
    /// The template the page starts from.
    static let pageName = "page"
    static let styleFile = "style.css"

    let library: MustacheLibrary
    let css: String

    /// Loads every `.mustache` file of `directory` (by file name without extension) and `style.css`.
    /// Throws `DashboardError` naming the file that is missing or does not parse.
    public init(directory: URL) throws {
        _ = XHTMLContentType.registered
        let manager = FileManager.default
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }.sorted()
        } catch {
            throw DashboardError.templates("cannot read the templates folder \(directory.path)")
        }
        var library = MustacheLibrary()
        for name in names {
            let url = directory.appendingPathComponent(name)
            guard let data = manager.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
                throw DashboardError.templates("cannot read \(url.path) as UTF-8")
            }
            do {
                try library.register(text, named: String(name.dropLast(".mustache".count)))
            } catch {
                throw DashboardError.templates("\(url.path): does not parse as Mustache (\(error))")
            }
        }
        guard library.getTemplate(named: Self.pageName) != nil else {
            throw DashboardError.templates("\(directory.path) has no \(Self.pageName).mustache")
        }
        let cssURL = directory.appendingPathComponent(Self.styleFile)
        guard let cssData = manager.contents(atPath: cssURL.path), let css = String(data: cssData, encoding: .utf8) else {
            throw DashboardError.templates("cannot read \(cssURL.path)")
        }
        guard !css.contains("<"), !css.contains("&") else {
            throw DashboardError.templates("\(cssURL.path): '<' and '&' are not allowed in the inlined style sheet")
        }
        self.library = library
        self.css = css
    }

    /// Renders the page for `model`.
    func renderPage(_ model: PageModel) throws -> String {
        guard let text = library.render(model, withTemplate: Self.pageName) else {
            throw DashboardError.render("no template named \(Self.pageName)")
        }
        return text
    }
}
