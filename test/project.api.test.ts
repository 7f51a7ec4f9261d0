import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SOKRA_I_KEY, SOKRA_II_KEY, seedDemoProjects } from '../infra/seed/demo-projects';
import { addDays, addMonths, projectBusinessKey, projectInputSchema } from '../libs/domain/project';
import { cli } from './support/cli';
import { eventually } from './support/harness';
import { startStack, type Stack } from './support/stack';
import { DIAK, HAMINA, KOTKA, STM, THL } from './project-fixtures';
import { helsinkiDate, helsinkiDayStartMs } from '../libs/domain/helsinki-time';

// The project endpoints on the real stack: demo Sokra, launches with bad input, the overdue filter.
let stack: Stack;
let admin: string;
let manager: string;

beforeAll(async () => {
  stack = await startStack();
  await seedDemoProjects(stack.db.pool);
  admin = await stack.api.token('admin');
  manager = await stack.api.token('manager');
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const today = () => helsinkiDate(Date.now());

function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const start = addDays(today(), 30);
  return {
    name: `API-hanke ${Math.floor(Math.random() * 1e9)}`, funder: STM, lead: THL, partners: [DIAK],
    plannedStart: start, plannedEnd: addDays(addMonths(start, 24), -1), budgetCents: 500_000_00,
    ownFinancing: { percent: 20, partners: [{ businessId: HAMINA, population: 19_534 }, { businessId: KOTKA, population: 50_500 }] },
    ...overrides,
  };
}

/** The launch body with its dates moved a year past today, written to a temporary file. */
function shiftedCopy(file: Record<string, unknown>): string {
  const start = String(file.plannedStart);
  const years = Number(today().slice(0, 4)) - Number(start.slice(0, 4)) + 1;
  const dir = mkdtempSync(join(tmpdir(), 'fuusio-project-'));
  const path = join(dir, 'project.json');
  writeFileSync(path, JSON.stringify({ ...file, plannedStart: addMonths(start, 12 * years), plannedEnd: addMonths(String(file.plannedEnd), 12 * years) }));
  return path;
}

async function event(workflowId: string, type: string, payload: Record<string, unknown> = {}) {
  return stack.api.request('POST', `/api/workflows/${encodeURIComponent(workflowId)}/events`, {
    token: manager, body: { type, payload, idempotencyKey: `${type}-${Math.random()}` },
  });
}

test('GET /api/projects/S20220 shows Sokra II with its extension, periods, reports and the chain back to Sokra I', async () => {
  const r = await stack.api.request('GET', '/api/projects/S20220', { token: manager });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({
    workflowId: SOKRA_II_KEY, euraCode: 'S20220', startDate: '2017-10-01', plannedEndDate: '2020-09-30', endDate: '2023-08-31',
    leadId: THL, partnerIds: [DIAK], funderId: STM, status: 'archived',
    predecessor: { workflowId: SOKRA_I_KEY, startDate: '2014-10-01', endDate: '2017-09-30' }, continuation: null,
  });
  expect(r.body.chain.map((c: { workflowId: string }) => c.workflowId)).toEqual([SOKRA_I_KEY, SOKRA_II_KEY]);
  const periods = r.body.periods as { start: string; end: string }[];
  expect(periods[0]?.start).toBe('2017-10-01');
  expect(periods[periods.length - 1]?.end).toBe('2023-08-31');
  for (let i = 1; i < periods.length; i++) expect(periods[i]?.start).toBe(addDays(periods[i - 1]?.end ?? '', 1));
  expect(r.body.reports).toHaveLength(periods.length);

  const first = await stack.api.request('GET', `/api/projects/${encodeURIComponent(SOKRA_I_KEY)}`, { token: manager });
  expect(first.body).toMatchObject({ name: expect.stringContaining('Sokra I'), predecessor: null, continuation: { workflowId: SOKRA_II_KEY } });
  expect(first.body.periods).toHaveLength(6);
});

test('a scoped token reads only its own organisation’s projects', async () => {
  const thl = await stack.api.token('manager', THL);
  const other = await stack.api.token('manager', HAMINA);
  expect((await stack.api.request('GET', '/api/projects?code=S20220', { token: thl })).body.items).toHaveLength(2);
  expect((await stack.api.request('GET', '/api/projects?code=S20220', { token: other })).body.items).toHaveLength(0);
  expect((await stack.api.request('GET', '/api/projects/S20220', { token: other })).status).toBe(404);
  expect((await stack.api.request('GET', '/api/projects?code=s2', { token: thl })).status).toBe(400);
});

test.each([
  ['a malformed EURA code', { euraCode: 'S2022' }, 'euraCode'],
  ['an end before the start', { plannedEnd: today() }, 'plannedEnd'],
  ['a budget of zero', { budgetCents: 0 }, 'budgetCents'],
  ['a partner without population when the split needs one', { ownFinancing: { percent: 20, partners: [{ businessId: HAMINA, population: 19_534 }, { businessId: KOTKA }] } }, 'ownFinancing.partners.1.population'],
  ['an implementer missing from the registry', { partners: ['1234567-1'] }, 'partners.0'],
  ['a start in the past', { plannedStart: addDays(today(), -1) }, 'plannedStart'],
  ['an unknown predecessor', { predecessor: 'project:S20220:1999-01-01' }, 'predecessor'],
])('a launch with %s answers 400 naming the field', async (_what, change, path) => {
  const r = await stack.api.request('POST', '/api/workflows/project', { token: admin, body: body(change) });
  expect(r.status).toBe(400);
  expect(r.body.details.map((d: { path: string }) => d.path)).toContain(path);
});

test('the ready launch body starts a project; a continuation links to it; events out of order answer 422', async () => {
  const shipped = join(__dirname, '..', 'infra', 'seed', 'launch', 'project-osallisuuden-polut.json');
  const file = JSON.parse(readFileSync(shipped, 'utf8')) as Record<string, unknown>;
  expect(projectInputSchema.safeParse(file).success).toBe(true);
  // Once the shipped dates have passed, the same body moved to next year (a live start cannot be in the past).
  const path = String(file.plannedStart) > today() ? shipped : shiftedCopy(file);
  const env = { FUUSIO_API_URL: stack.api.baseUrl, FUUSIO_TOKEN: admin };
  const launched = await cli(['launch', 'project', '--file', path, '--json'], env);
  expect(launched.code).toBe(0);
  const key = (JSON.parse(launched.stdout) as { workflowId: string }).workflowId;
  expect(key).toBe(projectBusinessKey(projectInputSchema.parse(file)));
  const again = await cli(['launch', 'project', '--file', path], env);
  expect(again.code).not.toBe(0);
  expect(again.stderr).toContain('already exists');

  await eventually(async () => ((await stack.api.request('GET', `/api/workflows/${encodeURIComponent(key)}`, { token: manager })).body.stage === 'planning' ? true : undefined));
  const early = await event(key, 'funding.decided', { decision: 'approve', euraCode: 'S30001' });
  expect(early.status).toBe(422);
  expect(early.body.error).toBe('event_not_expected');
  expect((await event(key, 'partners.confirmed')).status).toBe(202);

  // The continuation must start the day after its predecessor ends.
  const end = (JSON.parse(readFileSync(path, 'utf8')) as { plannedEnd: string }).plannedEnd;
  const continuation = (start: string) => body({ name: 'Osallisuuden polut II', predecessor: key, plannedStart: start, plannedEnd: addMonths(start, 18) });
  const wrongStart = await stack.api.request('POST', '/api/workflows/project', { token: admin, body: continuation(addDays(end, 2)) });
  expect(wrongStart.status).toBe(400);
  expect(wrongStart.body.details).toEqual([{ path: 'plannedStart', message: `a continuation starts the day after its predecessor ends: ${addDays(end, 1)}` }]);
  const next = await stack.api.request('POST', '/api/workflows/project', { token: admin, body: continuation(addDays(end, 1)) });
  expect(next.status).toBe(201);
  const predecessorEnd = (JSON.parse(readFileSync(path, 'utf8')) as { plannedEnd: string }).plannedEnd;
  const chain = await eventually(async () => {
    const r = await stack.api.request('GET', `/api/projects/${encodeURIComponent(next.body.workflowId)}`, { token: manager });
    return r.status === 200 ? r.body : undefined;
  });
  expect(chain.predecessor).toMatchObject({ workflowId: key, endDate: predecessorEnd });
  expect(['idea', 'planning']).toContain(chain.stage);
});

test('an overdue report is escalated and GET /api/workflows?overdue=true finds the project', async () => {
  // A live launch refuses a past start, so this project is started on the client directly: its first
  // reports are already past due when implementation begins, as after a long-stalled project.
  const start = addDays(today(), -100);
  const input = projectInputSchema.parse(body({ name: 'Myöhästynyt raportti', euraCode: 'S30002', plannedStart: start, plannedEnd: addDays(addMonths(start, 12), -1), reportingPeriodMonths: 1, reportDueDays: 10 }));
  const workflowId = projectBusinessKey(input);
  await stack.temporal.client.workflow.start('projectLifecycle', { taskQueue: stack.temporal.taskQueue, workflowId, args: [input] });
  await eventually(async () => ((await stack.api.request('GET', `/api/workflows/${encodeURIComponent(workflowId)}`, { token: manager })).body.stage === 'planning' ? true : undefined));
  expect((await event(workflowId, 'partners.confirmed')).status).toBe(202);
  expect((await event(workflowId, 'application.submitted')).status).toBe(202);
  expect((await event(workflowId, 'funding.decided', { decision: 'approve', reference: 'STM/1/2026' })).status).toBe(202);

  await eventually(async () => {
    const r = await stack.api.request('GET', `/api/workflows/${encodeURIComponent(workflowId)}`, { token: manager });
    return r.body.steps.some((x: { key: string }) => x.key === 'report.1.escalated') ? true : undefined;
  }, 30_000, 'the escalation');
  const found = await eventually(async () => {
    const r = await stack.api.request('GET', '/api/workflows?overdue=true&kind=project', { token: manager });
    return r.body.items.find((i: { workflowId: string }) => i.workflowId === workflowId);
  }, 30_000, 'the overdue project in the list');
  expect(Date.parse(found.nextDeadline)).toBeLessThan(Date.now());
  // The deadline shown is the due day in Helsinki (its start); it is overdue once that day has ended.
  expect(found.nextDeadline).toBe(new Date(helsinkiDayStartMs(addDays(addDays(addMonths(start, 1), -1), 10))).toISOString());
  const detail = await stack.api.request('GET', `/api/workflows/${encodeURIComponent(workflowId)}`, { token: manager });
  expect(detail.body.steps.map((s: { key: string }) => s.key)).toContain('report.1.escalated');
  const project = await stack.api.request('GET', `/api/projects/${encodeURIComponent(workflowId)}`, { token: manager });
  expect(project.body.periods[0].escalatedOn).toBe(today());

  // A report for a period that does not exist is refused with the field and the reason.
  const missing = await event(workflowId, 'report.submitted', { period: 13 });
  expect(missing.status).toBe(422);
  expect(missing.body.details).toEqual([{ path: 'payload.period', message: 'there is no period 13 (the project has periods 1–12)' }]);
  // A malformed payload is refused by the API's schema before Temporal sees it, naming every wrong field.
  const malformed = await event(workflowId, 'report.submitted', { period: 0, costsCents: -1 });
  expect(malformed.status).toBe(422);
  expect(malformed.body.error).toBe('invalid_event_payload');
  expect(malformed.body.details).toEqual([
    { path: 'payload.period', message: 'must be a period number' }, { path: 'payload.costsCents', message: 'must be zero or more' },
  ]);
  // The late report clears the escalation from what the project waits for.
  expect((await event(workflowId, 'report.submitted', { period: 1, costsCents: 10_000_00 })).status).toBe(202);
  await eventually(async () => {
    const r = await stack.api.request('GET', `/api/workflows/${encodeURIComponent(workflowId)}`, { token: manager });
    const waiting = r.body.waitingFor as string[];
    return waiting.some((w) => w.includes('period 2')) && !waiting.some((w) => w.includes('period 1 ')) ? true : undefined;
  }, 20_000, 'period 1 gone from what the project waits for');
  await stack.api.request('POST', `/api/workflows/${encodeURIComponent(workflowId)}/cancel`, { token: admin, body: { reason: 'test over' } });
});
