import Foundation
import KVSnapshot

/// Turns health reports into response bodies and headers (pure: strings in, strings out).
public enum HealthRenderer {
    /// `Content-Type` of `seedJSON`.
    public static let jsonContentType = "application/json; charset=utf-8"
    /// `Content-Type` of `ietfJSON` (draft-inadarei-api-health-check).
    public static let ietfContentType = "application/health+json"
    /// `Content-Type` of `probeText`.
    public static let probeContentType = "text/plain; charset=utf-8"

    /// The seed's `/api/v1/health` body: `status`, `version`, `uptime_seconds`, `checks` keyed by
    /// name (`status`, `message`, `duration_ms`, `details`, `critical`, `kind`, `time`,
    /// `consecutive_failures`), `summary`, `system` and `time`; compact, keys sorted.
    public static func seedJSON(_ report: HealthReport) -> String {
        self.encode(report)
    }

    /// The HTTP status for a full report: 200 for healthy and degraded, 503 for unhealthy.
    public static func httpStatus(for status: HealthStatus) -> Int {
        status == .unhealthy ? 503 : 200
    }

    /// A `Cache-Control` value saying the answer is fresh until the next check run.
    public static func cacheControl(maxAgeSeconds: Int) -> String {
        "max-age=\(max(0, maxAgeSeconds))"
    }

    /// Compact JSON with sorted keys, unescaped slashes and non-finite numbers as strings
    /// (`"+Inf"`, `"-Inf"`, `"NaN"`).
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        guard let data = try? encoder.encode(value) else {
            return #"{"status":"unhealthy","message":"health report could not be encoded"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }
}
