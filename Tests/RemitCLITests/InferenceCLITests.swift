import Foundation
import RemitCore
import Testing

/// The datanet, model and receipt commands, run as a user would, on data made in the test.
@Suite("remit datanet / model / receipt")
struct InferenceCLITests {
    static let env = ["REMIT_TEST_PW": "datanet pw"]

    static func run(_ arguments: [String], in dir: URL) throws -> RemitProcess.Output {
        try RemitProcess.run(arguments, in: dir, environment: env)
    }

    static func write(_ text: String, _ name: String, in dir: URL) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }

    @Test("import quotes, build, query --explain, sign a receipt, verify it; tampered content is a mismatch")
    func textJourney() throws {
        let dir = try RemitProcess.temporaryDirectory()
        let collection = """
            The quick brown fox jumps over the lazy dog.
            \t\t-- Ann Author
            %
            Talk is cheap. Show me the code.
            \t\t-- Linus Torvalds
            %
            An unattributed saying about the quick brown fox.
            %
            Talk is cheap. Show me the code.
            \t\t-- Linus Torvalds
            %

            """
        try InferenceCLITests.write(collection, "quotes", in: dir)
        let imported = try InferenceCLITests.run(["datanet", "import", "fortunes", "net", "--from", "quotes", "--password-env", "REMIT_TEST_PW", "--kdf", "minimum"], in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 3 quotes"))
        #expect(imported.stdout.contains("1 exact duplicates refused"))

        let show = try InferenceCLITests.run(["datanet", "show", "net", "--json"], in: dir)
        let summary = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        #expect(summary?["live"] as? Int == 3)
        #expect(summary?["contributors"] as? Int == 3)
        #expect(summary?["logSealed"] as? Bool == true)
        let sealed = try InferenceCLITests.run(["datanet", "verify", "net"], in: dir)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        #expect(sealed.stdout.hasPrefix("verified 4 signatures, 3 content files"))

        try InferenceCLITests.write("Talk is cheap. Show me the code.\n\t\t-- Linus Torvalds", "dup.txt", in: dir)
        let duplicate = try InferenceCLITests.run(["datanet", "add", "net", "--text", "dup.txt", "--contributor", "Eve", "--password-env", "REMIT_TEST_PW"], in: dir)
        #expect(duplicate.status == 2)
        #expect(duplicate.stderr.contains("datanet.duplicate"))

        let build = try InferenceCLITests.run(["model", "build", "infinigram", "--datanet", "net", "--out", "models/lm"], in: dir)
        #expect(build.status == 0, "\(build.stderr)")
        let list = try InferenceCLITests.run(["model", "list", "--json"], in: dir)
        #expect(list.stdout.contains("\"kind\" : \"infinigram\""))

        let query = try InferenceCLITests.run(["model", "query", "models/lm", "--prompt", "Talk is", "--max-tokens", "8", "--explain"], in: dir)
        #expect(query.status == 0, "\(query.stderr)")
        #expect(query.stdout.contains("answer:   cheap. Show me the code."))
        #expect(query.stdout.contains("Linus Torvalds"))
        #expect(query.stdout.contains("100.00%"))

        let key = try RemitProcess.run(["keys", "new", "--out", "owner.key", "--password-env", "REMIT_TEST_PW", "--kdf", "minimum"], in: dir, environment: InferenceCLITests.env)
        #expect(key.status == 0)
        let signed = try InferenceCLITests.run(["model", "query", "models/lm", "--prompt", "The quick", "--seed", "3", "--receipt-out", "r.json",
                                                "--owner-key", "owner.key", "--password-env", "REMIT_TEST_PW"], in: dir)
        #expect(signed.status == 0, "\(signed.stderr)")
        let verified = try InferenceCLITests.run(["receipt", "verify", "r.json", "--datanet", "net"], in: dir)
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        #expect(verified.stdout.hasPrefix("match"))

        // The datanet moves on (a removal): the receipt still replays at its recorded version.
        let listed = try InferenceCLITests.run(["datanet", "list", "net", "--json"], in: dir)
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        let unattributed = try #require(rows.first { $0["label"] as? String == "community" }?["contribution"] as? String)
        let removed = try InferenceCLITests.run(["datanet", "remove", "net", unattributed, "--reason", "other", "--password-env", "REMIT_TEST_PW"], in: dir)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(try InferenceCLITests.run(["receipt", "verify", "r.json", "--datanet", "net"], in: dir).status == 0)

        // Alter one content file: the replay refuses.
        let content = dir.appendingPathComponent("net/content")
        for name in try FileManager.default.contentsOfDirectory(atPath: content.path) {
            try Data("The quick brown fox naps.".utf8).write(to: content.appendingPathComponent(name))
        }
        let mismatch = try InferenceCLITests.run(["receipt", "verify", "r.json", "--datanet", "net", "--json"], in: dir)
        #expect(mismatch.status == 1)
        #expect(mismatch.stdout.contains("\"match\" : false"))
        let refused = try InferenceCLITests.run(["datanet", "verify", "net"], in: dir)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("datanet.invalid"))
    }

    @Test("synthetic prices into a row datanet, knn-classify answers with Shapley credits")
    func rowJourney() throws {
        let dir = try RemitProcess.temporaryDirectory()
        #expect(try InferenceCLITests.run(["datanet", "synth-prices", "--out", "p.csv", "--rows", "300", "--seed", "4"], in: dir).status == 0)
        let created = try InferenceCLITests.run(["datanet", "create", "prices", "--name", "prices", "--bond", "0.01", "--holding-period", "60",
                                                 "--password-env", "REMIT_TEST_PW", "--kdf", "minimum"], in: dir)
        #expect(created.status == 0, "\(created.stderr)")
        let added = try InferenceCLITests.run(["datanet", "add", "prices", "--csv", "p.csv", "--target", "direction", "--contributor", "price feed",
                                               "--password-env", "REMIT_TEST_PW"], in: dir)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("added 300"))
        let built = try InferenceCLITests.run(["model", "build", "knn-classify", "--datanet", "prices", "--out", "knn", "--param", "k=7"], in: dir)
        #expect(built.status == 0, "\(built.stderr)")
        let query = try InferenceCLITests.run(["model", "query", "knn", "--features", "10,-5,3,0,20", "--json"], in: dir)
        #expect(query.status == 0, "\(query.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(query.stdout.utf8)) as? [String: Any]
        let answer = try #require(object?["answer"] as? [String: Any])
        #expect(["up", "down"].contains(answer["output"] as? String))
        let attribution = answer["attribution"] as? [[String: Any]] ?? []
        #expect(attribution.compactMap { $0["weightBps"] as? Int }.reduce(0, +) == 10_000)
        let wrong = try InferenceCLITests.run(["model", "query", "knn", "--features", "1,2"], in: dir)
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("takes 5 features"))
    }

    @Test("bench inference --json prints the required figures and ratio")
    func benchJSON() throws {
        let result = try RemitProcess.run(["bench", "inference", "--json", "--scale", "0.002"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Double]]
        let figures = try #require(object?["figures"])
        for key in ["index_build_tokens_per_s", "count_median_us", "knn_shapley_ms_100k", "host_cold_load_ms"] {
            #expect((figures[key] ?? 0) > 0, "\(key)")
        }
        #expect((object?["ratios"]?["attribution_overhead"] ?? 0) > 0)
    }
}
