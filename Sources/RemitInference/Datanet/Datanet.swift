import Foundation
public import RemitCore
public import RemitCrypto

/// A datanet on disk: a named set of content-addressed, signed contributions curated by one key
/// (OpenLedger's Datanets). Each contribution is a `Signed<Contribution>` by its contributor;
/// exact duplicates are refused; the curator removes contributions with a
/// `Signed<ContributionRemoval>`. A version is the Merkle root over the ids of the live
/// contributions, ascending, and one is recorded after every add, import or removal, so a model
/// can name the exact snapshot it was built from.
///
/// The actor owns the folder's state; one process at a time should write a folder.
public actor Datanet {
    /// The folder.
    public nonisolated let folder: String
    /// The curator's signed registration.
    public nonisolated let registration: Signed<DatanetCreate>
    var state: DatanetState
    var versionRecords: [DatanetVersionRecord] = []
    var schemaValue: RowSchema?
    /// The seal of the log as this actor wrote or read it.
    var seal: LogSeal
    /// True when the log matched its seal on opening, so its signatures were not checked again.
    public nonisolated let openedFromSeal: Bool

    /// The datanet's id.
    public nonisolated var id: DatanetID { registration.message.datanet }
    /// Its name.
    public nonisolated var name: String { registration.message.name }
    /// The ledger its messages are signed for.
    public nonisolated var ledger: LedgerID { registration.message.ledger }

    /// Creates a datanet in `folder` (which must not hold one): signs the registration with the
    /// curator's key and records the empty version.
    public static func create(
        in folder: String, name: String, description: String = "", curator: SigningKey, ledger: LedgerID,
        bond: Amount = .zero, holdingPeriod: UInt64 = 0, createdAt: UInt64? = nil
    ) throws(RemitError) -> Datanet {
        let registration = DatanetCreate(ledger: ledger, curator: curator.publicKey, name: name, description: description,
                                         bond: bond, holdingPeriod: holdingPeriod, createdAt: createdAt ?? DatanetFiles.now())
        try registration.validate()
        let file = DatanetFiles.path(folder, "datanet.json")
        guard !DatanetFiles.exists(file) else {
            throw RemitError(.datanetInvalid, "\(folder) already holds a datanet (\(file) exists)")
        }
        try DatanetFiles.makeDirectory(DatanetFiles.path(folder, "content"))
        try DatanetFiles.write(file, Signed(signing: registration, with: curator).jsonBytes())
        try DatanetFiles.write(DatanetFiles.path(folder, "log.jsonl"), [])
        try LogSeal.start(registration.datanet).write(in: folder)
        let empty = DatanetVersionRecord(version: MerkleTree.emptyRoot, events: 0, live: 0, recordedAt: registration.createdAt)
        try DatanetFiles.write(DatanetFiles.path(folder, "versions.jsonl"), MessageJSON.encode(empty, pretty: false) + [UInt8(ascii: "\n")])
        return try Datanet(folder: folder)
    }

    /// Opens the datanet in `folder`. Every message must name this datanet and ledger, every
    /// removal must be the curator's and name a live contribution, no contribution id may appear
    /// twice. Signatures are checked unless the log matches its seal (``LogSeal``): then its lines
    /// are the ones remit checked when it wrote them. With `verifyingSignatures` every signature
    /// is checked whatever the seal says. Content files are checked when a snapshot is taken.
    public init(folder: String, verifyingSignatures: Bool = false) throws(RemitError) {
        self.folder = folder
        let bytes = try DatanetFiles.read(DatanetFiles.path(folder, "datanet.json"), what: "datanet registration")
        let registration = try Signed<DatanetCreate>(json: bytes)
        try registration.verify()
        self.registration = registration
        let log = try DatanetFiles.readIfPresent(DatanetFiles.path(folder, "log.jsonl"), what: "log")
        var seal = LogSeal.start(registration.message.datanet)
        var lines: [Range<Int>] = []
        var scratch: [UInt8] = []
        log.withUnsafeBytes { log in
            var start = 0
            for end in 0...log.count where end == log.count || log[end] == UInt8(ascii: "\n") {
                if end > start {
                    lines.append(start..<end)
                    seal.append(UnsafeRawBufferPointer(rebasing: log[start..<end]), scratch: &scratch)
                }
                start = end + 1
            }
        }
        let trusted = !verifyingSignatures && LogSeal.read(in: folder) == seal
        var state = DatanetState(registration: registration.message)
        for (number, line) in lines.enumerated() {
            if trusted, let event = log.withUnsafeBytes({ LogLineReader.event(UnsafeRawBufferPointer(rebasing: $0[line])) }) {
                try state.apply(event)
            } else {
                try state.apply(try Datanet.decode(Array(log[line]), number: number + 1, folder: folder))
            }
        }
        self.state = state
        self.seal = seal
        openedFromSeal = trusted
        for line in try DatanetFiles.lines(DatanetFiles.path(folder, "versions.jsonl")) {
            versionRecords.append(try MessageJSON.decode(DatanetVersionRecord.self, from: line))
        }
        let schemaFile = DatanetFiles.path(folder, "schema.json")
        if DatanetFiles.exists(schemaFile) {
            schemaValue = try MessageJSON.decode(RowSchema.self, from: try DatanetFiles.read(schemaFile, what: "row schema"))
        }
    }

    struct TypePeek: Decodable { var type: String }

    static func decode(_ line: [UInt8], number: Int, folder: String) throws(RemitError) -> DatanetState.Event {
        let type = try MessageJSON.decode(TypePeek.self, from: line).type
        switch type {
        case Contribution.messageType.name:
            let signed = try Signed<Contribution>(json: line)
            try signed.verify()
            return .contribution(signed)
        case ContributionRemoval.messageType.name:
            let signed = try Signed<ContributionRemoval>(json: line)
            try signed.verify()
            return .removal(signed)
        default:
            throw RemitError(.datanetInvalid, "line \(number) of \(folder)/log.jsonl is a \(type) message; only contribution and contribution-removal belong there")
        }
    }

    /// Applies an event made by this process (already signed and checked).
    func appendEvent(_ event: DatanetState.Event) throws(RemitError) { try state.apply(event) }

    /// Appends lines (each ending in a line feed) to the log and seals it again: the log was
    /// checked on opening and these lines were signed here.
    func appendToLog(_ lines: [UInt8]) throws(RemitError) {
        guard !lines.isEmpty else { return }
        try DatanetFiles.append(DatanetFiles.path(folder, "log.jsonl"), lines)
        var scratch: [UInt8] = []
        lines.withUnsafeBytes { lines in
            var start = 0
            for end in lines.indices where lines[end] == UInt8(ascii: "\n") {
                if end > start { seal.append(UnsafeRawBufferPointer(rebasing: lines[start..<end]), scratch: &scratch) }
                start = end + 1
            }
        }
        try seal.write(in: folder)
    }

    /// Messages a ledger must record: the registration and every log line.
    public func ledgerMessageCount() -> Int { 1 + state.log.count }

    /// Records the current version after the whole log.
    @discardableResult
    func recordVersionNow(at time: UInt64) throws(RemitError) -> DatanetVersionRecord {
        let live = state.live()
        let record = DatanetVersionRecord(version: MerkleTree.root(of: live.map(\.digest)), events: state.log.count, live: live.count, recordedAt: time)
        try DatanetFiles.append(DatanetFiles.path(folder, "versions.jsonl"), MessageJSON.encode(record, pretty: false) + [UInt8(ascii: "\n")])
        versionRecords.append(record)
        return record
    }
}
