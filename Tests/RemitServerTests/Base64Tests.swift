import Foundation
import Hummingbird
import RemitCore
@testable import RemitServer
import Testing

/// The header codec agrees with Foundation's base64 and refuses what is not canonical base64.
@Suite("HTTP base64 and timeouts")
struct Base64Tests {
    @Test("round trip against Foundation for every length up to 300")
    func roundTrip() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base64.encode(bytes)
            #expect(text == Data(bytes).base64EncodedString())
            if length > 0 { #expect(Base64.decode(text) == bytes) }
        }
    }

    @Test("refuses bad characters, bad length and misplaced padding")
    func refusals() {
        #expect(Base64.decode("abc") == nil)
        #expect(Base64.decode("ab!d") == nil)
        #expect(Base64.decode("a=bc") == nil)
        #expect(Base64.decode("ab==cdef") == nil)
        #expect(Base64.decode(" YWJj ") == Array("abc".utf8))
    }

    @Test("a request past its deadline is answered http.timeout while its work runs on")
    func timeout() async throws {
        let deadlines = RequestTimeout(timeout: .zero)
        let release = OneShot<Int>()
        let finished = OneShot<Bool>()
        let reply = Task {
            try await deadlines.run {
                _ = try await release.value()
                finished.finish(.success(true))
                throw RemitError(.httpInternal, "not expected")
            }
        }
        // Sweep until the request is answered: its deadline (registration + 0) has passed.
        let sweeper = Task {
            while !Task.isCancelled {
                deadlines.sweep()
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        do {
            _ = try await reply.value
            Issue.record("expected http.timeout")
        } catch let error as RemitError {
            #expect(error.code == .httpTimeout)
        }
        sweeper.cancel()
        release.finish(.success(1))
        #expect(try await finished.value())
    }
}
