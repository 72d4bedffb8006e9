import Foundation

/// The files of one dashboard generation, by path relative to the site's root.
public struct RenderedSite: Sendable, Equatable {
    /// The page: well-formed XHTML in a file called `index.html`.
    public static let pagePath = "index.html"

    /// Relative path (such as `index.html` or `charts/request-rate.svg`) to contents.
    public var files: [String: Data]

    public init(files: [String: Data]) {
        self.files = files
    }

    /// The page's text.
    public var page: String { String(decoding: files[Self.pagePath] ?? Data(), as: UTF8.self) }
}
