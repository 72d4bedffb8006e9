import Foundation
import HTTPTypes
import Hummingbird

/// Serves the published dashboard under `/dashboard/`: regular files only (no symlinks, no
/// dot files, no `..`), with strict headers. `/dashboard` redirects to `/dashboard/` so the
/// page's relative links resolve.
struct DashboardRoutes: RouteGroup {
    static var routes: [Route<Self>] { RouteTable.dashboard }
    /// No scripts, styles only inline, images only from here, never framed.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    let directory: String?

    /// `/dashboard` redirects to `/dashboard/`, which serves `index.html`.
    func index(_ request: Request) throws -> Response {
        if !request.uri.path.hasSuffix("/") {
            return Response(status: .movedPermanently, headers: [.location: "/dashboard/"])
        }
        return try file("index.html", in: "")
    }

    func file(_ rawName: String, in folder: String) throws -> Response {
        guard let directory else {
            throw APIError(.notFound, code: "dashboard_disabled", message: "the live dashboard is off (dashboard.enabled: false, or snapshots are off)")
        }
        guard let name = rawName.removingPercentEncoding, Self.isSafeName(name), let type = Self.contentType(of: name) else {
            throw APIError.notFound("no such dashboard file")
        }
        let path = directory + "/" + folder + name
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              let data = FileManager.default.contents(atPath: path)
        else {
            // Only the page itself appears with the first snapshot: a missing file elsewhere
            // (`/dashboard/charts/index.html`) is a plain 404.
            if folder.isEmpty && name == "index.html" {
                throw APIError(.serviceUnavailable, code: "dashboard_not_ready", message: "the dashboard has not been generated yet; it appears after the first snapshot")
            }
            throw APIError.notFound("no such dashboard file")
        }
        return Response(
            status: .ok,
            headers: [
                // nosniff comes from SecurityHeaders, on every answer
                .contentType: type, .cacheControl: "no-cache", .contentSecurityPolicy: Self.contentSecurityPolicy,
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func isSafeName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("."), name.utf8.count <= 255 else { return false }
        return name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic && $0.isASCII || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }

    static func contentType(of name: String) -> String? {
        if name.hasSuffix(".html") { return "text/html; charset=utf-8" }
        if name.hasSuffix(".svg") { return "image/svg+xml" }
        if name.hasSuffix(".css") { return "text/css; charset=utf-8" }
        return nil
    }
}
