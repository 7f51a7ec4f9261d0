/** Inclusion and consistency proofs against signed checkpoints, as the audit routes hand them out. */
import { AuditLogRepository, type StoredCheckpoint } from '../db/repositories/audit-log.repository';
import type { Queryable } from '../db/pool';
import { consistencyProof, inclusionProof } from '../domain/merkle';

export type PublicCheckpoint = Omit<StoredCheckpoint, 'frontier'>;
export type InclusionProof = {
  seq: number; chainId: string; chainSeq: number; eventHash: string; leafIndex: number; leafHash: string;
  checkpoint: PublicCheckpoint; proof: string[];
};
export type ConsistencyProof = { from: PublicCheckpoint; to: PublicCheckpoint; proof: string[] };

export const publicCheckpoint = ({ frontier: _frontier, ...rest }: StoredCheckpoint): PublicCheckpoint => rest;

const log = new AuditLogRepository();

async function leaves(db: Queryable, size: number): Promise<Buffer[]> {
  return (await log.leafHashes(db, 0, size)).map((h) => Buffer.from(h, 'hex'));
}

/**
 * The audit path of event `seq` in the checkpoint of `treeSize` (default: the latest). 'not-logged' when
 * the event is not in a checkpoint yet, 'no-checkpoint' when there is no such checkpoint, 'not-in-tree'
 * when that checkpoint is older than the event's leaf.
 */
export async function proveInclusion(
  db: Queryable, seq: number, eventHash: string, treeSize?: number,
): Promise<InclusionProof | 'not-logged' | 'no-checkpoint' | 'not-in-tree'> {
  const leaf = await log.leafOfEvent(db, seq);
  if (!leaf) return 'not-logged';
  const cp = treeSize === undefined ? await log.latestCheckpoint(db) : await log.checkpointAt(db, treeSize);
  if (!cp) return treeSize === undefined ? 'not-logged' : 'no-checkpoint';
  if (leaf.leafIndex >= cp.treeSize) return 'not-in-tree';
  const proof = inclusionProof(await leaves(db, cp.treeSize), leaf.leafIndex).map((h) => h.toString('hex'));
  return {
    seq, chainId: leaf.chainId, chainSeq: leaf.chainSeq, eventHash, leafIndex: leaf.leafIndex, leafHash: leaf.leafHash,
    checkpoint: publicCheckpoint(cp), proof,
  };
}

/** That the checkpoint of `to` leaves extends the one of `from`; null when either is not a checkpoint. */
export async function proveConsistency(db: Queryable, from: number, to: number): Promise<ConsistencyProof | null> {
  const [a, b] = [await log.checkpointAt(db, from), await log.checkpointAt(db, to)];
  if (!a || !b) return null;
  const proof = consistencyProof(await leaves(db, b.treeSize), a.treeSize).map((h) => h.toString('hex'));
  return { from: publicCheckpoint(a), to: publicCheckpoint(b), proof };
}
