import Foundation
import Mustache

/// The page templates (`*.mustache`, rendered as XHTML) and the style sheet (`style.css`) that the
/// page inlines, loaded from one folder.
public struct DashboardTemplates: Sendable {
    /// The template the page starts from.
    static let pageName = "page"
    /// The template of the fleet overview.
    static let fleetPageName = "fleet"
    static let styleFile = "style.css"
    /// Added to `style.css` on the fleet overview only, so that a node's page stays as it was.
    static let fleetStyleFile = "fleet.css"

    let library: MustacheLibrary
    let css: String
    /// `fleet.css`; nil when the folder has none (then only a fleet overview fails).
    private let fleetOnlyCSS: String?

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
        guard let css = try Self.styleSheet(directory.appendingPathComponent(Self.styleFile)) else {
            throw DashboardError.templates("cannot read \(directory.appendingPathComponent(Self.styleFile).path)")
        }
        self.library = library
        self.css = css
        self.fleetOnlyCSS = try Self.styleSheet(directory.appendingPathComponent(Self.fleetStyleFile))
    }

    /// The style sheet at `url`; nil when there is no such file. Throws when it is not UTF-8 or holds `<` or `&`.
    private static func styleSheet(_ url: URL) throws -> String? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        guard let css = String(data: data, encoding: .utf8) else {
            throw DashboardError.templates("cannot read \(url.path) as UTF-8")
        }
        guard !css.contains("<"), !css.contains("&") else {
            throw DashboardError.templates("\(url.path): '<' and '&' are not allowed in the inlined style sheet")
        }
        return css
    }

    /// The fleet overview's style sheet: `style.css`, then `fleet.css`.
    func fleetCSS() throws -> String {
        guard let fleetOnlyCSS else {
            throw DashboardError.templates("the templates folder has no \(Self.fleetStyleFile), needed for a fleet overview")
        }
        return css + fleetOnlyCSS
    }

    /// Renders the fleet overview for `model`.
    func renderFleetPage(_ model: FleetPageModel) throws -> String {
        guard library.getTemplate(named: Self.fleetPageName) != nil, let text = library.render(TemplateValues.tree(model), withTemplate: Self.fleetPageName) else {
            throw DashboardError.templates("the templates folder has no \(Self.fleetPageName).mustache, needed for a fleet overview")
        }
        return text
    }

    /// Renders the page comparing two windows (`diff.mustache`).
    func renderDiffPage(_ model: DiffGenerator.Model) throws -> String {
        guard library.getTemplate(named: "diff") != nil, let text = library.render(TemplateValues.tree(model), withTemplate: "diff") else {
            throw DashboardError.templates("the templates folder has no diff.mustache, needed for a comparison page")
        }
        return text
    }

    /// Renders the page for `model`.
    func renderPage(_ model: PageModel) throws -> String {
        guard let text = library.render(TemplateValues.tree(model), withTemplate: Self.pageName) else {
            throw DashboardError.render("no template named \(Self.pageName)")
        }
        return text
    }
}
