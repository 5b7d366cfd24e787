import RemitCore
import RemitCrypto
import Testing
@testable import RemitInference

@Suite("suffix-array text index")
struct TextIndexTests {
    static func index(_ texts: [String], normalization: Tokenizer.Normalization = .preserveCase) throws -> TextIndex {
        let bytes = try TextIndexBuilder.build(Fixture.documents(texts), normalization: normalization)
        return try TextIndex(file: IndexFile(storage: IndexStorage(copying: bytes), name: "test"))
    }

    @Test("n-gram counts and documents equal a direct scan of every document (seeded random corpus)")
    func countsMatchScan() throws {
        var rng = SplitMix64(seed: 99)
        let words = ["a", "b", "c", "d", "e"]
        let texts = (0..<40).map { _ in (0..<Int(rng.uniform(below: 30) + 1)).map { _ in words[Int(rng.uniform(below: 5))] }.joined(separator: " ") }
        let index = try TextIndexTests.index(texts)
        let tokenized = texts.map { $0.split(separator: " ").map(String.init) }
        for _ in 0..<300 {
            let n = Int(rng.uniform(below: 4)) + 1
            let pattern = (0..<n).map { _ in words[Int(rng.uniform(below: 5))] }
            var expected = 0
            var holders: [Int] = []
            for (d, doc) in tokenized.enumerated() where doc.count >= n {
                let hits = (0...(doc.count - n)).filter { Array(doc[$0..<($0 + n)]) == pattern }.count
                expected += hits
                if hits > 0 { holders.append(d) }
            }
            let ids = pattern.map { index.tokenID(Array($0.utf8))! }
            #expect(index.count(ids) == expected, "\(pattern)")
            #expect(index.documents(containing: ids) == holders)
        }
    }

    @Test("n-grams never cross documents; unknown tokens match nothing")
    func boundaries() throws {
        let index = try TextIndexTests.index(["x y", "z w"])
        let y = index.tokenID(Array("y".utf8))!
        let z = index.tokenID(Array("z".utf8))!
        #expect(index.count([y]) == 1)
        #expect(index.count([y, z]) == 0)
        #expect(index.encode("y nope") == [y, TextIndex.unknownToken])
        #expect(index.count(index.encode("nope")) == 0)
    }

    @Test("continuations partition a range by next token, ascending, separator first")
    func continuations() throws {
        let index = try TextIndexTests.index(["the cat sat", "the dog sat", "the cat ran", "the"])
        let the = index.tokenID(Array("the".utf8))!
        let range = index.range(of: [the])
        let next = index.continuations(of: range, depth: 1)
        #expect(next.map { index.tokenText($0.token) } == ["", "cat", "dog"])
        #expect(next.map(\.range.count) == [1, 2, 1])
        #expect(next.map(\.range.count).reduce(0, +) == range.count)
    }

    @Test("vocabulary ids follow byte order and the container round-trips through a file map")
    func vocabularyAndMapping() throws {
        let bytes = try TextIndexBuilder.build(Fixture.documents(["b a", "c a B"]), normalization: .preserveCase)
        let path = Fixture.temporaryFolder() + "/index.bin"
        try DatanetFiles.write(path, bytes)
        let index = try TextIndex(file: IndexFile(storage: IndexStorage(mapping: path), name: path))
        #expect((1..<index.vocabulary.count).map { index.vocabulary.string($0) } == ["B", "a", "b", "c"])
        #expect(index.tokenCount == 7)
        #expect(index.documentCount == 2)
        #expect(index.count(index.encode("a")) == 2)
    }

    @Test("a damaged header is refused with index.invalid")
    func damaged() throws {
        var bytes = try TextIndexBuilder.build(Fixture.documents(["a b"]), normalization: .preserveCase)
        bytes[8] = 9
        do {
            _ = try IndexFile(storage: IndexStorage(copying: bytes), name: "x")
            Issue.record("a version-9 index was accepted")
        } catch {
            #expect(error.code == .indexInvalid)
            #expect(error.message.contains("version 9"))
        }
    }
}
