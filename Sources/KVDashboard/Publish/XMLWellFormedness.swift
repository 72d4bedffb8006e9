import CLibXML2
import Foundation

/// Checks that bytes are a well-formed XML document, with libxml2: no network, no DTD loading,
/// no entity substitution.
public enum XMLWellFormedness {
    private static let initialised: Bool = {
        xmlInitParser()
        return true
    }()

    /// Throws `DashboardError` (naming `path`) when `data` does not parse.
    public static func check(_ data: Data, path: String) throws {
        _ = initialised
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        // The last error is per thread: read it right after the call.
        let failure: String? = data.withUnsafeBytes { raw -> String? in
            guard let base = raw.bindMemory(to: CChar.self).baseAddress, raw.count <= Int(Int32.max) else {
                return raw.count == 0 ? "empty document" : "document too large"
            }
            xmlResetLastError()
            guard let document = xmlReadMemory(base, Int32(raw.count), "file:///\(path)", "UTF-8", options) else {
                guard let error = xmlGetLastError(), let message = error.pointee.message else { return "unknown parser error" }
                let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
                return "line \(error.pointee.line): \(text)"
            }
            xmlFreeDoc(document)
            return nil
        }
        if let failure { throw DashboardError.notWellFormed(path, failure) }
    }

    /// Checks every XML file of `site` (`.html`, `.xhtml`, `.svg`, `.xml`).
    public static func check(_ site: RenderedSite) throws {
        for (path, data) in site.files.sorted(by: { $0.key < $1.key }) where isXML(path) {
            try check(data, path: path)
        }
    }

    static func isXML(_ path: String) -> Bool {
        [".html", ".xhtml", ".svg", ".xml"].contains { path.hasSuffix($0) }
    }
}
