/// Seeded synthetic text for simulated datanets: pseudo-words built from syllables, grouped in
/// topics; honest documents mix topic words and common words with Zipf frequencies; spam is junk
/// and promotion words; adversarial documents stuff the most popular topic words to capture
/// queries. Synthetic and labelled as such: the demo's real text is the fortunes datanet.
struct TextGenerator: Sendable {
    let vocabulary: [String]
    let topics: [[Int]]
    let common: [Int]
    let topicTable: ZipfTable
    let commonTable: ZipfTable

    init(seed: UInt64, topics topicCount: Int = 12, wordsPerTopic: Int = 60, commonWords: Int = 250) {
        var rng = SimRandom(seed: seed, "vocabulary")
        let onsets = ["b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr", "pl", "gr"]
        let vowels = ["a", "e", "i", "o", "u", "ai", "ou"]
        var words: [String] = []
        var seen: Set<String> = []
        let wanted = topicCount * wordsPerTopic + commonWords
        while words.count < wanted {
            let syllables = 2 + Int(rng.next() % 2)
            var word = ""
            for _ in 0..<syllables {
                word += onsets[Int(rng.next() % UInt64(onsets.count))] + vowels[Int(rng.next() % UInt64(vowels.count))]
            }
            if seen.insert(word).inserted { words.append(word) }
        }
        vocabulary = words
        common = Array(0..<commonWords)
        self.topics = (0..<topicCount).map { t in Array((commonWords + t * wordsPerTopic)..<(commonWords + (t + 1) * wordsPerTopic)) }
        topicTable = ZipfTable(count: wordsPerTopic)
        commonTable = ZipfTable(count: commonWords)
    }

    /// A document about a random topic, 12 to 24 words.
    func honest(_ rng: inout SimRandom) -> String {
        let topic = topics[Int(rng.next() % UInt64(topics.count))]
        let length = 12 + Int(rng.next() % 13)
        var words: [String] = []
        for _ in 0..<length {
            words.append(rng.unit() < 0.65 ? vocabulary[topic[rng.zipf(topicTable)]] : vocabulary[common[rng.zipf(commonTable)]])
        }
        return words.joined(separator: " ") + "."
    }

    /// Junk: promotion words and random strings.
    func spam(_ rng: inout SimRandom) -> String {
        let promo = ["buy", "cheap", "now", "click", "free", "offer", "win", "deal"]
        var words: [String] = []
        for _ in 0..<(10 + Int(rng.next() % 10)) {
            if rng.unit() < 0.5 {
                words.append(promo[Int(rng.next() % UInt64(promo.count))])
            } else {
                words.append(String((0..<5).map { _ in Character(Unicode.Scalar(UInt8(97 + rng.next() % 26))) }))
            }
        }
        return words.joined(separator: " ")
    }

    /// Keyword stuffing: the most frequent words of several topics, repeated.
    func adversarial(_ rng: inout SimRandom) -> String {
        var words: [String] = []
        for _ in 0..<30 {
            let topic = topics[Int(rng.next() % UInt64(topics.count))]
            words.append(vocabulary[topic[Int(rng.next() % 3)]])
        }
        return words.joined(separator: " ")
    }

    /// A question of two to four topic words.
    func question(_ rng: inout SimRandom) -> String {
        let topic = topics[Int(rng.next() % UInt64(topics.count))]
        return (0..<(2 + Int(rng.next() % 3))).map { _ in vocabulary[topic[rng.zipf(topicTable)]] }.joined(separator: " ")
    }
}
