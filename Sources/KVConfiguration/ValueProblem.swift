/// A value its key cannot take; the loader adds the source and the key.
struct ValueProblem: Error, Equatable {
    /// What is wrong with the value.
    enum Kind: Equatable {
        /// The value is not allowed: "invalid value ... (expected ...)".
        case invalidValue
        /// A mapping inside the value has a key it does not allow; `allowed` lists the keys it does.
        case unknownKey(allowed: String)
        /// A mapping inside the value lacks a required key.
        case missingKey
    }

    /// The bad value, as ``RawSetting/display`` shows it.
    var value: String
    /// What the key allows, e.g. "an integer from 0 to 65535".
    var expected: String
    /// The part of a structured value at fault, appended to the key (`[2].url`); empty for the whole value.
    var path: String = ""
    /// The file line of the part at fault, when the value came from a file and the line is known.
    var line: Int? = nil
    var kind: Kind = .invalidValue

    /// The same problem, found inside the element at `path` (on `line`, when known).
    func nested(in path: String, line: Int?) -> Self {
        var problem = self
        problem.path = path + problem.path
        problem.line = problem.line ?? line
        return problem
    }
}
