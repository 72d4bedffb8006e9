import CLibXML2

/// Builds one XML element tree through libxml2's `xmlTextWriter`, which escapes text and
/// attribute values. Owns the writer and its buffer; nothing outside this file sees a C pointer.
///
/// Names of elements and attributes are always literals of the calling code; only text and
/// attribute values may come from data, and those are stripped of XML-forbidden characters.
final class SVGWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr
    private var failed = false

    init() {
        buffer = xmlBufferCreate()
        writer = xmlNewTextWriterMemory(buffer, 0)
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    /// Opens `<name>`.
    func start(_ name: StaticString) {
        record(name.withUTF8Buffer { xmlTextWriterStartElement(writer, $0.baseAddress) })
    }

    /// Opens `<name>` with the attribute names and values given, in order.
    func start(_ name: StaticString, _ attributes: KeyValuePairs<StaticString, String>) {
        start(name)
        for (attribute, value) in attributes { self.attribute(attribute, value) }
    }

    /// Adds an attribute to the element just opened.
    func attribute(_ name: StaticString, _ value: String) {
        let safe = XMLText.sanitized(value)
        record(name.withUTF8Buffer { namePointer in
            safe.withCString { valuePointer in
                valuePointer.withMemoryRebound(to: xmlChar.self, capacity: safe.utf8.count + 1) {
                    xmlTextWriterWriteAttribute(writer, namePointer.baseAddress, $0)
                }
            }
        })
    }

    /// Writes escaped text content.
    func text(_ value: String) {
        let safe = XMLText.sanitized(value)
        record(safe.withCString { pointer in
            pointer.withMemoryRebound(to: xmlChar.self, capacity: safe.utf8.count + 1) {
                xmlTextWriterWriteString(writer, $0)
            }
        })
    }

    /// Closes the innermost open element.
    func end() {
        record(xmlTextWriterEndElement(writer))
    }

    /// `<name attributes…/>` in one call.
    func empty(_ name: StaticString, _ attributes: KeyValuePairs<StaticString, String>) {
        start(name, attributes)
        end()
    }

    /// `<name attributes…>text</name>` in one call.
    func element(_ name: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:], text: String) {
        start(name, attributes)
        self.text(text)
        end()
    }

    /// Closes every open element and returns the markup. Throws when libxml2 reported a failure.
    func finish() throws -> String {
        record(xmlTextWriterEndDocument(writer))
        record(xmlTextWriterFlush(writer))
        guard !failed, let content = xmlBufferContent(buffer) else {
            throw DashboardError.chart("libxml2's text writer failed")
        }
        return String(cString: content)
    }

    private func record(_ result: Int32) {
        if result < 0 { failed = true }
    }
}
