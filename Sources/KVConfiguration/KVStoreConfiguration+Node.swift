#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension KVStoreConfiguration {
    /// Who this server is, in snapshot file names and documents.
    public struct Node: Sendable, Equatable {
        /// The longest node id, so that a snapshot file name stays well within a file system's limit.
        public static let maximumIDLength = 64

        /// The default `node.id`: the host name, with each character outside `[A-Za-z0-9._-]` replaced
        /// by `-` and cut to ``maximumIDLength`` characters; `localhost` when the host has no name.
        public static let defaultID: String = {
            var buffer = [CChar](repeating: 0, count: 256)
            let hostName = gethostname(&buffer, buffer.count - 1) == 0
                ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                : ""
            return sanitizedID(hostName)
        }()

        /// Key `node.id`: 1 to 64 characters from `[A-Za-z0-9._-]`.
        public var id: String

        public init(id: String = Node.defaultID) {
            self.id = id
        }

        /// Whether `id` is a valid `node.id`.
        public static func isValidID(_ id: String) -> Bool {
            !id.isEmpty && id.count <= maximumIDLength && id.allSatisfy(isIDCharacter)
        }

        /// `name` as a valid id: other characters become `-`, long names are cut, an empty one is `localhost`.
        static func sanitizedID(_ name: String) -> String {
            let id = String(name.map { isIDCharacter($0) ? $0 : "-" }.prefix(maximumIDLength))
            return id.isEmpty ? "localhost" : id
        }

        /// Whether `character` may appear in an id: an ASCII letter or digit, `.`, `_` or `-`.
        static func isIDCharacter(_ character: Character) -> Bool {
            guard character.isASCII else { return false }
            return character.isLetter || character.isNumber || character == "." || character == "_" || character == "-"
        }
    }
}
