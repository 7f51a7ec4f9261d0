import { Inject, Injectable } from '@nestjs/common';
import { temporal } from '@temporalio/proto';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '../../../libs/db/db.module';
import { HistoryArchiveRepository, type ArchivedRun } from '../../../libs/db/repositories/history-archive.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { isNoSuchRun } from '../../../libs/temporal/not-found';
import { TemporalClientProvider } from '../temporal/temporal.module';
import { WorkflowsService } from '../workflows/workflows.service';
import { HistorySource } from './history-source';

const EventType = temporal.api.enums.v1.EventType;
const instant = z.string().describe('ISO 8601 time');

/** One run of a workflow (continue-as-new makes several), as Temporal and the archive know it. */
export const runSummary = z.object({
  runId: z.string(),
  workflowType: z.string(),
  status: z.string().describe('running, completed, failed, cancelled, terminated, timed_out or continued_as_new'),
  startedAt: instant,
  closedAt: instant.nullable(),
  eventsCount: z.number().int().nullable(),
  sha256: z.string().nullable().describe('SHA-256 of the archived history (uncompressed protobuf); also in the audit trail'),
  archived: z.boolean(),
  inTemporal: z.boolean().describe('false once the namespace retention has deleted the run: then it is read from the archive'),
  retainUntil: z.string().nullable().describe('the archive keeps the history until this date'),
});
export const runsAnswer = z.object({
  workflowId: z.string(),
  parentWorkflowId: z.string().nullable(),
  runs: z.array(runSummary),
});
export const childrenAnswer = z.object({
  items: z.array(z.object({
    workflowId: z.string(), runId: z.string(), workflowType: z.string(), status: z.string(), archived: z.boolean(),
  })),
});

export type RunSummary = z.infer<typeof runSummary>;

/** A workflow id Temporal's list query can hold between double quotes. */
const QUOTABLE_ID = /^[^"\\]{1,1000}$/;

/** The runs and the child workflows of a workflow, across Temporal and the history archive. */
@Injectable()
export class RunsService {
  private readonly archive = new HistoryArchiveRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly temporal: TemporalClientProvider,
    private readonly workflows: WorkflowsService,
    private readonly histories: HistorySource,
  ) {}

  async runs(workflowId: string, user: TokenOwner): Promise<z.infer<typeof runsAnswer>> {
    const { parentWorkflowId } = await this.workflows.readable(workflowId, user);
    const byRun = new Map<string, RunSummary>();
    for (const a of await this.archive.runs(this.pool, workflowId)) byRun.set(a.runId, fromArchive(a));
    if (QUOTABLE_ID.test(workflowId)) {
      const client = await this.temporal.get();
      for await (const info of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
        const known = byRun.get(info.runId);
        byRun.set(info.runId, known ? { ...known, inTemporal: true } : {
          runId: info.runId, workflowType: info.type, status: info.status.name.toLowerCase(),
          startedAt: info.startTime.toISOString(), closedAt: info.closeTime?.toISOString() ?? null,
          eventsCount: null, sha256: null, archived: false, inTemporal: true, retainUntil: null,
        });
      }
    }
    const runs = [...byRun.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    return { workflowId, parentWorkflowId, runs };
  }

  /** The children every run of the workflow started (from its histories), with their state. */
  async children(workflowId: string, user: TokenOwner): Promise<z.infer<typeof childrenAnswer>> {
    await this.workflows.readable(workflowId, user);
    const archived = new Map((await this.archive.childrenOf(this.pool, workflowId)).map((c) => [`${c.workflowId}/${c.runId}`, c]));
    const started = new Map<string, { workflowId: string; runId: string; workflowType: string }>();
    for (const run of await this.histories.chain(workflowId)) {
      for (const e of run.history.events ?? []) {
        if (e.eventType !== EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) continue;
        const a = e.childWorkflowExecutionStartedEventAttributes;
        const child = a?.workflowExecution;
        if (!child?.workflowId || !child.runId) continue;
        started.set(`${child.workflowId}/${child.runId}`, { workflowId: child.workflowId, runId: child.runId, workflowType: a?.workflowType?.name ?? '' });
      }
    }
    for (const [key, c] of archived) started.set(key, { workflowId: c.workflowId, runId: c.runId, workflowType: c.workflowType });
    const items = [];
    for (const [key, c] of started) {
      const kept = archived.get(key);
      items.push({ ...c, status: kept ? kept.closeStatus : await this.temporalStatus(c.workflowId, c.runId), archived: Boolean(kept) });
    }
    return { items };
  }

  private async temporalStatus(workflowId: string, runId: string): Promise<string> {
    try {
      return (await (await this.temporal.get()).workflow.getHandle(workflowId, runId).describe()).status.name.toLowerCase();
    } catch (err) {
      if (isNoSuchRun(err)) return 'unknown';
      throw err;
    }
  }
}

function fromArchive(a: ArchivedRun): RunSummary {
  return {
    runId: a.runId, workflowType: a.workflowType, status: a.closeStatus, startedAt: a.startedAt, closedAt: a.closedAt,
    eventsCount: a.eventsCount, sha256: a.sha256, archived: true, inTemporal: false, retainUntil: a.retainUntil,
  };
}
