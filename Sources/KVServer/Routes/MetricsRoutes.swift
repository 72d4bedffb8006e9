import Foundation
import HTTPTypes
import Hummingbird
import KVCompression
import NIOCore

/// `GET /api/v1/metrics` and `GET /metrics`: Prometheus text 0.0.4, or OpenMetrics 1.0 when
/// `Accept` asks for it; gzip when `Accept-Encoding` allows it.
struct MetricsRoutes: RouteGroup {
    static var routes: [Route<Self>] { RouteTable.metrics }
    let metrics: ServerMetrics?

    func scrape(_ request: Request) throws -> Response {
        guard let metrics else {
            throw APIError(.notFound, code: "metrics_disabled", message: "metrics are disabled (metrics.enabled: false)")
        }
        let gzip = Self.acceptsGzip(request.headers[.acceptEncoding])
        // The exposition's bytes go straight into the body (or the compressor): one copy.
        let scrape = metrics.scraper.scrape(acceptHeader: request.headers[.accept]) { bytes in
            if gzip, let compressed = try? Gzip.compress(UnsafeRawBufferPointer(bytes)) {
                return (buffer: ByteBuffer(bytes: compressed), gzipped: true)
            }
            return (buffer: ByteBuffer(bytes: bytes), gzipped: false)
        }
        var headers: HTTPFields = [.contentType: scrape.contentType, .vary: "Accept, Accept-Encoding"]
        if scrape.body.gzipped { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: scrape.body.buffer))
    }

    /// True when `gzip` is listed without `q=0`.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = pieces.first, coding == "gzip" || coding == "x-gzip" else { continue }
            let zero = pieces.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "").hasPrefix("q=0") && !$0.contains(where: { "123456789".contains($0) }) }
            return !zero
        }
        return false
    }
}
