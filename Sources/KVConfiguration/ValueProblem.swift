/// A value its key cannot take; the loader adds the source and the key.
struct ValueProblem: Error, Equatable {
    /// The bad value, as ``RawSetting/display`` shows it.
    var value: String
    /// What the key allows, e.g. "an integer from 0 to 65535".
    var expected: String
}
