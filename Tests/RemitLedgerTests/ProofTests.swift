import Foundation
import RemitCore
import RemitCrypto
@testable import RemitLedger
import Testing

@Suite("ledger: checkpoints and inclusion proofs")
struct ProofTests {
    @Test("checkpoints chain, cover new entries only, and every entry has a proof that verifies offline", arguments: StoreKind.available)
    func proofs(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            for _ in 0..<6 { try await f.fund(f.payer.publicKey, credits("1")) }
            #expect(await refusal { _ = try await f.ledger.checkpoint(signingWith: f.payer) }?.code == .ledgerWrongOperator)
            let first = try await f.ledger.checkpoint(signingWith: f.operatorKey)
            #expect(first.message.firstEntry == 1 && first.message.lastEntry == 7 && first.message.sequence == 1)
            #expect(first.message.previous == .zero)
            #expect(await refusal { _ = try await f.ledger.checkpoint(signingWith: f.operatorKey) }?.code == .ledgerNothingToCheckpoint)
            for _ in 0..<4 { try await f.fund(f.payee.publicKey, credits("1")) }
            #expect(await refusal { _ = try await f.ledger.proof(entry: 9) }?.code == .ledgerNotCheckpointed)
            let second = try await f.ledger.checkpoint(signingWith: f.operatorKey)
            #expect(second.message.firstEntry == 8 && second.message.lastEntry == 11)
            #expect(second.message.previous == first.message.digest)
            #expect(second.message.chainHead == (await f.ledger.head()).hash)

            for sequence in UInt64(1)...11 {
                let proof = try await f.ledger.proof(entry: sequence)
                let entry = try proof.verify(operatorKey: f.operatorKey.publicKey)
                #expect(entry.sequence == sequence)
                // The JSON form round-trips and still verifies.
                let json = MessageJSON.encode(proof)
                let decoded = try MessageJSON.decode(EntryProof.self, from: json)
                #expect(decoded == proof)
                #expect(throws: Never.self) { try decoded.verify() }
            }
            #expect(await refusal { _ = try await f.ledger.proof(entry: 99) }?.code == .ledgerUnknownEntry)
        }
    }

    @Test("an altered entry, path, or checkpoint, or another operator, fails the proof", arguments: StoreKind.available)
    func badProofs(_ kind: StoreKind) async throws {
        try await LedgerFixture.with(kind) { f in
            for _ in 0..<5 { try await f.fund(f.payer.publicKey, credits("1")) }
            _ = try await f.ledger.checkpoint(signingWith: f.operatorKey)
            let proof = try await f.ledger.proof(entry: 3)

            var entry = proof
            entry.entry[entry.entry.count - 3] ^= 1
            #expect(throws: RemitError.self) { try entry.verify() }
            var path = proof
            path.inclusion.path[0] = BLAKE2b.hash([0])
            #expect((try? path.verify()) == nil)
            var moved = proof
            moved.inclusion.leafIndex += 1
            #expect((try? moved.verify()) == nil)
            var forged = proof
            var cp = proof.checkpoint.message
            cp.merkleRoot = BLAKE2b.hash([1])
            forged.checkpoint = Signed(message: cp, signer: proof.checkpoint.signer, signature: proof.checkpoint.signature)
            #expect((try? forged.verify()) == nil)
            do throws(RemitError) {
                try proof.verify(operatorKey: f.payer.publicKey)
                Issue.record("a proof verified under the wrong operator")
            } catch {
                #expect(error.code == .ledgerWrongOperator)
            }
        }
    }
}
