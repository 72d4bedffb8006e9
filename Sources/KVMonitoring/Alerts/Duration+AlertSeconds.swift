extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    var alertSeconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
