/**
 * A large audit trail for measuring the verifier: N chained events across many chains, written in
 * batches as set-based inserts whose rows are exactly what audit_append (migration 0012) would write —
 * seqs taken from the same sequence, the link formula of linkHash over the content digest the real
 * append hands in, the chain heads moved to the last link — then logged and signed by the real
 * checkpointer after each batch, as the API's timer would. Events are spread round-robin over the
 * chains, so the chains interleave in seq order as concurrent workflows do.
 */
import type { Pool } from 'pg';
import { canonicalJson } from '../db/canonical-json';
import { withTransaction } from '../db/pool';
import { contentDigest, GENESIS_HASH, linkHash } from '../db/repositories/audit.repository';
import { makeCheckpoint } from './checkpointer';
import type { SigningKey } from './signing';

export type SyntheticTrailOptions = {
  events: number;
  chains: number;
  /** Distinguishes the chains of one run from another's in the same database. */
  runId: string;
  /** Events per insert (and per checkpoint); the checkpointer logs at most 20,000 per call. */
  batch?: number;
  /** The first event's time; each next one is a millisecond later (times are stored in ms, as appended). */
  startAt?: Date;
  onBatch?: (written: number) => void;
};

type Head = { chainSeq: number; hash: string; prevHash: string; seq: number };

/** A row like the ones a tracked step writes: its run snapshot and a step. */
function payloadOf(workflowId: string, n: number): Record<string, unknown> {
  return {
    run: { workflowId, kind: 'onboarding', stage: 'board', percent: n % 100, status: 'running', organisations: ['2229500-6'] },
    steps: [{ key: `step-${n}`, stage: 'board', title: 'Board decision', status: 'done' }],
  };
}

export async function generateTrail(pool: Pool, key: SigningKey, o: SyntheticTrailOptions): Promise<{ events: number; chains: number }> {
  const batch = Math.min(o.batch ?? 20_000, 20_000);
  const start = (o.startAt ?? new Date('2026-01-05T08:00:00.000Z')).getTime();
  const heads = new Map<string, Head>();
  for (let written = 0; written < o.events;) {
    const n = Math.min(batch, o.events - written);
    await withTransaction(pool, async (tx) => {
      const seqs = (await tx.query<{ seq: string }>("SELECT nextval('audit_events_seq') AS seq FROM generate_series(1, $1)", [n]))
        .rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
      const cols = {
        seq: [] as number[], key: [] as string[], workflow: [] as string[], at: [] as string[], payload: [] as string[],
        prev: [] as string[], hash: [] as string[], chain: [] as string[], chainSeq: [] as number[],
      };
      const touched = new Set<string>();
      seqs.forEach((seq, i) => {
        const index = written + i;
        const workflowId = `verify-${o.runId}-${index % o.chains}`;
        const head = heads.get(workflowId) ?? { chainSeq: 0, hash: GENESIS_HASH, prevHash: GENESIS_HASH, seq: 0 };
        const chainSeq = head.chainSeq + 1;
        // As AuditRepository.append: the payload through canonical JSON, the digest over the chained content.
        const payload = JSON.parse(canonicalJson(payloadOf(workflowId, chainSeq))) as Record<string, unknown>;
        const content = {
          chainId: `workflow:${workflowId}`, idempotencyKey: `${workflowId}#${chainSeq}`, workflowId, action: 'step.done',
          actor: 'system:verify-scale', occurredAt: new Date(start + index).toISOString(), payload,
        };
        const hash = linkHash(head.hash, chainSeq, seq, contentDigest(content));
        cols.seq.push(seq); cols.key.push(content.idempotencyKey); cols.workflow.push(workflowId); cols.at.push(content.occurredAt);
        cols.payload.push(JSON.stringify(payload)); cols.prev.push(head.hash); cols.hash.push(hash); cols.chain.push(content.chainId);
        cols.chainSeq.push(chainSeq);
        heads.set(workflowId, { chainSeq, hash, prevHash: head.hash, seq });
        touched.add(workflowId);
      });
      await tx.query(
        `INSERT INTO audit_events (seq, idempotency_key, workflow_id, action, actor, occurred_at, payload, prev_hash, hash, chain_id, chain_seq)
         SELECT seq, key, workflow, 'step.done', 'system:verify-scale', at, payload, prev, hash, chain, chain_seq
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::jsonb[], $6::text[], $7::text[], $8::text[], $9::bigint[])
             AS t(seq, key, workflow, at, payload, prev, hash, chain, chain_seq)`,
        [cols.seq, cols.key, cols.workflow, cols.at, cols.payload, cols.prev, cols.hash, cols.chain, cols.chainSeq],
      );
      const moved = [...touched].map((w) => ({ chain: `workflow:${w}`, ...heads.get(w)! }));
      await tx.query(
        `INSERT INTO audit_chain_heads (chain_id, chain_seq, hash, prev_hash, seq)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[])
         ON CONFLICT (chain_id) DO UPDATE SET chain_seq = EXCLUDED.chain_seq, hash = EXCLUDED.hash, prev_hash = EXCLUDED.prev_hash, seq = EXCLUDED.seq`,
        [moved.map((m) => m.chain), moved.map((m) => m.chainSeq), moved.map((m) => m.hash), moved.map((m) => m.prevHash), moved.map((m) => m.seq)],
      );
    });
    written += n;
    while (await makeCheckpoint(pool, key)) { /* until every new link is logged */ }
    o.onBatch?.(written);
  }
  return { events: o.events, chains: Math.min(o.chains, o.events) };
}
