import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { buildAuditBundle, type AuditBundle, type RunBytes } from '../../../libs/audit/bundle';
import { PG_POOL } from '../../../libs/db/db.module';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { buildIdOfHistory } from '../../../libs/temporal/build-id';
import { HistoryArchiveRepository } from '../../../libs/db/repositories/history-archive.repository';
import { archivedBytes, historyBytes } from '../../../libs/temporal/history-codec';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';
import { WorkflowsService } from '../workflows/workflows.service';
import { z } from 'zod';
import { AuditLogService } from './audit-log.service';
import { HistorySource } from './history-source';
import { checkpointAnswer } from './audit-log.service';

export const bundleQuery = z.object({
  histories: z.enum(['include', 'leave-out']).default('include')
    .describe("leave-out: no run histories (they hold the workflow's inputs and signals, personal data among them); nothing then checks them"),
});

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
export const bundleAnswer = z.object({
  format: z.literal('fuusio-audit-bundle/1'),
  workflowId: z.string(),
  exportedAt: z.string(),
  buildId: z.string().nullable().describe('the worker build id of the latest run: @temporalio/worker@<version>+<SHA-256 of the workflow bundle code>'),
  publicKey: z.object({ algorithm: z.literal('Ed25519'), keyId: z.string(), publicKeyHex: hex64, development: z.boolean() }),
  checkpoint: checkpointAnswer,
  notCheckpointed: z.number().int().describe('events appended after the checkpoint, left out of the bundle'),
  events: z.array(z.object({
    seq: z.number().int(), chainId: z.string(), chainSeq: z.number().int(), idempotencyKey: z.string(), workflowId: z.string().nullable(),
    action: z.string(), actor: z.string(), occurredAt: z.string(), payload: z.record(z.string(), z.unknown()), prevHash: hex64, hash: hex64,
    leafIndex: z.number().int(), proof: z.array(hex64),
  })),
  historiesIncluded: z.boolean(),
  runs: z.array(z.object({
    runId: z.string(), sha256: hex64,
    history: z.string().describe('temporal.api.history.v1.History protobuf, base64'),
  })),
});

/** A workflow's audit bundle for verification without Fuusio (libs/audit/bundle.ts, docs/audit-bundle.md). */
@Injectable()
export class BundleService {
  private readonly archive = new HistoryArchiveRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly workflows: WorkflowsService,
    private readonly histories: HistorySource,
    private readonly auditLog: AuditLogService,
  ) {}

  async bundle(workflowId: string, query: unknown, user: TokenOwner): Promise<AuditBundle> {
    const { histories } = parseBody(bundleQuery, query, 'query');
    await this.workflows.readable(workflowId, user);
    const runs: RunBytes[] = [];
    for (const run of histories === 'leave-out' ? [] : await this.histories.chain(workflowId)) {
      const runId = run.runId ?? '';
      // An archived run's bytes are the archive's: the ones whose SHA-256 the trail chains. Temporal's
      // answer for the same run does not re-encode to the same bytes: its maps (search attributes) come
      // in another order on each fetch (same length, another SHA-256).
      const archived = await this.archive.history(this.pool, workflowId, runId);
      const bytes = archived ? archivedBytes(archived.history, archived.run.sha256) : historyBytes(run.history);
      runs.push({ runId, buildId: buildIdOfHistory(run.history), bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    const { algorithm, keyId, publicKeyHex, development } = this.auditLog.publicKey();
    const key = { algorithm, keyId, publicKeyHex, development };
    const bundle = await buildAuditBundle(this.pool, workflowId, key, histories === 'leave-out' ? 'left out' : runs, new Date());
    if (!bundle) throw ApiError.notFound('a signed checkpoint that includes the workflow\'s audit events (POST /api/audit/checkpoints makes one)');
    return bundle;
  }
}
