/**
 * V1: a full verify of the audit trail, events/s. A trail of N chained events (100 per workflow chain,
 * interleaved, logged and signed after every batch by the real checkpointer) is generated once with the
 * server's formulas (libs/audit/synthetic-trail.ts); each repetition then runs the full verify the API
 * runs — every link recomputed, every leaf against its event, every checkpoint's root and signature —
 * in one REPEATABLE READ snapshot, as GET /api/audit/verify does.
 */
import { randomUUID } from 'node:crypto';
import { loadSigningKey } from '../../libs/audit/signing';
import { generateTrail } from '../../libs/audit/synthetic-trail';
import { verifyAudit, type VerifyProgress } from '../../libs/audit/verifier';
import { createPool, withSnapshot } from '../../libs/db/pool';

export type VerifyFullResult = {
  rep: number; events: number; leaves: number; checkpoints: number; seconds: number; eventsPerSecond: number;
};

const EVENTS_PER_CHAIN = 100;

export async function generateVerifyTrail(url: string, events: number, onBatch?: (written: number) => void): Promise<{ seconds: number; perSecond: number }> {
  const pool = createPool(url, 2);
  try {
    const started = performance.now();
    await generateTrail(pool, loadSigningKey(null), {
      events, chains: Math.max(1, Math.ceil(events / EVENTS_PER_CHAIN)), runId: randomUUID().slice(0, 8), ...(onBatch ? { onBatch } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    return { seconds, perSecond: events / seconds };
  } finally {
    await pool.end();
  }
}

export async function runVerifyFull(url: string, rep: number, onProgress?: (p: VerifyProgress) => void): Promise<VerifyFullResult> {
  const pool = createPool(url, 1);
  const key = loadSigningKey(null);
  try {
    const started = performance.now();
    const r = await withSnapshot(pool, (db) => verifyAudit(db, key.publicKey, key.keyId, 'full', onProgress ? { onProgress } : {}));
    const seconds = (performance.now() - started) / 1000;
    if (!r.ok) throw new Error(`V1: the generated trail does not verify: ${JSON.stringify(r.problems[0])}`);
    return { rep, events: r.checked, leaves: r.leaves, checkpoints: r.checkpoints, seconds, eventsPerSecond: r.checked / seconds };
  } finally {
    await pool.end();
  }
}
