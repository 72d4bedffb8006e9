/// The geometry of one chart: its size and the plot area inside the margins, in SVG user units.
public struct ChartFrame: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public var left: Double
    public var right: Double
    public var top: Double
    public var bottom: Double

    public init(width: Double = 640, height: Double = 250, left: Double = 62, right: Double = 16,
                top: Double = 38, bottom: Double = 30) {
        self.width = width
        self.height = height
        self.left = left
        self.right = right
        self.top = top
        self.bottom = bottom
    }

    public var plotLeft: Double { left }
    public var plotRight: Double { width - right }
    public var plotTop: Double { top }
    public var plotBottom: Double { height - bottom }
    public var plotWidth: Double { plotRight - plotLeft }

    /// The x of `time` in a window `from...to`.
    public func x(_ time: Double, from: Double, to: Double) -> Double {
        to > from ? plotLeft + (time - from) / (to - from) * plotWidth : plotLeft
    }

    /// The y of a value at `fraction` (0 = bottom, 1 = top) of the value axis.
    public func y(_ fraction: Double) -> Double {
        plotBottom - fraction * (plotBottom - plotTop)
    }
}
