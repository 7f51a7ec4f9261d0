/**
 * The audit bundle of one workflow (format fuusio-audit-bundle/1, docs/audit-bundle.md): everything an
 * auditor needs to verify its trail without Fuusio — the chained events with the Merkle leaf and RFC 6962
 * inclusion proof of each in one signed checkpoint, the public key, and the protobuf histories of its
 * runs, whose SHA-256 the `history.archived` events chain. tools/verify-bundle.cjs verifies it.
 */
import type { Queryable } from '../db/pool';
import { AuditLogRepository } from '../db/repositories/audit-log.repository';
import { AuditRepository, type AuditEventRow } from '../db/repositories/audit.repository';
import { inclusionProofs } from '../domain/merkle';
import { publicCheckpoint, type PublicCheckpoint } from './proofs';

export const BUNDLE_FORMAT = 'fuusio-audit-bundle/1';

/**
 * A chained event as the bundle holds it: the fields its hash covers (not the personal fields kept beside
 * the row, whose salted digest is in the payload), its leaf and its inclusion proof. Nothing else: every
 * byte of an event is evidence.
 */
export type BundleEvent = Omit<AuditEventRow, 'personal' | 'personalErasedAt'> & { leafIndex: number; proof: string[] };

/** A run's history: its bytes, and their SHA-256 (which the run's `history.archived` event chains once it is archived). */
export type BundleRun = {
  runId: string;
  sha256: string;
  /** The history as Temporal's protobuf (temporal.api.history.v1.History), base64. */
  history: string;
};

export type BundleKey = { algorithm: 'Ed25519'; keyId: string; publicKeyHex: string; development: boolean };

export type AuditBundle = {
  format: typeof BUNDLE_FORMAT;
  workflowId: string;
  exportedAt: string;
  /**
   * The build id of the code that ran the latest run: `@temporalio/worker@<version>+<SHA-256 of the workflow
   * bundle>`, as its history records it. Descriptive: `fuusio verify --replay` reads it from the histories.
   */
  buildId: string | null;
  publicKey: BundleKey;
  checkpoint: PublicCheckpoint;
  /** Events of the workflow appended after the checkpoint: not in the bundle (nothing signed covers them yet). */
  notCheckpointed: number;
  events: BundleEvent[];
  /**
   * false when the histories were left out at export: they hold the workflows' inputs and signals, personal
   * data among them, which the chained events keep out. Then `runs` is empty and nothing checks the histories.
   */
  historiesIncluded: boolean;
  runs: BundleRun[];
};

export type RunBytes = { runId: string; buildId: string | null; bytes: Buffer; sha256: string };

/**
 * The bundle of the workflow against the latest checkpoint; null when no checkpoint includes any of its
 * events yet (POST /api/audit/checkpoints makes one). The runs are oldest first.
 */
export async function buildAuditBundle(
  db: Queryable, workflowId: string, key: BundleKey, runs: readonly RunBytes[] | 'left out', exportedAt: Date,
): Promise<AuditBundle | null> {
  const log = new AuditLogRepository();
  const checkpoint = await log.latestCheckpoint(db);
  if (!checkpoint) return null;
  const events = await new AuditRepository().forWorkflow(db, workflowId);
  const leafBySeq = new Map((await log.leavesOfEvents(db, events.map((e) => e.seq))).map((l) => [l.seq, l]));
  // A chain is logged in chain order, so the events the checkpoint covers are a prefix of the workflow's.
  const covered = events.filter((e) => (leafBySeq.get(e.seq)?.leafIndex ?? Infinity) < checkpoint.treeSize);
  if (covered.length === 0) return null;
  const leaves = (await log.leafHashes(db, 0, checkpoint.treeSize)).map((h) => Buffer.from(h, 'hex'));
  const indices = covered.map((e) => leafBySeq.get(e.seq)!.leafIndex);
  const proofs = inclusionProofs(leaves, indices);
  return {
    format: BUNDLE_FORMAT,
    workflowId,
    exportedAt: exportedAt.toISOString(),
    buildId: runs === 'left out' ? null : (runs[runs.length - 1]?.buildId ?? null),
    publicKey: key,
    checkpoint: publicCheckpoint(checkpoint),
    notCheckpointed: events.length - covered.length,
    events: covered.map(({ personal: _personal, personalErasedAt: _erased, ...chained }, i) => ({
      ...chained, leafIndex: indices[i]!, proof: proofs[i]!.map((h) => h.toString('hex')),
    })),
    historiesIncluded: runs !== 'left out',
    runs: runs === 'left out' ? [] : runs.map((run) => ({ runId: run.runId, sha256: run.sha256, history: run.bytes.toString('base64') })),
  };
}
