import Testing
@testable import RemitInference

@Suite("tokenizer remit-words-v1")
struct TokenizerTests {
    @Test("words, numbers, apostrophes inside words, one token per symbol")
    func splitting() {
        let t = Tokenizer()
        #expect(t.tokenize("Don't panic!  It's 42...") == ["Don't", "panic", "!", "It's", "42", ".", ".", "."])
        #expect(t.tokenize("'quoted' rock'n'roll") == ["'", "quoted", "'", "rock'n'roll"])
        #expect(t.tokenize("\t\t-- Mark Twain, \"Pudd'nhead\"") == ["-", "-", "Mark", "Twain", ",", "\"", "Pudd'nhead", "\""])
        #expect(t.tokenize("") == [])
        #expect(t.tokenize("   \n ") == [])
    }

    @Test("non-ASCII letters join words; General Punctuation and no-break space do not")
    func unicode() {
        let t = Tokenizer()
        #expect(t.tokenize("café naïve—über\u{00A0}Straße…") == ["café", "naïve", "—", "über", "Straße", "…"])
        #expect(t.tokenize("日本語 text") == ["日本語", "text"])
    }

    @Test("lowercase normalisation touches ASCII A-Z only")
    func lowercase() {
        #expect(Tokenizer(normalization: .lowercase).tokenize("The ÉLAN of Rome") == ["the", "Élan", "of", "rome"])
    }

    @Test("tokens are compared as bytes: composed and decomposed é are different tokens")
    func bytes() {
        var tokens: [[UInt8]] = []
        Tokenizer().forEachToken(in: "\u{E9} e\u{301}") { tokens.append($0) }
        #expect(tokens == [[0xC3, 0xA9], [0x65, 0xCC, 0x81]])
    }

    @Test("detokenize puts no space before closing punctuation or inside quotes")
    func detokenize() {
        #expect(Tokenizer.detokenize(["Hello", ",", "world", "!", "(", "yes", ")", "\"", "ok", "\"", "."]) == "Hello, world! (yes) \"ok\".")
    }

    @Test("sentences split after . ! ? before whitespace and at blank lines")
    func sentences() {
        #expect(Sentences.split("One.  Two! 3.5 is a number?\n\nFour\n  lines") == ["One.", "Two!", "3.5 is a number?", "Four lines"])
    }
}
