import HTTPTypes

/// The `Content-Type` values the server answers with, each written here once, and their fields
/// made once: a field made for each answer has its value checked byte by byte every time (a
/// one-field literal cost 1,100 instructions a request, `scripts/bench/callgrind.sh`).
enum ContentType {
    static let json = HTTPField(name: .contentType, value: "application/json; charset=utf-8")
    static let plainText = HTTPField(name: .contentType, value: "text/plain; charset=utf-8")
    static let octetStream = HTTPField(name: .contentType, value: "application/octet-stream")

    /// Fields of a JSON answer with nothing else to say.
    static let jsonFields = HTTPFields([json])
    /// Fields of a plain-text answer with nothing else to say.
    static let plainTextFields = HTTPFields([plainText])
}
