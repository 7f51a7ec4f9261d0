/**
 * W9: tracked (chained) audit writes against raw inserts of the same rows. N writers, each on its own
 * workflow (so its own chain), write for a fixed time: tracked through AuditRepository (head lock, link
 * hash, one round trip in audit_append), raw as one autocommitted INSERT of
 * the same row into the same table, hashed on the client the same way but not linked to anything.
 * Tracked ÷ raw at each level shows what the chaining costs and whether writers wait for each other.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createPool, withTransaction } from '../../libs/db/pool';
import { AuditRepository } from '../../libs/db/repositories/audit.repository';
import { canonicalJson } from '../../libs/db/canonical-json';

// Workflow ids unique to this process, so a kept database (--keep) can be written to again.
const RUN = randomUUID().slice(0, 8);

/**
 * tracked: the chained append as its own transaction (one statement, as raw); tracked-tx: the same inside
 * BEGIN … COMMIT, as a caller with other writes in its transaction issues it (the two extra round trips
 * are the caller's, not the chain's).
 */
export type AuditWriteMode = 'tracked' | 'tracked-tx' | 'raw';
export type AuditWriteResult = { rep: number; writers: number; mode: AuditWriteMode; writes: number; seconds: number; perSecond: number };

/** A row like the ones a tracked step writes: its run snapshot and a step. */
function payloadOf(writer: number, n: number): Record<string, unknown> {
  return {
    run: { workflowId: `bench-w9-${writer}`, kind: 'onboarding', stage: 'board', percent: 40, status: 'running', organisations: ['2229500-6'] },
    steps: [{ key: `step-${n}`, stage: 'board', title: 'Board decision', status: 'done' }],
  };
}

export async function runAuditWrites(url: string, writers: number, seconds: number, mode: AuditWriteMode, rep: number): Promise<AuditWriteResult> {
  const pool = createPool(url, writers);
  const audit = new AuditRepository();
  let writes = 0;
  try {
    // Every connection open before the clock starts.
    await Promise.all(Array.from({ length: writers }, () => pool.query('SELECT 1')));
    const started = performance.now();
    const until = started + seconds * 1000;
    const lane = async (w: number) => {
      const workflowId = `bench-w9-${RUN}-${rep}-${writers}-${mode}-${w}`;
      for (let n = 1; performance.now() < until; n += 1) {
        const row = { idempotencyKey: `${workflowId}#${n}`, workflowId, action: 'step.done', actor: 'system:bench', payload: payloadOf(w, n) };
        if (mode === 'tracked') {
          await audit.appendAlone(pool, row);
        } else if (mode === 'tracked-tx') {
          await withTransaction(pool, (tx) => audit.append(tx, row));
        } else {
          const occurredAt = new Date().toISOString();
          const hash = createHash('sha256').update(canonicalJson({ ...row, occurredAt })).digest('hex');
          await pool.query(
            `INSERT INTO audit_events (idempotency_key, workflow_id, action, actor, occurred_at, payload, prev_hash, hash, chain_id, chain_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)`,
            [row.idempotencyKey, workflowId, row.action, row.actor, occurredAt, row.payload, hash, `raw:${workflowId}`, n],
          );
        }
        writes += 1;
      }
    };
    await Promise.all(Array.from({ length: writers }, (_, w) => lane(w)));
    const elapsed = (performance.now() - started) / 1000;
    return { rep, writers, mode, writes, seconds: elapsed, perSecond: writes / elapsed };
  } finally {
    await pool.end();
  }
}
