import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { makeCheckpoint } from '../../../libs/audit/checkpointer';
import { proveConsistency, proveInclusion, publicCheckpoint } from '../../../libs/audit/proofs';
import { loadSigningKey, type SigningKey } from '../../../libs/audit/signing';
import { verifyAudit, type VerifyProgress } from '../../../libs/audit/verifier';
import { FUUSIO_CONFIG } from '../../../libs/config/config.module';
import type { FuusioConfig } from '../../../libs/config/config';
import { PG_POOL } from '../../../libs/db/db.module';
import { withSnapshot } from '../../../libs/db/pool';
import { AuditLogRepository } from '../../../libs/db/repositories/audit-log.repository';
import { AuditRepository } from '../../../libs/db/repositories/audit.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { ScopePolicy } from '../auth/scope.policy';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';

const treeSize = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const verifyQuery = z.object({
  mode: z.enum(['full', 'incremental']).default('full')
    .describe('full: every row, leaf and checkpoint; incremental: from the last verification that passed'),
  progress: z.enum(['ndjson']).optional()
    .describe('ndjson: answer application/x-ndjson, a line {"progress"} after every page read, then {"result"} (or {"error"})'),
});
export type VerifyQuery = z.infer<typeof verifyQuery>;
export const checkpointListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: treeSize.optional().describe('the nextBefore of the previous page: checkpoints of smaller trees'),
});
export const inclusionQuery = z.object({ treeSize: treeSize.optional().describe('the checkpoint to prove against (default: the latest)') });
export const consistencyQuery = z.object({ from: treeSize, to: treeSize })
  .refine((q) => q.from <= q.to, { path: ['from'], message: 'must not be larger than to' });
export const eventIdParam = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
export const checkpointAnswer = z.object({
  treeSize: z.number().int().min(1), rootHash: hex64, signedAt: z.string(), keyId: z.string(),
  signature: z.string().describe('Ed25519 over the statement in README (base64)'),
});
export const checkpointListAnswer = z.object({ items: z.array(checkpointAnswer), nextBefore: z.number().int().nullable() });
export const checkpointMadeAnswer = z.object({ checkpoint: checkpointAnswer.nullable().describe('null when nothing was appended since the last one') });
export const publicKeyAnswer = z.object({
  algorithm: z.literal('Ed25519'), keyId: z.string(), publicKeyPem: z.string(), publicKeyHex: z.string().regex(/^[0-9a-f]{64}$/),
  development: z.boolean().describe('true: the published development key (no AUDIT_SIGNING_KEY configured)'),
  statement: z.string().describe('the signed text, with the fields to fill in'),
});
export const inclusionAnswer = z.object({
  seq: z.number().int(), chainId: z.string(), chainSeq: z.number().int(), eventHash: hex64, leafIndex: z.number().int(), leafHash: hex64,
  checkpoint: checkpointAnswer, proof: z.array(hex64),
});
export const consistencyAnswer = z.object({ from: checkpointAnswer, to: checkpointAnswer, proof: z.array(hex64) });
const problem = z.object({
  kind: z.enum(['chain', 'log', 'checkpoint']), reason: z.string(), seq: z.number().int().optional(), chainId: z.string().optional(),
  chainSeq: z.number().int().optional(), leafIndex: z.number().int().optional(), treeSize: z.number().int().optional(),
});
export const verifyAnswer = z.object({
  ok: z.boolean(), mode: z.enum(['full', 'incremental']), checked: z.number().int(), leaves: z.number().int(), checkpoints: z.number().int(),
  fromTreeSize: z.number().int(), verifiedTreeSize: z.number().int(), firstBrokenSeq: z.number().int().optional(), problems: z.array(problem),
});

/** The signed Merkle log over the audit chains: checkpoints on a timer and on demand, proofs, verification. */
@Injectable()
export class AuditLogService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('AuditCheckpoints');
  private readonly repo = new AuditLogRepository();
  private readonly audit = new AuditRepository();
  private readonly key: SigningKey;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(FUUSIO_CONFIG) private readonly config: FuusioConfig,
    private readonly scope: ScopePolicy,
  ) {
    this.key = loadSigningKey(config.audit.signingKeyPem);
  }

  onModuleInit(): void {
    const seconds = this.config.audit.checkpointSeconds;
    if (seconds <= 0) return;
    this.timer = setInterval(() => void this.checkpoint().catch((e: unknown) => this.log.warn(`checkpoint failed: ${String(e)}`)), seconds * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async checkpoint() {
    const cp = await makeCheckpoint(this.pool, this.key);
    return { checkpoint: cp ? publicCheckpoint(cp) : null };
  }

  publicKey() {
    return {
      algorithm: 'Ed25519' as const, keyId: this.key.keyId, publicKeyPem: this.key.publicKeyPem, publicKeyHex: this.key.publicKeyHex,
      development: this.key.development,
      statement: 'fuusio-audit-checkpoint v1\\ntree_size <treeSize>\\nroot <rootHash>\\nsigned_at <signedAt>\\n',
    };
  }

  verifyRequest(query: unknown): VerifyQuery {
    return parseBody(verifyQuery, query, 'query');
  }

  async verify(query: VerifyQuery, onProgress?: (p: VerifyProgress) => void) {
    // One snapshot for the whole walk: appends and checkpoints made meanwhile are not half seen.
    return withSnapshot(this.pool, (db) => verifyAudit(db, this.key.publicKey, this.key.keyId, query.mode, onProgress ? { onProgress } : {}));
  }

  async list(query: unknown) {
    const q = parseBody(checkpointListQuery, query, 'query');
    const items = (await this.repo.listCheckpoints(this.pool, q.limit, q.before)).map(publicCheckpoint);
    return { items, nextBefore: items.length === q.limit ? items[items.length - 1]!.treeSize : null };
  }

  /** A scoped token gets proofs only for the events of workflows it can see. */
  async inclusion(id: unknown, query: unknown, user: TokenOwner) {
    const seq = parseBody(eventIdParam, id, 'id');
    const q = parseBody(inclusionQuery, query, 'query');
    const event = await this.audit.bySeq(this.pool, seq);
    if (!event) throw ApiError.notFound(`audit event ${seq}`);
    if (user.organisation) {
      if (!event.workflowId) throw ApiError.notFound(`audit event ${seq}`);
      await this.scope.assertWorkflow(user, event.workflowId);
    }
    const proof = await proveInclusion(this.pool, seq, event.hash, q.treeSize);
    if (proof === 'not-logged') throw ApiError.notFound(`a checkpoint that includes audit event ${seq}`);
    if (proof === 'no-checkpoint') throw ApiError.notFound(`the checkpoint of tree size ${q.treeSize}`);
    if (proof === 'not-in-tree') {
      throw ApiError.badRequest(`audit event ${seq} was logged after the checkpoint of tree size ${q.treeSize}`, [
        { path: 'query.treeSize', message: 'is older than the event; use a later checkpoint' },
      ]);
    }
    return proof;
  }

  async consistency(query: unknown) {
    const q = parseBody(consistencyQuery, query, 'query');
    const proof = await proveConsistency(this.pool, q.from, q.to);
    if (!proof) throw ApiError.notFound(`checkpoints of tree sizes ${q.from} and ${q.to}`);
    return proof;
  }
}
