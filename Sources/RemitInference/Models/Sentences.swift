/// Sentence splitting for extractive answers (docs/PROTOCOL.md §10.4.2), on Unicode scalars
/// only: a sentence ends after `.`, `!` or `?` followed by whitespace (the tokenizer's
/// whitespace class) or the end, and at a line break followed by optional whitespace and
/// another line break. Each sentence is trimmed and its whitespace runs become one space; empty
/// sentences are dropped.
public enum Sentences {
    /// The sentences of `text`, in order.
    public static func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var sentences: [String] = []
        var current = String.UnicodeScalarView()
        var pendingSpace = false
        func isSpace(_ s: Unicode.Scalar) -> Bool { Tokenizer.classify(s.value) == .space }
        func finish() {
            if !current.isEmpty { sentences.append(String(current)) }
            current = String.UnicodeScalarView()
            pendingSpace = false
        }
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if s == "\n" {
                var j = i + 1
                while j < scalars.count, isSpace(scalars[j]), scalars[j] != "\n" { j += 1 }
                if j < scalars.count, scalars[j] == "\n" {
                    finish()
                    i = j + 1
                    continue
                }
            }
            if isSpace(s) {
                pendingSpace = !current.isEmpty
            } else {
                if pendingSpace { current.append(" ") }
                pendingSpace = false
                current.append(s)
                if (s == "." || s == "!" || s == "?") && (i + 1 == scalars.count || isSpace(scalars[i + 1])) { finish() }
            }
            i += 1
        }
        finish()
        return sentences
    }
}
