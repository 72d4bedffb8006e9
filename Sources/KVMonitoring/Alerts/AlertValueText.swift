/// Alert values as text, for annotations and log metadata.
enum AlertValueText {
    /// Whole numbers without a fraction (`2`, `943718400`), others in Swift's shortest form
    /// (`0.0625`); empty for nil, `NaN`/`+Inf`/`-Inf` for the rest.
    static func text(_ value: Double?) -> String {
        guard let value else { return "" }
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
