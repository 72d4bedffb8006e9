import Hummingbird

/// Keys never alias: a KV path names its key in exactly one raw path segment.
///
/// Hummingbird drops empty path segments before routing, so without this `DELETE /api/v1/kv//a`
/// would delete `a` and `PUT /api/v1/kv/a/` would write it. Checked on the raw path
/// (`request.uri.path`), for every request the router matched to a KV route and every path
/// under `/api/v1/kv/`: `400 invalid_key` for an empty segment, a second segment, or bytes that
/// were not UTF-8 (the HTTP parser turns those into U+FFFD; a key holding U+FFFD is sent
/// percent-encoded). The last stage of ``RequestLifecycleMiddleware`` on a listener with KV routes.
enum KeyPathRule {
    static let listingPath = "/api/v1/kv"
    static let keyPrefix = "/api/v1/kv/"

    /// Why `rawPath` names no key (or the listing) correctly, if it does not.
    static func problem(rawPath: String, route: MatchedRoute) -> APIError? {
        guard route.isKeyRoute || rawPath.hasPrefix(keyPrefix) else { return nil }
        if rawPath.unicodeScalars.contains("\u{FFFD}") {
            return .badRequest("invalid_key", "the key path is not valid UTF-8; percent-encode the key's UTF-8 bytes")
        }
        if rawPath == listingPath { return nil }
        guard rawPath.hasPrefix(keyPrefix) else {
            return .badRequest("invalid_key", "a key's path is /api/v1/kv/<key>, without empty segments")
        }
        // Bytes, not Characters: a Substring's contains("/") is Foundation's string search.
        let key = rawPath.utf8.dropFirst(keyPrefix.utf8.count)
        if key.isEmpty { return KVRoutes.emptyKey }
        if key.contains(UInt8(ascii: "/")) {
            return .badRequest("invalid_key", "a key is one path segment: no empty segments or trailing /; write a / inside a key as %2F")
        }
        return nil
    }
}
