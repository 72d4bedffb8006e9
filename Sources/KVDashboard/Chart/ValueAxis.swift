import Foundation

/// A value axis with round tick values: steps of 1, 2 or 5 times a power of ten.
public struct ValueAxis: Sendable, Equatable {
    /// The lowest and highest values the axis shows (both on a tick).
    public var lower: Double
    public var upper: Double
    /// The distance between ticks.
    public var step: Double
    /// The tick values, from `lower` to `upper`.
    public var ticks: [Double]

    /// An axis covering `minimum...maximum` with about `targetTicks` intervals. Non-negative data
    /// starts at zero; an empty or flat range still gets a usable axis.
    public init(minimum: Double, maximum: Double, targetTicks: Int = 4) {
        var low = minimum.isFinite ? minimum : 0
        var high = maximum.isFinite ? maximum : 1
        if low > high { swap(&low, &high) }
        if low >= 0 { low = 0 }
        if high == low { high = low == 0 ? 1 : low + abs(low) }
        let step = Self.niceStep(for: (high - low) / Double(max(targetTicks, 1)))
        self.step = step
        let lower = (low / step).rounded(.down) * step
        let upper = (high / step).rounded(.up) * step
        let count = Int(((upper - lower) / step).rounded())
        self.lower = lower
        self.upper = upper
        ticks = (0...count).map { Self.clean(lower + Double($0) * step, step: step) }
    }

    /// The smallest 1-2-5 step at least `raw`.
    public static func niceStep(for raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let residual = raw / magnitude
        let nice: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Decimal places that show every tick of this axis exactly.
    public var decimals: Int { max(0, Int(-log10(step).rounded(.down))) }

    /// A tick label: the value with the axis's decimals.
    public func label(_ value: Double) -> String {
        NumberText.fixed(value, decimals: decimals)
    }

    /// Where `value` falls between `lower` (0) and `upper` (1).
    public func fraction(_ value: Double) -> Double {
        upper > lower ? (value - lower) / (upper - lower) : 0
    }

    private static func clean(_ value: Double, step: Double) -> Double {
        // Remove binary noise such as 0.30000000000000004.
        let scale = pow(10, Double(max(0, Int(-log10(step).rounded(.down)) + 2)))
        return (value * scale).rounded() / scale
    }
}
