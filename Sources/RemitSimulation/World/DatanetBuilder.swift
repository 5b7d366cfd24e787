import Foundation
import RemitCore
import RemitCrypto
import RemitInference
import RemitLedger
import RemitRuntime

/// Builds one simulated datanet: honest contributors (documents spread over them with Zipf
/// weights), spam, duplicate copiers (refused by the datanet) and keyword stuffers, bonds funded
/// from the treasury, then the curator's removals.
enum DatanetBuilder {
    struct Built {
        var datanet: Datanet
        var contributors: [World.Contributor]
        var refusedDuplicates: Int
        var removed: Int
    }

    static func build(
        _ spec: DatanetSpec, index: Int, seed: UInt64, text: TextGenerator, folder: String, ledger: LedgerID, clock: VirtualClock,
        funding: inout Funding
    ) async throws(RemitError) -> Built {
        let curator = SimKeys.key(seed: seed, "curator", index)
        let datanet = try Datanet.create(in: folder, name: spec.name, description: "simulated \(spec.kind.rawValue) datanet (seeded, synthetic)",
                                         curator: curator, ledger: ledger, bond: spec.bond, holdingPeriod: 7 * 86_400, createdAt: clock.now())
        var rng = SimRandom(seed: seed, "datanet/\(spec.name)")
        var people: [(key: SigningKey, label: String, kind: World.ContributorClass)] = []
        func add(_ kind: World.ContributorClass, _ count: Int) {
            for i in 0..<count {
                people.append((SimKeys.key(seed: seed, "contributor/\(spec.name)/\(kind.rawValue)", i), "\(spec.name) \(kind.rawValue) \(i + 1)", kind))
            }
        }
        add(.honest, spec.contributors)
        add(.spam, spec.spam.contributors)
        add(.duplicate, spec.duplicate.contributors)
        add(.adversarial, spec.adversarial.contributors)

        // Contents, by person index.
        var items: [(person: Int, content: [UInt8], kind: ContributionKind)] = []
        let honestTable = ZipfTable(count: spec.contributors, exponent: 0.9)
        var honestContents: [[UInt8]] = []
        switch spec.kind {
        case .text:
            for _ in 0..<spec.documents {
                let content = Array(text.honest(&rng).utf8)
                honestContents.append(content)
                items.append((rng.zipf(honestTable), content, .text))
            }
        case .prices:
            let table = try CSVTable(parsing: PriceSeries.csv(seed: seed &+ UInt64(index) &* 7_919, rows: spec.documents))
            let (schema, contents) = try table.rowContents(target: PriceSeries.Target.direction.rawValue)
            try await datanet.setSchema(schema)
            for content in contents {
                honestContents.append(content)
                items.append((rng.zipf(honestTable), content, .row))
            }
        }
        func spread(_ kind: World.ContributorClass, _ population: DatanetSpec.Population, _ make: (inout SimRandom) throws(RemitError) -> [UInt8]) throws(RemitError) {
            guard population.contributors > 0 else { return }
            let first = people.firstIndex { $0.kind == kind }!
            for _ in 0..<population.documents {
                items.append((first + Int(rng.next() % UInt64(population.contributors)), try make(&rng), spec.kind == .text ? .text : .row))
            }
        }
        try spread(.spam, spec.spam) { (r: inout SimRandom) throws(RemitError) -> [UInt8] in
            spec.kind == .text ? Array(text.spam(&r).utf8)
                : try RowCodec.encode(features: (0..<5).map { _ in (r.unit() * 400 - 200).rounded() / 100 }, target: r.unit() < 0.5 ? "up" : "down")
        }
        try spread(.duplicate, spec.duplicate) { (r: inout SimRandom) throws(RemitError) -> [UInt8] in
            honestContents[Int(r.next() % UInt64(max(honestContents.count, 1)))]
        }
        try spread(.adversarial, spec.adversarial) { (r: inout SimRandom) throws(RemitError) -> [UInt8] in Array(text.adversarial(&r).utf8) }

        if spec.bond > .zero {
            var counts = [Int](repeating: 0, count: people.count)
            for item in items { counts[item.person] += 1 }
            for (i, person) in people.enumerated() where counts[i] > 0 {
                funding.pay(person.key.publicKey, try spec.bond.multiplied(by: Int64(counts[i])), memo: "bonds")
            }
        }
        let report = try await datanet.add(items.map { PendingContribution(content: $0.content, kind: $0.kind, label: people[$0.person].label, contributor: people[$0.person].key) },
                                           createdAt: clock.now())
        var accepted = [Int](repeating: 0, count: people.count)
        let personByKey = Dictionary(people.enumerated().map { ($1.key.publicKey, $0) }, uniquingKeysWith: { a, _ in a })
        for signed in report.added { accepted[personByKey[signed.message.contributor]!] += 1 }

        // The curator removes a share of spam and keyword stuffing; their bonds are slashed.
        var removed = 0
        if spec.curation > 0 {
            for signed in report.added {
                let person = people[personByKey[signed.message.contributor]!]
                guard person.kind == .spam || person.kind == .adversarial, rng.unit() < spec.curation else { continue }
                _ = try await datanet.remove(signed.message.contribution, reason: .spam, note: "simulated curation", curator: curator, removedAt: clock.now())
                accepted[personByKey[signed.message.contributor]!] -= 1
                removed += 1
            }
        }
        let contributors = people.enumerated().map { i, person in
            World.Contributor(key: person.key.publicKey, label: person.label, kind: person.kind, datanet: spec.name, accepted: accepted[i])
        }
        return Built(datanet: datanet, contributors: contributors, refusedDuplicates: report.duplicates.count, removed: removed)
    }
}
