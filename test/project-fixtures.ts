import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createActivities } from '../activities';
import { findTestServer } from '../infra/temporal/provision';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../libs/temporal/search-attributes';
import { DEMO_ORGANISATIONS, THL_BUSINESS_ID } from '../infra/seed/demo-data';
import { addDays, addMonths, projectBusinessKey, projectInputSchema, type ProjectInput } from '../libs/domain/project';
import { isoDate } from '../libs/domain/duration';
import { eventUpdate, progressQuery } from '../workflows/kit/messages';
import { eventually } from './support/harness';
import { testEnv } from './support/test-env';

// Shared by the project tests: demo organisations, an input with future dates, and event sending.

function demoIdNamed(fragment: string): string {
  const org = DEMO_ORGANISATIONS.find((o) => o.name.includes(fragment));
  if (!org) throw new Error(`no demo organisation named like ${fragment}`);
  return org.businessId;
}

export const STM = demoIdNamed('STM');
export const DIAK = demoIdNamed('Diak');
export const THL = THL_BUSINESS_ID;
export const HAMINA = demoIdNamed('Hamina');
export const KOTKA = demoIdNamed('Kotka');
export const MANAGER = { name: 'test-manager', role: 'manager' };

/** A project starting `startInDays` after `nowMs`, `years` long, in half-year periods. */
export function futureProject(nowMs: number, overrides: Partial<Record<keyof ProjectInput, unknown>> & { startInDays?: number; years?: number } = {}): ProjectInput {
  const { startInDays = 10, years = 2, ...rest } = overrides;
  const start = addDays(isoDate(nowMs), startInDays);
  return projectInputSchema.parse({
    name: `Testihanke ${Math.floor(Math.random() * 1e9)}`,
    funder: STM,
    lead: THL,
    partners: [DIAK],
    region: 'Kaakkois-Suomi',
    plannedStart: start,
    plannedEnd: addDays(addMonths(start, 12 * years), -1),
    budgetCents: 1_200_000_00,
    ownFinancing: { percent: 25, partners: [{ businessId: HAMINA, population: 19_534 }, { businessId: KOTKA, population: 50_500 }] },
    reportingPeriodMonths: 6,
    reportDueDays: 60,
    indicators: [{ key: 'workshops', title: 'Regional workshops held', target: 20 }],
    ...rest,
  });
}

let n = 0;
/** Sends an event as the manager; retries while a run is handing over to the next (continueAsNew). */
export async function sendEvent(client: Client, workflowId: string, type: string, payload: Record<string, unknown> = {}): Promise<void> {
  n += 1;
  const idempotencyKey = `${type}-${n}-${Math.random().toString(36).slice(2)}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await client.workflow.getHandle(workflowId).executeUpdate(eventUpdate, { args: [{ type, payload, idempotencyKey, actor: MANAGER }] });
      return;
    } catch (err) {
      const handover = !(err instanceof WorkflowUpdateFailedError) && attempt < 20;
      if (!handover) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The time-skipping test server with Fuusio's search attributes, and the helpers project tests drive it with. */
export async function startTimeSkipping(pool: Pool) {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: await findTestServer() } } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS).map(([name, type]) => [
      name, type === 'KeywordList' ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    ])),
  });

  const stageReached = async (workflowId: string, stage: string): Promise<void> => {
    await eventually(async () => ((await env.client.workflow.getHandle(workflowId).query(progressQuery)).stage === stage ? true : undefined), 30_000, `stage ${stage}`);
  };

  return {
    env,
    /** Runs `fn` with a real worker (real activities on `pool`) on a task queue of its own. */
    async withWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
      const taskQueue = `ts-${randomUUID()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection, taskQueue, activities: createActivities({ pool }), workflowBundle: { codePath: testEnv('bundle') },
      });
      return worker.runUntil(fn(taskQueue));
    },
    async startProject(taskQueue: string, input: ProjectInput) {
      const handle = await env.client.workflow.start('projectLifecycle', { taskQueue, workflowId: projectBusinessKey(input), args: [input] });
      await stageReached(handle.workflowId, 'planning');
      return handle;
    },
    stageReached,
    /** Lets the server's clock run to `atMs`; workflow timers on the way fire. */
    async skipTo(atMs: number): Promise<void> {
      const now = await env.currentTimeMs();
      if (atMs > now) await env.sleep(atMs - now);
    },
    async throughDecision(workflowId: string, decision: Record<string, unknown>): Promise<void> {
      await sendEvent(env.client, workflowId, 'partners.confirmed');
      await sendEvent(env.client, workflowId, 'application.submitted', { reference: 'EURA-hakemus 1/2027' });
      await sendEvent(env.client, workflowId, 'funding.decided', decision);
    },
    /** Every run of a workflow in order, following continueAsNew, with its history. */
    async runs(workflowId: string, firstRunId: string): Promise<{ runId: string; history: temporal.api.history.v1.IHistory }[]> {
      const runs: { runId: string; history: temporal.api.history.v1.IHistory }[] = [];
      let runId: string | null | undefined = firstRunId;
      while (runId) {
        const history: temporal.api.history.v1.IHistory = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
        runs.push({ runId, history });
        const events = history.events ?? [];
        runId = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      }
      return runs;
    },
  };
}
