import KVSnapshot
import Testing

@Suite struct DurationSyntaxTests {
    @Test(arguments: [("90s", 90.0), ("15m", 900), ("24h", 86_400), ("7d", 604_800), ("2w", 1_209_600), ("1h30m", 5400), ("0.5s", 0.5)])
    func unitsAddUp(text: String, seconds: Double) {
        #expect(DurationSyntax.seconds(text) == seconds)
    }

    @Test(arguments: ["", "30", "s", "5x", "-5s", "0s", "1e9999s", "5 s", "h1"])
    func othersAreRefused(text: String) {
        #expect(DurationSyntax.seconds(text) == nil)
    }

    @Test func bareSecondsOnlyWhenAllowed() {
        #expect(DurationSyntax.seconds("30", allowsBareSeconds: true) == 30)
        #expect(DurationSyntax.seconds("2.5", allowsBareSeconds: true) == 2.5)
        #expect(DurationSyntax.seconds("0", allowsBareSeconds: true) == nil)
        #expect(DurationSyntax.seconds("1e3", allowsBareSeconds: true) == nil)
        #expect(DurationSyntax.seconds("30s", allowsBareSeconds: true) == 30)
    }
}
