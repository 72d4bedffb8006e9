import HTTPTypes

extension HTTPFields {
    /// The `Content-Length` a request declares: nil without one, or when it is not a number.
    ///
    /// Read from the first such field: NIO's parser (llhttp) refuses a request with two, and the
    /// fields' by-name getter would first join every match into a new string (4,000 instructions
    /// a call, twice on every PUT, `scripts/bench/callgrind.sh`).
    var declaredContentLength: Int? {
        for field in self where field.name == .contentLength { return Int(field.value) }
        return nil
    }
}
