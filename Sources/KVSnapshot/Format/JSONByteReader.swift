import Foundation

/// A forward-only reader of one JSON document, straight from its bytes: no intermediate tree, no
/// `Decodable` machinery. `SnapshotBytesDecoder` drives it field by field.
///
/// It is strict (RFC 8259 grammar, valid UTF-8, nothing after the document) and gives up with
/// `JSONByteReader.Failure` on anything it does not take: a key written with escapes, an integer
/// field holding a fraction. Its caller then decodes the same bytes with Foundation's `JSONDecoder`,
/// which either reads them or says precisely what is wrong, so the fast path never decides an error.
struct JSONByteReader {
    /// The reader gave up; the document may still be valid (see the type's comment).
    struct Failure: Error {}

    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    // MARK: - Structure

    /// Reads an object, calling `field` with each key; `field` must read (or `skipValue`) the value.
    mutating func readObject(_ field: (inout JSONByteReader, Key) throws -> Void) throws {
        try readMembers(key: { try $0.readKey() }, field)
    }

    /// Reads an object whose keys are data (labels, checks), calling `field` with each key as a string.
    mutating func readDictionary(_ field: (inout JSONByteReader, String) throws -> Void) throws {
        try readMembers(key: { try $0.readString() }, field)
    }

    /// `{ key: value, ... }`, each key read by `key` and each value by `field`.
    private mutating func readMembers<K>(key readKey: (inout JSONByteReader) throws -> K,
                                         _ field: (inout JSONByteReader, K) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            skipWhitespace()
            let key = try readKey(&self)
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try field(&self, key)
            skipWhitespace()
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// Reads an array, calling `element` once per element; `element` must read it.
    mutating func readArray(_ element: (inout JSONByteReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return }
        repeat {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    /// Reads an array into values.
    mutating func readArray<Element>(of element: (inout JSONByteReader) throws -> Element) throws -> [Element] {
        var values: [Element] = []
        try readArray { reader in values.append(try element(&reader)) }
        return values
    }

    /// Checks that only white space follows the document.
    mutating func finish() throws {
        skipWhitespace()
        guard offset == bytes.count else { throw Failure() }
    }

    /// Consumes `null` and returns true, or returns false and consumes nothing.
    mutating func readNull() throws -> Bool {
        guard peek == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Whether the next value is a string (it is not consumed).
    var nextIsString: Bool { peek == UInt8(ascii: "\"") }

    /// Whether the next value is `true` or `false` (it is not consumed).
    var nextIsBool: Bool { peek == UInt8(ascii: "t") || peek == UInt8(ascii: "f") }

    /// Reads and discards any one value.
    mutating func skipValue() throws {
        switch peek {
        case UInt8(ascii: "{"): try readObject { reader, _ in try reader.skipValue() }
        case UInt8(ascii: "["): try readArray { reader in try reader.skipValue() }
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try numberToken()
        }
    }

    // MARK: - Scalars

    mutating func readBool() throws -> Bool {
        if peek == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    /// A string value, unescaped and checked to be UTF-8.
    mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = offset
        var ascii = true
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                if ascii { return String(decoding: text, as: UTF8.self) }
                guard let string = String(validating: text, as: UTF8.self) else { throw Failure() }
                return string
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            if byte < 0x20 { throw Failure() }
            if byte >= 0x80 { ascii = false }
            offset += 1
        }
        throw Failure()
    }

    /// A number, or one of the strings `SnapshotCodec` writes for non-finite numbers.
    mutating func readDouble() throws -> Double {
        if nextIsString {
            switch try readString() {
            case SnapshotCodec.nan: return .nan
            case SnapshotCodec.positiveInfinity: return .infinity
            case SnapshotCodec.negativeInfinity: return -.infinity
            default: throw Failure()
            }
        }
        let token = try numberToken()
        if !token.isFraction, token.digits <= 15 {
            let magnitude = Double(token.integer)
            return token.negative ? -magnitude : magnitude
        }
        return try parseDouble(token.range)
    }

    /// An integer written without fraction or exponent that fits `UInt64`.
    mutating func readUInt64() throws -> UInt64 {
        let token = try numberToken()
        guard !token.isFraction, !token.negative || token.integer == 0, token.digits <= 19 else { throw Failure() }
        return token.integer
    }

    /// An integer written without fraction or exponent that fits `Int`.
    mutating func readInt() throws -> Int {
        let token = try numberToken()
        guard !token.isFraction, token.digits <= 18 else { throw Failure() }
        return token.negative ? -Int(token.integer) : Int(token.integer)
    }

    // MARK: - Keys

    /// An object key as its raw bytes (keys with escapes are not taken: the caller falls back).
    struct Key {
        fileprivate let bytes: UnsafeRawBufferPointer

        static func == (key: Key, name: StaticString) -> Bool {
            guard key.bytes.count == name.utf8CodeUnitCount else { return false }
            return memcmp(key.bytes.baseAddress!, name.utf8Start, key.bytes.count) == 0
        }

        static func ~= (name: StaticString, key: Key) -> Bool { key == name }
    }

    private mutating func readKey() throws -> Key {
        try expect(UInt8(ascii: "\""))
        let start = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                defer { offset += 1 }
                return Key(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
            }
            // Escaped or non-ASCII keys are never the model's: let JSONDecoder judge such a document.
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { throw Failure() }
            offset += 1
        }
        throw Failure()
    }

    // MARK: - Helpers

    private var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        offset += 1
        return true
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard consume(byte) else { throw Failure() }
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard bytes.count - offset >= count, memcmp(bytes.baseAddress! + offset, word.utf8Start, count) == 0 else {
            throw Failure()
        }
        offset += count
    }

    /// A number's extent, checked against the JSON grammar
    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`, with its integer part when it has no
    /// fraction or exponent.
    private struct NumberToken {
        var range: Range<Int>
        var negative = false
        var isFraction = false
        var integer: UInt64 = 0
        var digits = 0
    }

    private mutating func numberToken() throws -> NumberToken {
        var token = NumberToken(range: offset..<offset)
        token.negative = consume(UInt8(ascii: "-"))
        guard let first = peek, isDigit(first) else { throw Failure() }
        if first == UInt8(ascii: "0") {
            offset += 1
            token.digits = 1
        } else {
            while let byte = peek, isDigit(byte) {
                if token.digits < 19 { token.integer = token.integer &* 10 &+ UInt64(byte - UInt8(ascii: "0")) }
                token.digits += 1
                offset += 1
            }
        }
        if consume(UInt8(ascii: ".")) {
            token.isFraction = true
            try digitRun()
        }
        if let byte = peek, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            offset += 1
            token.isFraction = true
            if let sign = peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { offset += 1 }
            try digitRun()
        }
        token.range = token.range.lowerBound..<offset
        return token
    }

    private mutating func digitRun() throws {
        guard let byte = peek, isDigit(byte) else { throw Failure() }
        while let byte = peek, isDigit(byte) { offset += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// `strtod` over a NUL-terminated copy of the token: correctly rounded, as Foundation's parser is.
    private func parseDouble(_ range: Range<Int>) throws -> Double {
        let count = range.count
        guard count < 64 else { throw Failure() }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            for index in 0..<count { buffer[index] = CChar(bitPattern: bytes[range.lowerBound + index]) }
            buffer[count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// Finishes a string that has an escape, from its first byte at `start`.
    private mutating func readEscapedString(from start: Int) throws -> String {
        var text = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: text, as: UTF8.self) else { throw Failure() }
                return string
            case UInt8(ascii: "\\"):
                guard let escape = peek else { throw Failure() }
                offset += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"): text.append(contentsOf: try unicodeEscape())
                default: throw Failure()
                }
            case 0..<0x20:
                throw Failure()
            default:
                text.append(byte)
            }
        }
        throw Failure()
    }

    /// The UTF-8 bytes of `\uXXXX` (the `\u` already read), joining a surrogate pair.
    private mutating func unicodeEscape() throws -> [UInt8] {
        var scalar = try hexQuad()
        if (0xD800..<0xDC00).contains(scalar) {
            try literal("\\u")
            let low = try hexQuad()
            guard (0xDC00..<0xE000).contains(low) else { throw Failure() }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw Failure() }
        return Array(String(Character(unicode)).utf8)
    }

    private mutating func hexQuad() throws -> UInt32 {
        guard bytes.count - offset >= 4 else { throw Failure() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            offset += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Failure()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
