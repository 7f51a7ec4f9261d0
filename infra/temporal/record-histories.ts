import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { createFuusioWorker } from '../../apps/worker/create-worker';
import { businessIdCheckDigit } from '../../libs/domain/business-id';
import { isoDate } from '../../libs/domain/duration';
import type { Actor } from '../../libs/domain/progress';
import { onboardingInputSchema, type OnboardingInput, type ShareholdingMergerInput } from '../../libs/domain/schemas';
import {
  DEMO_ORGANISATIONS,
  DEMO_SOCOM_SHAREHOLDERS,
  KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID,
  SOCOM_BUSINESS_ID,
} from '../seed/demo-data';
import type { OnboardingResult, onboardShareholder } from '../../workflows/onboarding/onboard-shareholder.workflow';
import type { ShareholdingMergerResult, mergeShareholdings } from '../../workflows/shareholding-merger/merge-shareholdings.workflow';
import { cancelUpdate, decideUpdate, eventUpdate, progressQuery, type ProgressView } from '../../workflows/kit/messages';
import { findTestServer } from './provision';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../libs/temporal/search-attributes';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/**
 * Records the event histories of real Fuusio workflow runs as JSON fixtures, for replay tests that
 * prove today's workflow code still replays what yesterday's code wrote (a change that is not
 * replay-safe needs `patched()` or a new workflow type).
 *
 * Every run is real: a Fuusio worker with the real activities on the given (demo-seeded) database,
 * on a real Temporal server. The onboarding scenarios run on the dev server at `address`. The
 * shareholding merger runs on Temporal's time-skipping test server instead, because its durable timer
 * waits for an effective *date* (midnight UTC of the next day at the soonest, hours away), which only a
 * server that skips time can let fire within a recording.
 *
 * Jest-independent; the integration test `test/replay/record.test.ts` drives it (see there how to re-record).
 */

export const SCENARIOS = [
  'onboarding-completed',
  'onboarding-rejected',
  'onboarding-expired',
  'onboarding-cancelled',
  'shareholding-merger-completed',
  'onboarding-board-quorum-four-eyes',
  'onboarding-board-reminder-helsinki',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export type RecordHistoriesOptions = {
  /** Temporal dev server frontend, host:port. */
  address: string;
  /** A namespace on it that has Fuusio's search attributes. */
  namespace: string;
  /** A database migrated and seeded with the demo data (`seedDemoData`); the activities write to it. */
  pool: Pool;
  /** Where `<scenario>.json` goes; created when missing, existing files of the same name are replaced. */
  outDir: string;
  /** A pre-built workflow bundle; without it the workers bundle `workflows/` themselves. */
  workflowBundle?: { codePath: string } | { code: string };
  /** The `temporal-test-server` executable for the time-skipping scenarios; found like the CLI when unset. */
  testServerPath?: string;
  /** A valid business ID that no organisation in the database has yet; a built-in generator when unset. */
  freshBusinessId?: () => string;
  /** Only these scenarios (default: all). */
  only?: readonly ScenarioName[];
  /** Prefix of the workflow ids; a random suffix keeps them unique. */
  workflowIdPrefix?: string;
  log?: (message: string) => void;
};

export type RecordedHistory = {
  name: ScenarioName;
  file: string;
  workflowId: string;
  runId: string;
  events: number;
  /** The workflow's result, checked against what the scenario is meant to end in. */
  result: OnboardingResult | ShareholdingMergerResult;
};

const RECORDER: Actor = { name: 'history-recorder', role: 'admin' };
const BOARD: Actor = { name: 'history-recorder-board', role: 'manager' };

type Env = { client: Client; taskQueue: string; workflowId: (name: ScenarioName) => string; freshBusinessId: () => string };
type Run = { handle: WorkflowHandle; result: OnboardingResult | ShareholdingMergerResult };
type Scenario = { name: ScenarioName; server: 'dev' | 'time-skipping'; expect: string; run(env: Env): Promise<Run> };

const SCENARIO_DEFINITIONS: Scenario[] = [
  {
    name: 'onboarding-completed',
    server: 'dev',
    expect: 'completed',
    async run(env) {
      const input = application({ applicant: { name: 'Kymenlaakson hyvinvointialue', businessId: KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, kind: 'wellbeing-county', region: 'Kymenlaakso' } });
      const handle = await startOnboarding(env, 'onboarding-completed', input);
      await waitForStage(handle, 'board');
      await handle.executeUpdate(decideUpdate, {
        args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: '§ 12/2023', comment: 'welcome', actor: BOARD }],
      });
      await waitForStage(handle, 'subscription');
      await handle.executeUpdate(eventUpdate, { args: [{ type: 'subscription.signed', payload: {}, idempotencyKey: 'sig-1', actor: RECORDER }] });
      await waitForStage(handle, 'payment');
      const due = input.shares * input.pricePerShareCents;
      const first = Math.floor(due / 3);
      await handle.executeUpdate(eventUpdate, {
        args: [{ type: 'payment.received', payload: { amountCents: first, currency: 'EUR' }, idempotencyKey: 'pay-1', actor: RECORDER }],
      });
      await handle.executeUpdate(eventUpdate, {
        args: [{ type: 'payment.received', payload: { amountCents: due - first, currency: 'EUR' }, idempotencyKey: 'pay-2', actor: RECORDER }],
      });
      return { handle, result: await handle.result() };
    },
  },
  {
    name: 'onboarding-rejected',
    server: 'dev',
    expect: 'rejected',
    async run(env) {
      const handle = await startOnboarding(env, 'onboarding-rejected', association(env, { shares: 3 }));
      await waitForStage(handle, 'board');
      await handle.executeUpdate(decideUpdate, {
        args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'reject', comment: 'not now', actor: BOARD }],
      });
      return { handle, result: await handle.result() };
    },
  },
  {
    name: 'onboarding-expired',
    server: 'dev',
    expect: 'expired',
    async run(env) {
      const input = association(env, { shares: 2, deadlines: { subscription: '2 s', payment: '30 days', reminders: ['1 s'] } });
      const handle = await startOnboarding(env, 'onboarding-expired', input);
      await waitForStage(handle, 'board');
      await handle.executeUpdate(decideUpdate, { args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', actor: BOARD }] });
      return { handle, result: await handle.result() };
    },
  },
  {
    name: 'onboarding-cancelled',
    server: 'dev',
    expect: 'cancelled',
    async run(env) {
      const handle = await startOnboarding(env, 'onboarding-cancelled', association(env, { shares: 2 }));
      await waitForStage(handle, 'board');
      await handle.executeUpdate(decideUpdate, { args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', actor: BOARD }] });
      await waitForStage(handle, 'subscription');
      await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'applicant withdrew', actor: RECORDER }] });
      return { handle, result: await handle.result() };
    },
  },
  {
    // A board of five deciding 3 of 5 by named members (one through a substitute), and four eyes on the payment.
    name: 'onboarding-board-quorum-four-eyes',
    server: 'dev',
    expect: 'completed',
    async run(env) {
      const members = ['socom-board-1', 'socom-board-2', 'socom-board-3', 'socom-board-4', 'socom-board-5'];
      const input = association(env, { shares: 2, board: { quorum: 3, members }, fourEyes: true });
      const handle = await startOnboarding(env, 'onboarding-board-quorum-four-eyes', input);
      await waitForStage(handle, 'board');
      const vote = (decidedBy: string, decision: 'approve' | 'reject', onBehalfOf: string | null = null) => handle.executeUpdate(decideUpdate, {
        args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision, actor: { name: decidedBy, role: 'manager' }, decidedBy, onBehalfOf }],
      });
      await vote('socom-board-1', 'approve');
      await vote('socom-board-2', 'reject');
      await vote('socom-deputy-1', 'approve', 'socom-board-5');
      await vote('socom-board-3', 'approve');
      await waitForStage(handle, 'subscription');
      await handle.executeUpdate(eventUpdate, { args: [{ type: 'subscription.signed', payload: {}, idempotencyKey: 'sig-1', actor: RECORDER }] });
      await waitForStage(handle, 'payment');
      const due = input.shares * input.pricePerShareCents;
      const finance = (name: string) => ({ actor: { name, role: 'manager' }, person: name });
      await handle.executeUpdate(eventUpdate, {
        args: [{ type: 'payment.received', payload: { amountCents: due, currency: 'EUR' }, idempotencyKey: 'pay-1', ...finance('socom-finance-1') }],
      });
      await handle.executeUpdate(eventUpdate, {
        args: [{ type: 'payment.confirmed', payload: { payment: 'pay-1' }, idempotencyKey: 'confirm-1', ...finance('socom-finance-2') }],
      });
      return { handle, result: await handle.result() };
    },
  },
  {
    // A board with a deadline sends its reminder to the undecided before it (board-reminders), and the run
    // dates the applicant's check, the shares and the notice by Helsinki's calendar (helsinki-days).
    name: 'onboarding-board-reminder-helsinki',
    server: 'dev',
    expect: 'completed',
    async run(env) {
      const input = association(env, { shares: 2, deadlines: { boardDecision: '30 s', subscription: '30 days', payment: '30 days', reminders: ['28 s'] } });
      const handle = await startOnboarding(env, 'onboarding-board-reminder-helsinki', input);
      await waitForStage(handle, 'board');
      await waitUntil(handle, (view) => view.steps.some((s) => s.key === 'board.reminder.28 s'));
      await handle.executeUpdate(decideUpdate, { args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', actor: BOARD }] });
      await waitForStage(handle, 'subscription');
      await handle.executeUpdate(eventUpdate, { args: [{ type: 'subscription.signed', payload: {}, idempotencyKey: 'sig-1', actor: RECORDER }] });
      await waitForStage(handle, 'payment');
      const due = input.shares * input.pricePerShareCents;
      await handle.executeUpdate(eventUpdate, {
        args: [{ type: 'payment.received', payload: { amountCents: due, currency: 'EUR' }, idempotencyKey: 'pay-1', actor: RECORDER }],
      });
      return { handle, result: await handle.result() };
    },
  },
  {
    name: 'shareholding-merger-completed',
    server: 'time-skipping',
    expect: 'completed',
    async run(env) {
      // The first effective date in the future: tomorrow (UTC). The workflow waits for it on a durable
      // timer; the time-skipping server fires it as soon as nothing else is left to do.
      const input: ShareholdingMergerInput = {
        company: SOCOM_BUSINESS_ID,
        merging: [socomHoldingMunicipality('Lemi'), socomHoldingMunicipality('Luumäki')],
        into: { businessId: env.freshBusinessId(), name: 'Etelä-Saimaan kunta', region: 'Etelä-Karjala', population: 7_507 },
        effectiveDate: isoDate(Date.now() + 24 * 60 * 60 * 1000),
      };
      const handle = await env.client.workflow.start<typeof mergeShareholdings>('mergeShareholdings', {
        taskQueue: env.taskQueue,
        workflowId: env.workflowId('shareholding-merger-completed'),
        args: [input],
      });
      return { handle, result: await handle.result() };
    },
  },
];

export async function recordHistories(opts: RecordHistoriesOptions): Promise<RecordedHistory[]> {
  const log = opts.log ?? (() => undefined);
  const wanted = SCENARIO_DEFINITIONS.filter((s) => !opts.only || opts.only.includes(s.name));
  const prefix = opts.workflowIdPrefix ?? 'record-history';
  const stamp = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
  const freshBusinessId = opts.freshBusinessId ?? defaultFreshBusinessId();
  await mkdir(opts.outDir, { recursive: true });
  const recorded: RecordedHistory[] = [];

  const runAll = async (client: Client, taskQueue: string, scenarios: Scenario[]) => {
    const env: Env = { client, taskQueue, freshBusinessId, workflowId: (name) => `${prefix}-${name}-${stamp}` };
    for (const scenario of scenarios) {
      log(`recording ${scenario.name}`);
      const { handle, result } = await scenario.run(env);
      if (result.status !== scenario.expect) {
        throw new Error(`${scenario.name} was meant to end ${scenario.expect} but ended ${result.status}${result.reason ? `: ${result.reason}` : ''}`);
      }
      const history = await handle.fetchHistory();
      const events = history.events?.length ?? 0;
      const file = path.join(opts.outDir, `${scenario.name}.json`);
      await writeFile(file, `${historyToJSON(history)}\n`);
      const description = await handle.describe();
      recorded.push({ name: scenario.name, file, workflowId: handle.workflowId, runId: description.runId, events, result });
      log(`${scenario.name}: ${events} events → ${file}`);
    }
  };

  const onDev = wanted.filter((s) => s.server === 'dev');
  if (onDev.length > 0) {
    const nativeConnection = await NativeConnection.connect({ address: opts.address });
    const connection = await Connection.connect({ address: opts.address });
    try {
      const taskQueue = `${prefix}-${stamp}`;
      const worker = await createFuusioWorker({
        connection: nativeConnection, namespace: opts.namespace, taskQueue, pool: opts.pool, ...bundleOption(opts),
      });
      // runUntil shuts the worker down when the scenarios settle, and rethrows their error.
      await worker.runUntil(runAll(new Client({ connection, namespace: opts.namespace }), taskQueue, onDev));
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  }

  const onTimeSkipping = wanted.filter((s) => s.server === 'time-skipping');
  if (onTimeSkipping.length > 0) {
    const executable = opts.testServerPath ?? (await findTestServer({ log }));
    const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: executable } } });
    try {
      await registerSearchAttributes(env.connection, env.namespace ?? 'default');
      const taskQueue = `${prefix}-time-skipping-${stamp}`;
      const worker = await createFuusioWorker({
        connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, pool: opts.pool, ...bundleOption(opts),
      });
      await worker.runUntil(runAll(env.client, taskQueue, onTimeSkipping));
    } finally {
      await env.teardown();
    }
  }

  // In SCENARIOS order, whichever server each ran on.
  return SCENARIOS.flatMap((name) => recorded.filter((r) => r.name === name));
}

/** The test server starts empty: without Fuusio's search attributes every upsert fails the workflow task. */
async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const types = { Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST };
  const searchAttributes = Object.fromEntries(Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS).map(([name, type]) => [name, types[type]]));
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
}

function bundleOption(opts: RecordHistoriesOptions): { workflowBundle?: { codePath: string } | { code: string } } {
  return opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : {};
}

async function startOnboarding(env: Env, name: ScenarioName, input: OnboardingInput): Promise<WorkflowHandle<typeof onboardShareholder>> {
  return env.client.workflow.start<typeof onboardShareholder>('onboardShareholder', { taskQueue: env.taskQueue, workflowId: env.workflowId(name), args: [input] });
}

async function waitForStage(handle: WorkflowHandle, stage: string, timeoutMs = 30_000): Promise<void> {
  await waitUntil(handle, (view) => view.stage === stage && view.stages.find((s) => s.key === stage)?.status === 'running', `stage ${stage}`, timeoutMs);
}

async function waitUntil(handle: WorkflowHandle, reached: (view: ProgressView) => boolean, what = 'the awaited step', timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const view = await handle.query(progressQuery);
    if (reached(view)) return;
    if (view.status !== 'running') throw new Error(`${handle.workflowId} ended (${view.status}) before ${what}`);
    if (Date.now() > end) throw new Error(`${handle.workflowId} did not reach ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function application(overrides: Partial<OnboardingInput>): OnboardingInput {
  return onboardingInputSchema.parse({
    company: SOCOM_BUSINESS_ID,
    shares: 10,
    pricePerShareCents: 100_00,
    deadlines: { subscription: '30 days', payment: '30 days', reminders: ['7 days', '1 day'] },
    ...overrides,
  });
}

function association(env: Env, overrides: Partial<OnboardingInput>): OnboardingInput {
  const businessId = env.freshBusinessId();
  return application({ applicant: { name: `Tallenneyhdistys ${businessId}`, businessId, kind: 'association' }, ...overrides });
}

function socomHoldingMunicipality(name: string): string {
  const org = DEMO_ORGANISATIONS.find((o) => o.name === name && o.kind === 'municipality');
  if (!org) throw new Error(`no demo municipality ${name}`);
  if (!DEMO_SOCOM_SHAREHOLDERS.some((s) => s.holderBusinessId === org.businessId && s.shares > 0)) {
    throw new Error(`${name} holds no Socom shares in the demo data`);
  }
  return org.businessId;
}

/** Valid business IDs in 87xxxxx: neither the demo data (9xxxxxx) nor the test fixtures' bases use them. */
function defaultFreshBusinessId(): () => string {
  let base = 8_700_000 + Math.floor(Math.random() * 90_000);
  return () => {
    for (;;) {
      base += 1;
      const check = businessIdCheckDigit(String(base));
      if (check !== null) return `${base}-${check}`;
    }
  };
}
