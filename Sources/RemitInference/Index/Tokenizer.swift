/// The tokenizer every Remit text model uses, `remit-words-v1` (docs/PROTOCOL.md §10.1): it
/// depends on nothing but Unicode scalar values, so any implementation splits text the same way.
///
/// Each scalar is whitespace, a word scalar or a symbol:
/// - whitespace: U+0000...U+0020, U+007F, U+0085, U+00A0 (dropped; they only separate tokens);
/// - word: ASCII letters and digits, and every scalar from U+0080 up except U+0085, U+00A0 and
///   the General Punctuation block U+2000...U+206F;
/// - symbol: everything else (ASCII punctuation, U+2000...U+206F).
///
/// A token is a maximal run of word scalars, where an apostrophe U+0027 between two word scalars
/// belongs to the run (`don't`), or a single symbol scalar. With ``Normalization/lowercase`` the
/// ASCII letters A-Z of every token become a-z (the BM25 model's terms); other scalars are kept.
public struct Tokenizer: Sendable, Hashable {
    /// How token text is normalised after splitting.
    public enum Normalization: UInt8, Sendable, Hashable, Codable {
        /// Tokens keep their case (the language model, span tracing).
        case preserveCase = 0
        /// ASCII letters are lower-cased (retrieval).
        case lowercase = 1
    }

    /// The tokenizer's versioned name, recorded in every model manifest.
    public static let version = "remit-words-v1"

    /// The normalisation applied to each token.
    public let normalization: Normalization

    /// Creates a tokenizer.
    public init(normalization: Normalization = .preserveCase) { self.normalization = normalization }

    enum ScalarClass { case space, word, symbol }

    static func classify(_ v: UInt32) -> ScalarClass {
        if v <= 0x20 || v == 0x7F || v == 0x85 || v == 0xA0 { return .space }
        if v < 0x80 {
            if (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) { return .word }
            return .symbol
        }
        if (0x2000...0x206F).contains(v) { return .symbol }
        return .word
    }

    /// The tokens of `text`, in order, as strings.
    public func tokenize(_ text: String) -> [String] {
        var out: [String] = []
        forEachToken(in: text) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    /// Calls `body` with the UTF-8 bytes of each token of `text`, in order. Tokens are compared
    /// and stored as bytes, never as `String` (whose equality is Unicode canonical equivalence).
    public func forEachToken(in text: String, _ body: ([UInt8]) -> Void) {
        var current: [UInt8] = []
        current.reserveCapacity(32)
        var iterator = text.unicodeScalars.makeIterator()
        var next = iterator.next()
        while let scalar = next {
            let following = iterator.next()
            switch Tokenizer.classify(scalar.value) {
            case .space:
                if !current.isEmpty {
                    body(current)
                    current.removeAll(keepingCapacity: true)
                }
            case .word:
                let value = normalization == .lowercase && (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0x20)! : scalar
                UTF8.encode(value) { current.append($0) }
            case .symbol:
                if scalar.value == 0x27, !current.isEmpty, let f = following, Tokenizer.classify(f.value) == .word {
                    current.append(0x27)
                } else {
                    if !current.isEmpty {
                        body(current)
                        current.removeAll(keepingCapacity: true)
                    }
                    var symbol: [UInt8] = []
                    UTF8.encode(scalar) { symbol.append($0) }
                    body(symbol)
                }
            }
            next = following
        }
        if !current.isEmpty { body(current) }
    }

    /// True when `token` holds at least one word scalar (a word or number, not punctuation).
    public static func isWord(_ token: [UInt8]) -> Bool {
        String(decoding: token, as: UTF8.self).unicodeScalars.contains { classify($0.value) == .word }
    }

    /// Joins tokens into readable text: one space between tokens, except none before
    /// `. , ; : ! ? ) ] } %`, none between two `-`, none after `( [ {`, and none inside a pair of
    /// `"` (docs/PROTOCOL.md §10.1).
    /// The result is for display; attribution and digests never depend on re-tokenising it.
    public static func detokenize(_ tokens: some Sequence<String>) -> String {
        var out = ""
        var previous: String?
        var openQuote = false
        for token in tokens {
            var space = previous != nil
            if let p = previous, ["(", "[", "{"].contains(p) { space = false }
            if [".", ",", ";", ":", "!", "?", ")", "]", "}", "%"].contains(token) { space = false }
            if token == "-" && previous == "-" { space = false }
            if token == "\"" {
                if openQuote { space = false }
                openQuote.toggle()
            } else if previous == "\"" && openQuote {
                space = false
            }
            if space { out += " " }
            out += token
            previous = token
        }
        return out
    }
}
