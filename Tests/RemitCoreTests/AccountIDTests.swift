import Foundation
import RemitCore
import RemitCrypto
import Testing

@Suite("Account ids")
struct AccountIDTests {
    @Test("round trip through the printable form")
    func roundTrip() throws {
        for _ in 0..<50 {
            let key = SigningKey().publicKey
            let id = AccountID(key)
            #expect(id.description.hasPrefix("rm1"))
            #expect(id.description.count == 59)
            #expect(try AccountID(id.description) == id)
            #expect(try AccountID(id.description.uppercased().replacingOccurrences(of: "RM1", with: "rm1")) == id)
        }
    }

    @Test("every single-character typo is refused")
    func typos() throws {
        let text = AccountID(SigningKey().publicKey).description
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var characters = Array(text)
        for index in 3..<characters.count {
            let original = characters[index]
            let replacement = alphabet[(alphabet.firstIndex(of: original)! + 7) % 32]
            characters[index] = replacement
            let error = #expect(throws: RemitError.self) { try AccountID(String(characters)) }
            #expect(error?.code == .accountIDBadChecksum || error?.code == .accountIDInvalid, "position \(index)")
            characters[index] = original
        }
        // Swapping two neighbours is caught too.
        characters.swapAt(10, 11)
        if characters[10] != characters[11] {
            #expect(throws: RemitError.self) { try AccountID(String(characters)) }
        }
    }

    @Test("wrong prefix, length or alphabet are refused with account_id.invalid")
    func malformed() {
        let text = AccountID(SigningKey().publicKey).description
        for bad in ["xx1" + text.dropFirst(3), String(text.dropLast()), text + "a", String(text.prefix(58)) + "1", ""] {
            let error = #expect(throws: RemitError.self) { try AccountID(bad) }
            #expect(error?.code == .accountIDInvalid, "\(bad)")
        }
    }
}
