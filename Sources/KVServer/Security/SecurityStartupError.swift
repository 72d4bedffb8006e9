/// Why the server refuses to start: one line, printed as `kvstore: <description>`.
struct SecurityStartupError: Error, CustomStringConvertible, Equatable {
    let description: String

    init(_ description: String) {
        // One line, whatever an underlying error's text holds.
        self.description = description.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
