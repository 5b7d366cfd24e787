import Foundation
import RemitCore
public import RemitCrypto

/// Reads `fortune` collections (strfile source: entries separated by lines holding only `%`),
/// such as the Debian packages `fortunes` and `fortunes-min` install under
/// `/usr/share/games/fortunes` (docs/PROTOCOL.md §10.2).
///
/// Each entry's text is decoded as UTF-8 (Latin-1 when it is not valid UTF-8), overstrikes
/// (`x` BACKSPACE `y`) keep the last character, CR LF becomes LF, trailing whitespace of each line
/// and blank lines at both ends are dropped. The author is taken from an attribution line at
/// the end (`-- Name`, cut at the first `, ` or ` (`); entries without one are credited to
/// ``Custodian/community``.
public enum FortunesImporter {
    /// One quotation.
    public struct Entry: Sendable, Hashable {
        /// The normalised text, attribution line included.
        public var text: String
        /// The attributed author, when there is one.
        public var author: String?
        /// The collection it came from (the file's name).
        public var collection: String
    }

    /// Where Debian installs the collections.
    public static let debianDirectory = "/usr/share/games/fortunes"

    /// The collections imported by default: every plain file of `directory` (no `.dat`/`.u8`
    /// companion files), except the picture collections `art` and `ascii-art`, sorted by name.
    public static func defaultFiles(in directory: String = debianDirectory) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.contains(".") && !["art", "ascii-art"].contains($0) }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
            .filter { var isDirectory: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue }
    }

    /// Parses one collection.
    public static func parse(_ bytes: [UInt8], collection: String) -> [Entry] {
        let text = decode(bytes)
        var entries: [Entry] = []
        var current: [Substring] = []
        func flush() {
            var lines = current.map { line -> Substring in
                var l = line
                while let last = l.last, last == " " || last == "\t" { l = l.dropLast() }
                return l
            }
            while lines.first?.isEmpty == true { lines.removeFirst() }
            while lines.last?.isEmpty == true { lines.removeLast() }
            current = []
            guard !lines.isEmpty else { return }
            let body = lines.joined(separator: "\n")
            entries.append(Entry(text: body, author: author(of: lines.last!), collection: collection))
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "%" { flush() } else { current.append(line) }
        }
        flush()
        return entries
    }

    /// The author named by an attribution line such as `\t\t-- Mark Twain, "Pudd'nhead Wilson"`.
    public static func author(of line: Substring) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("--") else { return nil }
        var name = String(trimmed.dropFirst(2).drop { $0 == "-" || $0 == " " || $0 == "\t" })
        for cut in [", ", " ("] {
            if let r = name.range(of: cut) { name = String(name[..<r.lowerBound]) }
        }
        name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.utf8.count <= 120, name.contains(where: \.isLetter) else { return nil }
        return name
    }

    /// UTF-8 when valid, else Latin-1; overstrikes resolved; CR LF → LF.
    static func decode(_ bytes: [UInt8]) -> String {
        let raw = String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
        var scalars = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            if scalar == "\u{8}" {
                if let last = scalars.last, last != "\n" { scalars.removeLast() }
            } else if scalar == "\r" {
                continue
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Pending contributions for `entries`, each signed by its author's custodial key.
    public static func pending(_ entries: [Entry], custodian: Custodian) -> (pending: [PendingContribution], contributors: [String: PublicKey]) {
        var keys: [String: SigningKey] = [:]
        var out: [PendingContribution] = []
        for entry in entries {
            let name = entry.author ?? Custodian.community
            let key = keys[name] ?? custodian.contributorKey(for: name)
            keys[name] = key
            out.append(PendingContribution(content: Array(entry.text.utf8), kind: .text, label: name, contributor: key))
        }
        return (out, keys.mapValues(\.publicKey))
    }
}

