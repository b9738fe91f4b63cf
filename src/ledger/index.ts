// The tamper-evident alert ledger: an RFC 6962 / RFC 9162 Merkle-tree log of alerts with Ed25519-signed
// C2SP checkpoints. `openLedger` is what the detection engine appends through; the rest serves the CLI.
export { type Checkpoint, formatCheckpoint, parseCheckpoint } from './checkpoint.ts';
export { generateLedgerKeys, loadSigningKey, loadVerifier } from './keys.ts';
export { consistencyProofFor, inclusionProofFor } from './ledger-proofs.ts';
export { type VerifyLedgerOptions, verifyLedger } from './ledger-verify.ts';
export { EMPTY_ROOT, hashChildren, hashLeaf } from './merkle-hash.ts';
export { MerkleTree } from './merkle-tree.ts';
export {
  type AlertLedger,
  DEFAULT_CHECKPOINT_EVERY_ENTRIES,
  DEFAULT_CHECKPOINT_EVERY_MS,
  type LedgerOptions,
  openLedger,
} from './open-ledger.ts';
export {
  type ProofResult,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
  verifySubtreeConsistency,
  verifySubtreeInclusion,
} from './proof-verify.ts';
export { type RepairAction, repairLedger } from './repair.ts';
export {
  formatVerifierKey,
  makeVerifier,
  type NoteVerifier,
  openNote,
  parseVerifierKey,
  signNote,
} from './signed-note.ts';
export {
  formatVerificationText,
  type LedgerProblem,
  type LedgerVerification,
  type ProblemKind,
} from './verify-report.ts';
