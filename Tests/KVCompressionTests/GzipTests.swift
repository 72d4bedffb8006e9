import Foundation
import KVCompression
import Testing

@Suite struct GzipTests {
    /// Inputs by name: empty, a short text, and 1 MiB of random bytes (incompressible).
    static let inputs: [String: Data] = {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<((1 << 20) / 8)).map { _ in generator.next() }
        let random = words.withUnsafeBytes { Data($0) }
        return ["empty": Data(), "small": Data("hello, kvstore\n".utf8), "1 MiB random": random]
    }()

    static let names = ["empty", "small", "1 MiB random"]

    @Test(arguments: names)
    func compressedDataStartsWithTheGzipMagicAndRoundTrips(_ name: String) throws {
        let input = try #require(Self.inputs[name])
        let compressed = try Gzip.compress(input)
        #expect(Array(compressed.prefix(3)) == [0x1F, 0x8B, 0x08], "gzip magic and deflate method")
        #expect(try Gzip.decompress(compressed, maxOutputBytes: input.count) == input)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: GzipTests.gzipTool), "needs gzip"), arguments: names)
    func theSystemGzipDecodesTheOutputToTheExactInput(_ name: String) throws {
        let input = try #require(Self.inputs[name])
        #expect(try Self.systemGunzip(Gzip.compress(input)) == input)
    }

    @Test func textIsCompressedAsItsUTF8Bytes() throws {
        let text = String(repeating: "kvstore ", count: 10_000)
        let compressed = try Gzip.compress(text)
        #expect(compressed.count < text.utf8.count / 10)
        #expect(try Gzip.decompress(compressed, maxOutputBytes: 1 << 20) == Data(text.utf8))
    }

    @Test func dataFromTheSystemGzipIsDecoded() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.gzipTool) else { return }
        let input = Data("made by gzip(1)\n".utf8)
        let compressed = try Self.run(Self.gzipTool, ["-c"], input: input)
        #expect(try Gzip.decompress(compressed, maxOutputBytes: 1024) == input)
    }

    static let corruptions: [(String, @Sendable (Data) -> Data)] = [
        ("not gzip at all", { _ in Data("plain text, no magic".utf8) }),
        ("empty input", { _ in Data() }),
        ("truncated", { $0.prefix($0.count / 2) }),
        ("wrong CRC", { data in
            var bad = data
            bad[bad.count - 8] ^= 0xFF
            return bad
        }),
        ("flipped deflate byte", { data in
            var bad = data
            bad[12] ^= 0xFF
            return bad
        }),
    ]

    @Test(arguments: corruptions.indices)
    func corruptInputIsAnErrorNotACrash(_ index: Int) throws {
        let (name, corrupt) = Self.corruptions[index]
        let input = Data((0..<4096).map { UInt8($0 % 251) })
        let compressed = try Gzip.compress(input)
        let failure = #expect(throws: Gzip.Failure.self, "\(name)") {
            try Gzip.decompress(corrupt(compressed), maxOutputBytes: 1 << 20)
        }
        #expect(failure?.code == .invalidData, "\(name)")
    }

    @Test func outputOverTheLimitIsRefused() throws {
        let bomb = try Gzip.compress(Data(count: 1 << 20))
        #expect(bomb.count < 10_000)
        let failure = #expect(throws: Gzip.Failure.self) { try Gzip.decompress(bomb, maxOutputBytes: (1 << 20) - 1) }
        #expect(failure?.code == .tooLarge)
        #expect(failure?.description == "decompressed data exceeds \((1 << 20) - 1) bytes")
        #expect(try Gzip.decompress(bomb, maxOutputBytes: 1 << 20).count == 1 << 20)
    }

    @Test func snapshotCompressionIsGzip() throws {
        let input = Data(#"{"sequence":1}"#.utf8)
        let compression = GzipSnapshotCompression()
        let compressed = try compression.compress(input)
        #expect(Array(compressed.prefix(2)) == [0x1F, 0x8B])
        #expect(try compression.decompress(compressed, maxOutputBytes: 1024) == input)
        #expect(throws: (any Error).self) { try compression.decompress(input, maxOutputBytes: 1024) }
    }

    // MARK: - The system gzip

    static let gzipTool = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/gzip"

    static func systemGunzip(_ data: Data) throws -> Data {
        try run(gzipTool, ["-dc"], input: data)
    }

    /// Runs `tool` with `input` as a file on stdin; returns stdout, failing on a non-zero exit.
    static func run(_ tool: String, _ arguments: [String], input: Data) throws -> Data {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kvcompression-\(UUID().uuidString)")
        try input.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: file)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) \(arguments) exited with \(process.terminationStatus)")
        return data
    }
}
