import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  HAME_ELY_BUSINESS_ID, HUS_BUSINESS_ID, SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, STM_BUSINESS_ID, VERSO_BUSINESS_ID,
  effectiveDateAfter, seedConsolidationDemo, uusimaaLaunchBody,
} from '../infra/seed/demo-consolidation';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { seedDemoData } from '../infra/seed/seed';
import { freePort } from '../infra/provision/net';
import { ensureDevServer, findProjectRoot, type DevServer } from '../infra/temporal/provision';
import { isoDate } from '../libs/domain/duration';
import { consolidationInputSchema, consolidationOrganisations } from '../libs/domain/consolidation';
import { projectBusinessKey } from '../libs/domain/project';
import { decodeHistory } from '../libs/temporal/history-codec';
import { HistoryArchiverService } from '../apps/worker/history-archiver.service';
import { loadConfig } from '../libs/config/config';
import { createLogger } from '../libs/logging/logger';
import { archiveAuditKey, archiveClosedRuns } from '../libs/temporal/history-archiver';
import { eraseExpiredHistories } from '../libs/temporal/history-retention';
import { isNotFound } from '../libs/temporal/not-found';
import { futureProject, THL } from './project-fixtures';
import { startApi, type TestApi } from './support/api-harness';
import { createTestDatabase, eventually, startWorker, type RunningWorker, type TestDatabase, type TestTemporal } from './support/harness';

/**
 * Issue 14 §2: a project's histories outlive the Temporal retention. A dev server of this file's own
 * suggests continue-as-new after a few dozen events, so a project in implementation runs as several runs
 * within seconds; every closed run is archived, then deleted from Temporal, and the API still exports,
 * replays and crosschecks each of them from the archive.
 */
let server: DevServer;
let db: TestDatabase;
let t: TestTemporal;
let worker: RunningWorker;
let api: TestApi;
let auditor: string;
let manager: string;
let admin: string;

beforeAll(async () => {
  const namespace = `archive-${Date.now().toString(36)}`;
  server = await ensureDevServer({
    address: `127.0.0.1:${await freePort()}`, namespaces: [namespace], headless: true,
    dataDir: join(findProjectRoot(), '.fuusio', 'test', `temporal-archive-${process.pid}`),
    dynamicConfig: {
      'limit.historyCount.suggestContinueAsNew': 60,
      // A delete otherwise waits for the visibility queue's acknowledgement (up to a minute) before it runs.
      'history.transferProcessorEnsureCloseBeforeDelete': false,
      'history.visibilityProcessorEnsureCloseBeforeDelete': false,
    },
  });
  const connection = await Connection.connect({ address: server.address });
  t = {
    client: new Client({ connection, namespace }), namespace, address: server.address, taskQueue: `test-${randomUUID()}`,
    close: () => connection.close(),
  };
  db = await createTestDatabase();
  await seedDemoData(db.pool);
  await seedConsolidationDemo(db.pool);
  worker = await startWorker(t, db.pool);
  api = await startApi(db, t);
  [auditor, manager, admin] = [await api.token('auditor'), await api.token('manager'), await api.token('admin')];
}, 60_000);

afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await t?.close();
  await db?.drop();
  await server?.stop();
});

const path = (id: string, rest = '') => `/api/workflows/${encodeURIComponent(id)}${rest}`;

/** An event through the API; retried while a run hands over to the next (an update then finds no run to take it). */
async function event(workflowId: string, type: string, payload: Record<string, unknown> = {}): Promise<void> {
  const idempotencyKey = `${type}-${randomUUID()}`;
  await eventually(async () => {
    const r = await api.request('POST', path(workflowId, '/events'), { token: manager, body: { type, payload, idempotencyKey } });
    if (r.status === 422) throw new Error(`${type} refused: ${JSON.stringify(r.body)}`);
    return r.status === 202 ? true : undefined;
  }, 20_000, `${type} delivered`);
}

async function runIds(workflowId: string): Promise<string[]> {
  const out: string[] = [];
  for await (const info of t.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) out.push(info.runId);
  return out;
}

async function deleteRun(workflowId: string, runId: string): Promise<void> {
  await t.client.workflowService.deleteWorkflowExecution({ namespace: t.namespace, workflowExecution: { workflowId, runId } });
  // Deletion is asynchronous: done when Temporal no longer serves the history.
  await eventually(async () => {
    try {
      await t.client.workflow.getHandle(workflowId, runId).fetchHistory();
      return undefined;
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
  }, 20_000, `run ${runId} deleted`);
}

test('a project over several continue-as-new runs is archived, deleted from Temporal, and still exported, replayed and crosschecked', async () => {
  // Started a hundred days ago in one-month periods: implementation begins at once, with reports overdue.
  const start = isoDate(Date.now() - 100 * 86_400_000);
  const input = futureProject(Date.now(), {
    name: 'Arkistoitu hanke', startInDays: -100, years: 1, reportingPeriodMonths: 1, reportDueDays: 10, lead: THL,
  });
  expect(input.plannedStart).toBe(start);
  const workflowId = projectBusinessKey(input);
  await t.client.workflow.start('projectLifecycle', { taskQueue: t.taskQueue, workflowId, args: [input] });
  await eventually(async () => ((await api.request('GET', path(workflowId), { token: manager })).body.stage === 'planning' ? true : undefined));
  await event(workflowId, 'partners.confirmed');
  await event(workflowId, 'application.submitted');
  await event(workflowId, 'funding.decided', { decision: 'approve', euraCode: 'S98013', reference: 'STM/9/2026' });
  await eventually(async () => ((await api.request('GET', path(workflowId), { token: manager })).body.stage === 'implementation' ? true : undefined),
    20_000, 'implementation');

  // Each event grows the run's history; past the server's suggestion the run continues as new.
  for (let i = 0; i < 40 && (await runIds(workflowId)).length < 3; i += 1) {
    await event(workflowId, 'indicator.recorded', { key: 'workshops', actual: i + 1 });
  }
  const before = await runIds(workflowId);
  expect(before.length).toBeGreaterThanOrEqual(3);
  expect(before.length).toBeLessThan(20); // a fresh run must not continue again at once

  // Archived in bounded passes: the first stops at its bound, the next ones catch up, a last one finds nothing new.
  const filter = `TaskQueue = "${t.taskQueue}"`;
  const first = await archiveClosedRuns({ client: t.client, pool: db.pool, limit: 1, filter });
  expect(first).toMatchObject({ failed: 0, more: true });
  expect(first.archived).toHaveLength(1);
  // The last run is still running: cancel it, so every run is closed.
  const cancel = await api.request('POST', path(workflowId, '/cancel'), { token: admin, body: { reason: 'archive test over' } });
  expect(cancel.status).toBe(200);
  await eventually(async () => ((await t.client.workflow.getHandle(workflowId).describe()).status.name !== 'RUNNING' ? true : undefined));
  const allRuns = await runIds(workflowId);
  await eventually(async () => {
    await archiveClosedRuns({ client: t.client, pool: db.pool, filter });
    const n = await db.pool.query('SELECT count(*)::int AS n FROM history_archive WHERE workflow_id = $1', [workflowId]);
    return n.rows[0].n === allRuns.length ? true : undefined;
  }, 20_000, 'every run archived');
  expect((await archiveClosedRuns({ client: t.client, pool: db.pool, filter })).archived).toEqual([]);

  // The archive's SHA-256 of each run is in the workflow's audit trail.
  const rows = (await db.pool.query('SELECT run_id, sha256, close_status, history FROM history_archive WHERE workflow_id = $1', [workflowId])).rows;
  expect(rows.filter((r) => r.close_status === 'continued_as_new').length).toBe(allRuns.length - 1);
  const audit = await api.request('GET', path(workflowId, '/audit'), { token: auditor });
  for (const r of rows) {
    const event = audit.body.items.find((e: { idempotencyKey: string }) => e.idempotencyKey === archiveAuditKey(workflowId, r.run_id));
    expect(event).toMatchObject({ action: 'history.archived', actor: 'system:archiver', payload: { runId: r.run_id, sha256: r.sha256 } });
    expect(decodeHistory(r.history, r.sha256).events?.length).toBeGreaterThan(0);
  }
  expect((await api.request('GET', '/api/audit/verify', { token: auditor })).body.ok).toBe(true);

  // The project's retention date carries over to its histories.
  await db.pool.query(`UPDATE projects SET retain_until = '2040-12-31' WHERE workflow_id = $1`, [workflowId]);
  await archiveClosedRuns({ client: t.client, pool: db.pool, filter });

  // Temporal's retention passes: every run is gone from it.
  await Promise.all(allRuns.map((runId) => deleteRun(workflowId, runId)));

  const runs = await api.request('GET', path(workflowId, '/runs'), { token: auditor });
  expect(runs.status).toBe(200);
  expect(runs.body.runs.map((r: { runId: string }) => r.runId).sort()).toEqual([...allRuns].sort());
  for (const r of runs.body.runs) expect(r).toMatchObject({ archived: true, inTemporal: false, retainUntil: '2040-12-31' });

  for (const r of runs.body.runs as { runId: string; eventsCount: number }[]) {
    const history = await api.request('GET', `${path(workflowId, '/history')}?runId=${r.runId}`, { token: auditor });
    expect(history.status).toBe(200);
    expect(history.body.events).toHaveLength(r.eventsCount);
    expect(history.body.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
  }
  const latest = await api.request('GET', path(workflowId, '/history'), { token: auditor });
  expect(latest.status).toBe(200);
  const lastRun = runs.body.runs[runs.body.runs.length - 1];
  expect(latest.body.events).toHaveLength(lastRun.eventsCount);

  const replay = await api.request('POST', '/api/audit/replay', { token: auditor, body: { workflowIds: [workflowId], runs: 'all' } });
  expect(replay.status).toBe(200);
  expect(replay.body.results).toEqual(runs.body.runs.map((r: { runId: string }) => ({ workflowId, runId: r.runId, source: 'archive', ok: true })));

  const crosscheck = await api.request('GET', path(workflowId, '/crosscheck'), { token: auditor });
  expect(crosscheck.status).toBe(200);
  expect(crosscheck.body).toMatchObject({ ok: true, runs: allRuns.length, missingInAudit: [], missingInHistory: [] });

  const state = await api.request('GET', `${path(workflowId, '/state')}?at=${new Date().toISOString()}`, { token: auditor });
  expect(state.status).toBe(200);
  expect(state.body.workflowId).toBe(workflowId);

  // Scope still applies to what is read from the archive.
  const outsider = await api.token('auditor', SOCOM_BUSINESS_ID);
  expect((await api.request('GET', path(workflowId, '/runs'), { token: outsider })).status).toBe(404);
  expect((await api.request('GET', `${path(workflowId, '/history')}?runId=not-a-run`, { token: auditor })).status).toBe(400);

  // After the project's retention date its archived histories are erased, each erasure an audit event.
  expect((await eraseExpiredHistories({ pool: db.pool, today: '2040-12-31' })).erased).toEqual([]);
  expect((await eraseExpiredHistories({ pool: db.pool, today: '2041-01-01' })).erased).toHaveLength(allRuns.length);
  expect((await api.request('GET', `${path(workflowId, '/history')}?runId=${allRuns[0]}`, { token: auditor })).status).toBe(404);
  const trail = await api.request('GET', path(workflowId, '/audit'), { token: auditor });
  const erasures = trail.body.items.filter((e: { action: string }) => e.action === 'history.erased');
  expect(erasures.map((e: { payload: { runId: string } }) => e.payload.runId).sort()).toEqual([...allRuns].sort());
  expect((await api.request('GET', '/api/audit/verify', { token: auditor })).body.ok).toBe(true);
}, 120_000);

async function stage(workflowId: string, wanted: string) {
  await eventually(async () => ((await api.request('GET', path(workflowId), { token: manager })).body.stage === wanted ? true : undefined),
    30_000, `${workflowId} at ${wanted}`);
}

async function decide(workflowId: string, decision: Record<string, unknown>) {
  const r = await api.request('POST', path(workflowId, '/decisions'), { token: manager, body: { decision: 'approve', ...decision } });
  expect([decision, r.status]).toEqual([decision, 200]);
}

type Child = { workflowId: string; runId: string; workflowType: string; status: string; archived: boolean };

test("a consolidation's children are listed, read and replayed in the parent's scope, and from the archive once Temporal deleted them", async () => {
  const body = { ...uusimaaLaunchBody(effectiveDateAfter(new Date(), 120)), slug: 'archive' };
  const launched = await api.request('POST', '/api/workflows/consolidation', { token: admin, body });
  expect(launched.status).toBe(201);
  const id = launched.body.workflowId as string;
  await stage(id, 'feasibility');
  await event(id, 'study.completed', { findings: 'An administrative merger serves the new wellbeing services counties.' });
  await stage(id, 'decisions');
  for (const [party, chainBody] of [
    [VERSO_BUSINESS_ID, 'verso-board'], [VERSO_BUSINESS_ID, 'joint-authority-board'], [SOCCA_BUSINESS_ID, 'socca-steering-group'],
    [SOSIAALITAITO_BUSINESS_ID, 'sosiaalitaito-board'], [VERSO_BUSINESS_ID, 'joint-authority-council'], [HUS_BUSINESS_ID, 'hus-board'],
  ] as const) await decide(id, { gate: 'decisions', party, body: chainBody, reference: `${chainBody} § 1` });
  await eventually(async () => ((await api.request('GET', path(id), { token: manager })).body.pendingApprovals.length === 3 ? true : undefined),
    30_000, 'the consent gates');
  for (const [gate, party] of [['consent/S21901', HAME_ELY_BUSINESS_ID], ['consent/S21902', HAME_ELY_BUSINESS_ID], ['consent/S21903', STM_BUSINESS_ID]]) {
    await decide(id, { gate, party });
  }

  const children = await eventually(async () => {
    const r = await api.request('GET', path(id, '/children'), { token: auditor });
    const items = r.body.items as Child[] | undefined;
    return items?.length && items.every((c) => c.status === 'completed') ? items : undefined;
  }, 60_000, 'every transfer completed');
  const parties = consolidationInputSchema.parse(body).parties.length;
  expect(children).toHaveLength(parties - 1); // the receiving party transfers nothing
  const child = children[0] as Child;
  expect(child).toMatchObject({ workflowType: 'transferPartyAssets', archived: false });

  // A child is read through its parent's scope: a token of a party sees it, one of an outsider does not.
  const organisations = consolidationOrganisations(consolidationInputSchema.parse(body));
  const outsiderOrg = [SOCOM_BUSINESS_ID, THL].find((o) => !organisations.includes(o)) as string;
  const party = await api.token('auditor', VERSO_BUSINESS_ID);
  const outsider = await api.token('auditor', outsiderOrg);
  const fromTemporal = await api.request('GET', path(child.workflowId, '/history'), { token: party });
  expect(fromTemporal.status).toBe(200);
  expect(fromTemporal.body.events.length).toBeGreaterThan(3);
  expect((await api.request('GET', path(child.workflowId, '/history'), { token: outsider })).status).toBe(404);
  expect((await api.request('GET', path(child.workflowId, '/audit'), { token: party })).status).toBe(200);
  const replayed = await api.request('POST', '/api/audit/replay', { token: party, body: { workflowIds: [child.workflowId] } });
  expect(replayed.body).toEqual({ results: [{ workflowId: child.workflowId, ok: true }] });
  expect((await api.request('POST', '/api/audit/replay', { token: outsider, body: { workflowIds: [child.workflowId] } })).status).toBe(404);

  // The parent ends; every run is archived (children with their parent) and deleted from Temporal.
  expect((await api.request('POST', path(id, '/cancel'), { token: admin, body: { reason: 'archive test over' } })).status).toBe(200);
  await eventually(async () => ((await t.client.workflow.getHandle(id).describe()).status.name !== 'RUNNING' ? true : undefined), 60_000, 'the parent closed');
  const filter = `TaskQueue = "${t.taskQueue}" AND (WorkflowId = "${id}" OR ${children.map((c) => `WorkflowId = "${c.workflowId}"`).join(' OR ')})`;
  await eventually(async () => {
    await archiveClosedRuns({ client: t.client, pool: db.pool, filter });
    const n = await db.pool.query('SELECT count(*)::int AS n FROM history_archive WHERE parent_workflow_id = $1', [id]);
    const parent = await db.pool.query('SELECT 1 FROM history_archive WHERE workflow_id = $1', [id]);
    return n.rows[0].n === children.length && parent.rowCount === 1 ? true : undefined;
  }, 20_000, 'the parent and its children archived');
  await Promise.all([{ workflowId: id, runId: launched.body.runId as string }, ...children].map((r) => deleteRun(r.workflowId, r.runId)));

  const archived = await api.request('GET', path(id, '/children'), { token: party });
  expect(archived.body.items).toEqual(children.map((c) => ({ ...c, archived: true })));
  const runs = await api.request('GET', path(child.workflowId, '/runs'), { token: party });
  expect(runs.body).toMatchObject({ workflowId: child.workflowId, parentWorkflowId: id, runs: [{ runId: child.runId, status: 'completed', inTemporal: false }] });
  const fromArchive = await api.request('GET', path(child.workflowId, '/history'), { token: party });
  expect(fromArchive.body).toEqual(fromTemporal.body);
  expect((await api.request('GET', path(child.workflowId, '/history'), { token: outsider })).status).toBe(404);
  const replay = await api.request('POST', '/api/audit/replay', { token: auditor, body: { workflowIds: [id, ...children.map((c) => c.workflowId)], runs: 'all' } });
  expect(replay.body.results.map((r: { ok: boolean; source: string }) => [r.ok, r.source])).toEqual([id, ...children].map(() => [true, 'archive']));
  const crosscheck = await api.request('GET', path(id, '/crosscheck'), { token: auditor });
  expect(crosscheck.body).toMatchObject({ ok: true, runs: 1 });
}, 120_000);

test('the archive routes are in the OpenAPI document with their parameters and answers', async () => {
  const doc = (await api.request('GET', '/api/docs/json')).body;
  expect(Object.keys(doc.paths['/api/workflows/{id}/runs'])).toEqual(['get']);
  expect(Object.keys(doc.paths['/api/workflows/{id}/children'])).toEqual(['get']);
  expect(doc.paths['/api/workflows/{id}/runs'].get.responses['200'].content['application/json'].schema.required).toEqual(['workflowId', 'parentWorkflowId', 'runs']);
  expect(doc.paths['/api/workflows/{id}/history'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['id', 'runId']);
  expect(doc.paths['/api/audit/replay'].post.requestBody.content['application/json'].schema.properties.runs.enum).toEqual(['latest', 'all']);
});

test("the worker's archiver loop archives a run of its task queue that closed, without being asked", async () => {
  const taskQueue = `archiver-loop-${randomUUID()}`;
  const config = loadConfig({
    DATABASE_URL: db.url, TEMPORAL_ADDRESS: t.address, TEMPORAL_NAMESPACE: t.namespace, TEMPORAL_TASK_QUEUE: taskQueue, ARCHIVE_EVERY_MS: '200',
  });
  // No worker polls this queue: the run is terminated while it waits, which closes it all the same.
  const handle = await t.client.workflow.start('projectLifecycle', {
    taskQueue, workflowId: `archiver-loop-${randomUUID()}`, args: [futureProject(Date.now(), { name: 'Silmukka' })],
  });
  await handle.terminate('closed for the archiver');
  const service = new HistoryArchiverService(config, db.pool, createLogger('archiver-test', 'silent'));
  service.onModuleInit();
  try {
    const row = await eventually(async () => (await db.pool.query(
      'SELECT close_status, events_count FROM history_archive WHERE workflow_id = $1 AND run_id = $2', [handle.workflowId, handle.firstExecutionRunId],
    )).rows[0] as { close_status: string; events_count: number } | undefined, 20_000, 'the loop to archive the run');
    expect(row).toEqual({ close_status: 'terminated', events_count: 3 });
  } finally {
    await service.onApplicationShutdown();
  }
});
