import Foundation
@testable import RemitServer
import Testing

/// The header codec agrees with Foundation's base64 and refuses what is not canonical base64.
@Suite("HTTP base64")
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
}
