import Foundation
import RemitBenchmarks
import RemitChannels
import RemitCore
import RemitCrypto
import Testing

/// SIGKILLs a child process paying through both durable books at many points, reopens the books
/// after each kill, checks they agree, and lets the child continue.
@Suite("Channel books under SIGKILL")
struct KillTests {
    static var executable: URL {
        let candidate = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("remit")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/remit")
    }

    /// Starts the soak and kills it once it has paid `atLeast` queries plus a little more time.
    static func runAndKill(directory: String, atLeast: UInt64, extraMilliseconds: Int) throws -> UInt64 {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["_soak", "channels", "--dir", directory]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen: UInt64 = 0
        var buffer = Data()
        let handle = pipe.fileHandleForReading
        while seen < atLeast {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer += chunk
            if let text = String(data: buffer, encoding: .utf8), let last = text.split(separator: "\n").last(where: { $0.hasPrefix("paid ") }) {
                seen = UInt64(last.dropFirst(5)) ?? seen
            }
        }
        usleep(useconds_t(extraMilliseconds * 1_000))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return seen
    }

    /// Opens both books and checks what a crash may and may not leave behind.
    static func check(directory: String, finished: Bool) async throws {
        let ledger = ProtocolVectors.ledger
        let payer = try PayerBook(path: "\(directory)/payer.sqlite", key: ProtocolVectors.key(0x02), ledger: ledger)
        let payee = try PayeeBook(path: "\(directory)/payee.sqlite", key: ProtocolVectors.key(0x03), ledger: ledger)
        guard let payerState = await payer.allChannels().first else { return }
        let channel = payerState.terms.channel
        guard let payeeState = await payee.channel(channel) else {
            #expect(payerState.sequence <= 1, "the payee lost a channel it had been paid on")
            return
        }
        let payeeSequence = payeeState.voucher?.message.sequence ?? 0
        // The payer persists before sending, the payee before answering: the payee is at most one voucher behind.
        #expect(payerState.sequence >= payeeSequence)
        #expect(payerState.sequence - payeeSequence <= 1, "payer at \(payerState.sequence), payee at \(payeeSequence)")
        // Every query the payee served is stored with its receipt, and charged exactly once.
        let claim = try await payee.claim(channel, now: ProtocolVectors.time)
        #expect(UInt64(claim.receipts.count) == payeeState.served)
        #expect(claim.receipts.map(\.sequence) == Array(1...max(1, payeeSequence)).prefix(claim.receipts.count).map { $0 })
        #expect(payeeState.charged.units == Int64(payeeState.served) * ChannelSoak.price.units)
        // Receipt records are write-behind on the payer: it may lag, never lead.
        #expect(payerState.charged <= payeeState.charged)
        if finished {
            #expect(payerState.charged == payeeState.charged)
            #expect(payerState.sequence == payeeSequence)
            #expect(payerState.pending == nil)
        }
    }

    @Test("SIGKILL mid-stream at many points: books reopen consistent and continue")
    func killAndContinue() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("remit-kill-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var target: UInt64 = 5
        for round in 0..<10 {
            let seen = try KillTests.runAndKill(directory: directory, atLeast: target, extraMilliseconds: (round * 7) % 23)
            #expect(seen >= target, "the soak stopped early at \(seen)")
            try await KillTests.check(directory: directory, finished: false)
            target = seen + 20
        }
        // Continue to a clean finish: everything in flight is resolved and both books agree.
        let process = Process()
        process.executableURL = KillTests.executable
        process.arguments = ["_soak", "channels", "--dir", directory, "--queries", "25"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        try await KillTests.check(directory: directory, finished: true)
    }
}
