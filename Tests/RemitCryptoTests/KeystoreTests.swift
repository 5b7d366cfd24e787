import RemitCrypto
import Testing

@Suite("Keystore")
struct KeystoreTests {
    let password = Array("correct horse battery staple".utf8)

    @Test("seal and open round trip; the header reads without the password")
    func roundTrip() throws {
        let key = SigningKey()
        let file = try Keystore.seal(key, password: password, limits: .minimum)
        #expect(file.count == Keystore.fileSize)
        #expect(Array(file[0..<8]) == Array("REMITKEY".utf8))
        let header = try Keystore.inspect(file)
        #expect(header.publicKey == key.publicKey)
        #expect(header.limits == .minimum)
        let opened = try Keystore.open(file, password: password)
        #expect(opened.publicKey == key.publicKey)
        let message = Array("hello".utf8)
        #expect(key.publicKey.isValidSignature(opened.sign(message), for: message))
        // A fresh salt and nonce each time.
        #expect(try Keystore.seal(key, password: password, limits: .minimum) != file)
    }

    @Test("a wrong password is told apart from a damaged file")
    func wrongPassword() throws {
        let file = try Keystore.seal(SigningKey(), password: password, limits: .minimum)
        let error = #expect(throws: CryptoError.self) { try Keystore.open(file, password: Array("Correct horse battery staple".utf8)) }
        #expect(error?.code == .keystoreWrongPassword)
    }

    @Test("a truncated or padded file is refused as truncated")
    func truncated() throws {
        let file = try Keystore.seal(SigningKey(), password: password, limits: .minimum)
        for length in [9, 10, 100, Keystore.fileSize - 1] {
            let error = #expect(throws: CryptoError.self) { try Keystore.open(Array(file[0..<length]), password: password) }
            #expect(error?.code == .keystoreTruncated, "length \(length)")
        }
        let error = #expect(throws: CryptoError.self) { try Keystore.open(file + [0], password: password) }
        #expect(error?.code == .keystoreTruncated)
    }

    @Test("altering any byte after the version fields is detected as corruption")
    func altered() throws {
        let file = try Keystore.seal(SigningKey(), password: password, limits: .minimum)
        for index in 10..<file.count {
            var altered = file
            altered[index] ^= 0x40
            let error = #expect(throws: CryptoError.self) { try Keystore.open(altered, password: password) }
            #expect(error?.code == .keystoreCorrupted, "byte \(index)")
        }
    }

    @Test("a ciphertext altered with a recomputed checksum still fails to open")
    func alteredWithChecksum() throws {
        let file = try Keystore.seal(SigningKey(), password: password, limits: .minimum)
        var altered = Array(file[0..<146])
        altered[120] ^= 1
        altered += BLAKE2b.hash(altered).bytes
        let error = #expect(throws: CryptoError.self) { try Keystore.open(altered, password: password) }
        #expect(error?.code == .keystoreWrongPassword)
    }

    @Test("magic, version and KDF are checked first")
    func header() throws {
        let file = try Keystore.seal(SigningKey(), password: password, limits: .minimum)
        var notKey = file
        notKey[0] = UInt8(ascii: "X")
        #expect((#expect(throws: CryptoError.self) { try Keystore.inspect(notKey) })?.code == .keystoreNotAKeystore)
        #expect((#expect(throws: CryptoError.self) { try Keystore.inspect(Array("hello".utf8)) })?.code == .keystoreNotAKeystore)
        var version = file
        version[8] = 2
        #expect((#expect(throws: CryptoError.self) { try Keystore.inspect(version) })?.code == .keystoreUnsupportedVersion)
        var kdf = file
        kdf[9] = 9
        #expect((#expect(throws: CryptoError.self) { try Keystore.inspect(kdf) })?.code == .keystoreUnsupportedVersion)
    }

    @Test("limits outside libsodium's bounds are refused before any work")
    func limits() {
        let error = #expect(throws: CryptoError.self) {
            try Keystore.seal(SigningKey(), password: [1], limits: .init(opsLimit: 0, memLimit: 8192))
        }
        #expect(error?.code == .keystoreInvalidLimits)
        let memory = #expect(throws: CryptoError.self) {
            try Keystore.seal(SigningKey(), password: [1], limits: .init(opsLimit: 1, memLimit: 100))
        }
        #expect(memory?.code == .keystoreInvalidLimits)
    }
}
