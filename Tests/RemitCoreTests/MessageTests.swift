import Foundation
import RemitCore
import RemitCrypto
import Testing

/// Helpers that work on any message type.
enum Check {
    /// Decodes wire bytes and verifies them as the same kind of message as `like`; throws on any failure.
    static func decodeAndVerify(_ bytes: [UInt8], like: AnyMessage, ledger: LedgerID) throws(RemitError) {
        let decoded = try AnyMessage(wireBytes: bytes)
        guard decoded.messageType == like.messageType else {
            throw RemitError(.messageUnknownType, "decoded as \(decoded.messageType), expected \(like.messageType)")
        }
        if let tick = decoded.tick {
            let original = like.tick!
            try tick.verify(ledger: ledger, channel: original.channel, previousIndex: 1,
                            previousLink: ProtocolVectors.chain.link(at: 1), maxSteps: 1_000)
        } else {
            try decoded.verify(ledger: ledger, signer: like.signer)
        }
    }

    private static func resign<M: SignableMessage>(_ type: M.Type, _ message: AnyMessage, _ key: SigningKey) -> AnyMessage? {
        message.signed(as: M.self).map { AnyMessage(Signed(signing: $0.message, with: key)) }
    }

    /// The same message signed by `key` instead.
    static func resign(_ message: AnyMessage, with key: SigningKey) -> AnyMessage {
        for type in AnyMessage.signedTypes {
            if let resigned = resign(type, message, key) { return resigned }
        }
        fatalError("not a signed message: \(message.messageType)")
    }
}

@Suite("Signed messages")
struct MessageTests {
    static let messages = ProtocolVectors.signedMessages + [AnyMessage(ProtocolVectors.tick)]
    static let names = messages.map(\.messageType.name)

    static func message(_ name: String) -> AnyMessage { messages.first { $0.messageType.name == name }! }

    @Test("signs, verifies, and round-trips through binary and JSON", arguments: names)
    func roundTrip(name: String) throws {
        let message = MessageTests.message(name)
        let ledger = ProtocolVectors.ledger
        try Check.decodeAndVerify(message.wireBytes, like: message, ledger: ledger)
        let json = message.jsonBytes
        let decoded = try AnyMessage(json: json, ledger: ledger)
        #expect(decoded == message)
        #expect(decoded.wireBytes == message.wireBytes)
        #expect(try AnyMessage(wireBytes: message.wireBytes) == message)
    }

    @Test("flipping any byte of the message or its signature makes verification fail", arguments: names)
    func everyByteMatters(name: String) {
        let message = MessageTests.message(name)
        let wire = message.wireBytes
        let ledger = ProtocolVectors.ledger
        var failures = 0
        for position in wire.indices {
            for mask: UInt8 in [0x01, 0x80] {
                var altered = wire
                altered[position] ^= mask
                do {
                    try Check.decodeAndVerify(altered, like: message, ledger: ledger)
                    Issue.record("\(name): flipping bit mask \(mask) of byte \(position) still verified")
                } catch {
                    failures += 1
                }
            }
        }
        #expect(failures == wire.count * 2)
    }

    @Test("a signature by the wrong key is refused with message.wrong_signer or message.bad_signature", arguments: names.filter { $0 != "tick" })
    func wrongSigner(name: String) throws {
        let intruder = ProtocolVectors.key(0x66)
        let message = MessageTests.message(name)
        let forged = Check.resign(message, with: intruder)
        let error = #expect(throws: RemitError.self) { try forged.verify(ledger: ProtocolVectors.ledger, signer: message.signer) }
        #expect(error?.code == .messageWrongSigner)
    }

    @Test("a message for another ledger is refused with message.wrong_ledger", arguments: names)
    func wrongLedger(name: String) throws {
        let other = LedgerID(BLAKE2b.hash(Array("another ledger".utf8)))
        let message = MessageTests.message(name)
        let error = #expect(throws: RemitError.self) { try Check.decodeAndVerify(message.wireBytes, like: message, ledger: other) }
        #expect(error?.code == .messageWrongLedger)
    }

    @Test("an unknown version or type in the tag is refused with its own code")
    func versions() throws {
        let voucher = ProtocolVectors.voucher
        var bytes = voucher.canonicalBytes
        let v = bytes.firstIndex(of: 0)! - 1  // the "1" of "v1"
        bytes[v] = UInt8(ascii: "2")
        let version = #expect(throws: RemitError.self) { try Voucher(canonicalBytes: bytes) }
        #expect(version?.code == .messageUnsupportedVersion)
        let receiptBytes = ProtocolVectors.receipt.canonicalBytes
        let type = #expect(throws: RemitError.self) { try Voucher(canonicalBytes: receiptBytes) }
        #expect(type?.code == .messageUnknownType)
        let noTag = #expect(throws: RemitError.self) { try Voucher(canonicalBytes: [UInt8](repeating: 0x41, count: 100)) }
        #expect(noTag?.code == .messageBadEncoding)
    }

    @Test("truncated or padded canonical bytes are refused with message.bad_length")
    func lengths() {
        let bytes = ProtocolVectors.voucher.canonicalBytes
        let short = #expect(throws: RemitError.self) { try Voucher(canonicalBytes: Array(bytes.dropLast())) }
        #expect(short?.code == .messageBadLength)
        let long = #expect(throws: RemitError.self) { try Voucher(canonicalBytes: bytes + [0]) }
        #expect(long?.code == .messageBadLength)
    }

    @Test("JSON decoding refuses unknown versions and types, bad hex, wrong lengths and missing fields")
    func jsonRefusals() throws {
        let signed = Signed(signing: ProtocolVectors.voucher, with: ProtocolVectors.key(0x02))
        let json = String(decoding: signed.jsonBytes(pretty: false), as: UTF8.self)
        let channel = ProtocolVectors.voucher.channel.hex
        let cases: [(String, RemitError.Code)] = [
            (json.replacingOccurrences(of: "\"version\":1", with: "\"version\":2"), .messageUnsupportedVersion),
            (json.replacingOccurrences(of: "\"type\":\"voucher\"", with: "\"type\":\"invoice\""), .messageUnknownType),
            (json.replacingOccurrences(of: channel, with: String(channel.dropLast(2))), .messageBadLength),
            (json.replacingOccurrences(of: channel, with: "zz" + channel.dropFirst(2)), .messageBadEncoding),
            (json.replacingOccurrences(of: ",\"sequence\":3", with: ""), .messageBadEncoding),
            (json.replacingOccurrences(of: "\"sequence\":3", with: "\"sequence\":0"), .messageInvalidField),
            (json.replacingOccurrences(of: "\"cumulative\":\"1500000\"", with: "\"cumulative\":\"-5\""), .amountInvalidFormat),
            ("{not json", .messageBadEncoding),
        ]
        for (text, code) in cases {
            #expect(text != json)
            let error = #expect(throws: RemitError.self) { try AnyMessage(json: Array(text.utf8)) }
            #expect(error?.code == code, "\(code): \(error?.message ?? "no error")")
        }
        let wrongLedger = #expect(throws: RemitError.self) {
            try AnyMessage(json: Array(json.utf8), ledger: LedgerID(BLAKE2b.hash([1])))
        }
        #expect(wrongLedger?.code == .messageWrongLedger)
    }

    @Test("receipt rules: weights sum to exactly 10000, sorted, non-zero; coverage consistent")
    func receiptRules() {
        let base = ProtocolVectors.receipt
        var sum = base
        sum.attribution[0].weightBps += 1
        var unsorted = base
        unsorted.attribution.reverse()
        var zero = base
        zero.attribution[0].weightBps = 0
        zero.attribution[1].weightBps = 10_000
        var emptyWithCoverage = base
        emptyWithCoverage.attribution = []
        var coverage = base
        coverage.coverageBps = 10_001
        for bad in [sum, unsorted, zero, emptyWithCoverage, coverage] {
            let error = #expect(throws: RemitError.self) { try bad.validate() }
            #expect(error?.code == .messageInvalidField)
        }
        #expect((#expect(throws: RemitError.self) { try sum.validate() })?.message.contains("10001") == true)
        var none = base
        none.attribution = []
        none.coverageBps = 0
        #expect(throws: Never.self) { try none.validate() }
    }

    @Test("derived ids must match: a channel open with a foreign channel id, a listing with a foreign model id")
    func derivedIDs() {
        var open = ProtocolVectors.channelOpen
        open.nonce += 1
        #expect((#expect(throws: RemitError.self) { try open.validate() })?.code == .messageInvalidField)
        var listing = ProtocolVectors.listing
        listing.name = "other"
        #expect((#expect(throws: RemitError.self) { try listing.validate() })?.code == .messageInvalidField)
        var split = ProtocolVectors.listing
        split.split.treasuryBps += 1
        #expect((#expect(throws: RemitError.self) { try split.validate() })?.message.contains("10001") == true)
        var contribution = ProtocolVectors.contribution
        contribution.contentDigest = BLAKE2b.hash([1])
        #expect((#expect(throws: RemitError.self) { try contribution.validate() })?.code == .messageInvalidField)
    }

    @Test("a tick is checked against the chain: replay, a skipped check and a wrong link are refused")
    func ticks() throws {
        let chain = ProtocolVectors.chain
        let ledger = ProtocolVectors.ledger
        let channel = ProtocolVectors.channelOpen.channel
        let tick = Tick(ledger: ledger, channel: channel, index: 5, link: chain.link(at: 5))
        try tick.verify(ledger: ledger, channel: channel, previousIndex: 0, previousLink: chain.root, maxSteps: 10)
        try tick.verify(ledger: ledger, channel: channel, previousIndex: 4, previousLink: chain.link(at: 4), maxSteps: 10)
        #expect(throws: RemitError.self) {
            try tick.verify(ledger: ledger, channel: channel, previousIndex: 5, previousLink: chain.link(at: 5), maxSteps: 10)
        }
        #expect(throws: RemitError.self) {
            try tick.verify(ledger: ledger, channel: channel, previousIndex: 0, previousLink: chain.root, maxSteps: 4)
        }
        let forged = Tick(ledger: ledger, channel: channel, index: 5, link: BLAKE2b.hash([5]))
        let error = #expect(throws: RemitError.self) {
            try forged.verify(ledger: ledger, channel: channel, previousIndex: 4, previousLink: chain.link(at: 4), maxSteps: 10)
        }
        #expect(error?.code == .messageBadSignature)
        #expect((#expect(throws: RemitError.self) { try AnyMessage(tick).verify() })?.code == .messageNeedsContext)
    }
}
