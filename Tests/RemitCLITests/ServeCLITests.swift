import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The model owner's journey by command line: `remit serve` on a loopback port, a 402 for an
/// unpaid query, `remit agent run research --remote` paying it, SIGTERM for a graceful stop.
@Suite("remit serve")
struct ServeCLITests {
    @Test("serve, 402 without payment, agent run --remote, graceful stop")
    func serveJourney() async throws {
        let dir = try RemitProcess.temporaryDirectory()
        try Data(AgentCLITests.fortunes.utf8).write(to: dir.appendingPathComponent("quotes.txt"))
        let made = try RemitProcess.run(["market", "init", "m", "--from", "quotes.txt", "--price-rows", "200", "--kdf", "minimum"], in: dir)
        #expect(made.status == 0, "\(made.stderr)")

        let server = Process()
        server.executableURL = RemitProcess.executable
        server.arguments = ["serve", "--config", "m/market.yaml", "--port", "0"]
        server.currentDirectoryURL = dir
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        var line = ""
        while !line.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += String(decoding: chunk, as: UTF8.self)
        }
        let url = try #require(line.split(separator: "\n").first.map { String($0) }?.replacingOccurrences(of: "listening on ", with: ""))
        #expect(url.hasPrefix("http://127.0.0.1:"))

        var request = URLRequest(url: URL(string: "\(url)/v1/models/fortune-qa/query")!)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"request": {"type": "question", "question": "the weather", "topK": 1}}"#.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 402)
        let requirement = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        #expect((requirement?["error"] as? [String: Any])?["code"] as? String == "payment.required")
        #expect(requirement?["accepts"] as? [String] == ["voucher", "tick"])

        let research = try RemitProcess.run([
            "agent", "run", "research", "--remote", url, "--wallet", "w", "--demo-password", "--fund", "1",
            "--operator-key", "m/operator.key", "--topic", "the weather", "--out", "r.md",
        ], in: dir)
        #expect(research.status == 0, "\(research.stderr)")
        #expect(research.stdout.contains("spent"))
        let report = try String(contentsOf: dir.appendingPathComponent("r.md"), encoding: .utf8)
        #expect(report.contains("Mark Twain"))

        server.terminate()
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
    }
}
