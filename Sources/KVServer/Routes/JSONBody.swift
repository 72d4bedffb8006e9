import Foundation
import HTTPTypes
import Hummingbird

typealias JSONObject = [String: Any]

/// JSON response bodies: sorted keys, unescaped slashes, one trailing newline.
enum JSONBody {
    static func response(status: HTTPResponse.Status, _ object: JSONObject, headers: HTTPFields = [:]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return response(status: status, data: data, headers: headers)
    }

    static func response<T: Encodable>(status: HTTPResponse.Status, encoding value: T, headers: HTTPFields = [:]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return response(status: status, data: try encoder.encode(value), headers: headers)
    }

    static func response(status: HTTPResponse.Status, data: Data, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = ContentType.json.value
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        buffer.writeInteger(UInt8(ascii: "\n"))
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }
}
