import HTTPTypes

/// What a request's `Authorization` header presents. The secret stays in the header: this
/// type only points at it, and never prints it.
enum BearerCredentials {
    /// No `Authorization` header.
    case none
    /// `Authorization: Bearer <token>`, exactly one header.
    case bearer(Substring)
    /// Another scheme (`Basic`, ...), several `Authorization` headers, or a malformed value.
    case unsupported

    init(_ headers: HTTPFields) {
        let values = headers[values: .authorization]
        guard let value = values.first else {
            self = .none
            return
        }
        guard values.count == 1 else {
            self = .unsupported
            return
        }
        let trimmed = value.drop { $0 == " " || $0 == "\t" }
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }),
            trimmed[..<space].lowercased() == "bearer"
        else {
            self = .unsupported
            return
        }
        var token = trimmed[space...].drop { $0 == " " || $0 == "\t" }
        while let last = token.last, last == " " || last == "\t" { token = token.dropLast() }
        guard !token.isEmpty, !token.contains(where: { $0 == " " || $0 == "\t" }) else {
            self = .unsupported
            return
        }
        self = .bearer(Substring(token))
    }
}

extension BearerCredentials: CustomStringConvertible {
    /// The kind of credentials only, never the token.
    var description: String {
        switch self {
        case .none: "none"
        case .bearer: "bearer"
        case .unsupported: "unsupported"
        }
    }
}
