import Foundation
import Testing
@testable import KVServer

/// The hand-written JSON of answers and log lines escapes exactly what JSON requires.
@Suite struct JSONStringTests {
    @Test func plainTextIsKeptAsItIs() {
        #expect(JSONString.escaped("") == "")
        #expect(JSONString.escaped("users/42:profile-é✓") == "users/42:profile-é✓")
    }

    @Test func quotesBackslashesAndControlCharactersAreEscaped() {
        #expect(JSONString.escaped("a\"b") == "a\\\"b")
        #expect(JSONString.escaped("a\\b") == "a\\\\b")
        #expect(JSONString.escaped("line\nnext\r\ttab") == "line\\nnext\\r\\ttab")
        #expect(JSONString.escaped("bell\u{07}del\u{7F}é") == "bell\\u0007del\\u007fé")
    }

    @Test func anEscapedValueParsesBackToTheOriginal() throws {
        let original = "quote\" slash\\ newline\n nul\u{00} é ✓"
        let document = "{\"v\":\"\(JSONString.escaped(original))\"}"
        let parsed = try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: String]
        #expect(parsed?["v"] == original)
    }
}
