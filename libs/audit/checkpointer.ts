/**
 * Logs the chains' new links as Merkle leaves and signs a checkpoint over the grown tree. One
 * checkpointer at a time (an advisory lock held by its transaction); the writers of the chains never
 * wait for it. Called by the API's timer (AUDIT_CHECKPOINT_SECONDS) and on demand (POST /api/audit/checkpoints).
 */
import type { Pool } from 'pg';
import { withTransaction } from '../db/pool';
import { AuditLogRepository, type StoredCheckpoint } from '../db/repositories/audit-log.repository';
import { frontierAppend, frontierFromJson, frontierRoot, frontierSize, frontierToJson, leafHash } from '../domain/merkle';
import { signCheckpoint, type SigningKey } from './signing';

/** Leaves logged per checkpoint at most; a backlog is worked off over the next checkpoints. */
const BATCH = 20_000;

export async function makeCheckpoint(pool: Pool, key: SigningKey, now: () => Date = () => new Date()): Promise<StoredCheckpoint | null> {
  const log = new AuditLogRepository();
  return withTransaction(pool, async (tx) => {
    await log.lockCheckpointer(tx);
    const last = await log.latestCheckpoint(tx);
    const frontier = last ? frontierFromJson(last.frontier) : [];
    const size = frontierSize(frontier);
    if (size !== await log.treeSize(tx)) throw new Error(`the audit log has leaves the last checkpoint (${size}) does not cover`);
    const links = await log.pendingLinks(tx, BATCH);
    if (links.length === 0) return null;
    const leaves = links.map((l) => leafHash(Buffer.from(l.hash, 'hex')));
    await log.appendLeaves(tx, size, links, leaves.map((h) => h.toString('hex')));
    const grown = frontierAppend(frontier, leaves);
    const statement = { treeSize: size + links.length, rootHash: frontierRoot(grown).toString('hex'), signedAt: now().toISOString() };
    const checkpoint = { ...statement, keyId: key.keyId, signature: signCheckpoint(key, statement), frontier: frontierToJson(grown) };
    await log.insertCheckpoint(tx, checkpoint);
    return checkpoint;
  });
}
