import ICAL from 'ical.js';
import { createTrackingActivities } from '../activities/tracking/tracking.activities';
import { VERSO_BUSINESS_ID } from '../infra/seed/demo-consolidation';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { seedDemoPeople } from '../infra/seed/demo-people';
import { ProjectRepository } from '../libs/db/repositories/project.repository';
import { TokenRepository } from '../libs/db/repositories/token.repository';
import { helsinkiDate } from '../libs/domain/calendar';
import type { StageView } from '../libs/domain/progress';
import { cli } from './support/cli';
import { eventually } from './support/harness';
import { associationLaunchBody } from './support/onboarding-fixtures';
import { startStack, type Stack } from './support/stack';

/** A calendar event as an independent parser (ical.js) reads it back. */
type ParsedEvent = { uid: string; start: string; isDate: boolean; end: string; summary: string; url: string; sequence: number; stamp: string };

let stack: Stack;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  await seedDemoPeople(stack.db.pool);
  const repo = new TokenRepository();
  for (const id of ['socom-board-1', 'verso-board-1']) {
    tokens[id] = (await repo.create(stack.db.pool, { name: `test-${id}`, role: 'manager', personId: id })).token;
  }
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** Fetches a feed as a calendar client does: no Authorization header. */
async function fetchFeed(url: string): Promise<{ status: number; type: string | null; text: string }> {
  const path = new URL(url).pathname;
  const res = await fetch(`${stack.api.baseUrl}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

function parse(ics: string): ParsedEvent[] {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid, start: e.startDate.toString(), isDate: e.startDate.isDate, end: e.endDate.toString(), summary: e.summary,
      url: String(v.getFirstPropertyValue('url')), sequence: e.sequence, stamp: String(v.getFirstPropertyValue('dtstamp')),
    };
  });
}

async function createFeed(token: string, body: Record<string, unknown>) {
  const res = await stack.api.request('POST', '/api/calendar-feeds', { token, body });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body as { id: number; url: string; secret: string };
}

const link = (workflowId: string) => expect.stringMatching(new RegExp(`^https?://[^/]+/#/w/${encodeURIComponent(workflowId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

test("a person's feed follows an onboarding's deadlines without a token, updates in place, and stops when revoked", async () => {
  const admin = await stack.api.token('admin');
  const feed = await createFeed(tokens['socom-board-1'] as string, { person: 'socom-board-1', label: 'Aino' });
  expect(feed.url).toMatch(/\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  const stored = await stack.db.pool.query('SELECT secret_hash FROM calendar_feeds WHERE id = $1', [feed.id]);
  expect(stored.rows[0].secret_hash).not.toContain(feed.secret);

  const launched = await stack.api.request('POST', '/api/workflows/onboarding', {
    token: admin, body: associationLaunchBody({ deadlines: { boardDecision: '14 days', subscription: '30 days', payment: '30 days' } }),
  });
  expect(launched.status).toBe(201);
  const id = launched.body.workflowId as string;
  const due = await eventually(async () => {
    const r = await stack.db.pool.query<{ due_at: Date }>(`SELECT due_at FROM approvals WHERE workflow_id = $1 AND status = 'pending'`, [id]);
    return r.rows[0]?.due_at;
  }, 20_000, 'the board decision opened');

  const first = await fetchFeed(feed.url);
  expect(first.status).toBe(200);
  expect(first.type).toMatch(/^text\/calendar/);
  const boardDay = helsinkiDate(due);
  const [decision, ...others] = parse(first.text);
  expect(others).toEqual([]);
  expect(decision).toEqual({
    uid: `${id}/decision/board/${SOCOM_BUSINESS_ID}@fuusio`, start: boardDay, isDate: true, end: dayAfter(boardDay),
    summary: expect.stringMatching(/^Decision due: Board of .* — /), url: link(id), sequence: expect.any(Number), stamp: expect.any(String),
  });

  // The board approves: the decision leaves the calendar and the subscription's deadline takes its place.
  const decided = await stack.api.request('POST', `/api/workflows/${encodeURIComponent(id)}/decisions`, {
    token: admin, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: 'Hallitus 1/2026 § 1' },
  });
  expect(decided.status).toBe(200);
  const planned = await eventually(async () => {
    const r = await stack.db.pool.query<{ planned: string | null }>(
      `SELECT s->>'plannedAt' AS planned FROM process_runs, jsonb_array_elements(stages) s WHERE workflow_id = $1 AND s->>'key' = 'subscription' AND s->>'status' = 'running'`, [id]);
    return r.rows[0]?.planned ?? undefined;
  }, 20_000, 'the subscription stage');
  const later = parse((await fetchFeed(feed.url)).text);
  const subscriptionDay = helsinkiDate(planned);
  expect(later).toEqual([{
    uid: `${id}/stage/subscription@fuusio`, start: subscriptionDay, isDate: true, end: dayAfter(subscriptionDay),
    summary: expect.stringMatching(/^Deadline: .*— /), url: link(id), sequence: expect.any(Number), stamp: expect.any(String),
  }]);
  expect(later[0]?.sequence).toBeGreaterThanOrEqual(decision?.sequence ?? 0);

  // Another person (Verso's board) sees nothing of Socom's onboarding.
  const outsider = await createFeed(tokens['verso-board-1'] as string, { person: 'verso-board-1' });
  expect(parse((await fetchFeed(outsider.url)).text).filter((e) => e.uid.startsWith(id))).toEqual([]);
  // …and cannot revoke or list Aino's feed.
  expect((await stack.api.request('POST', `/api/calendar-feeds/${feed.id}/revoke`, { token: tokens['verso-board-1'] })).status).toBe(404);
  const listed = await stack.api.request('GET', '/api/calendar-feeds', { token: tokens['verso-board-1'] });
  expect(listed.body.items.map((f: { id: number }) => f.id)).toEqual([outsider.id]);

  const revoked = await stack.api.request('POST', `/api/calendar-feeds/${feed.id}/revoke`, { token: tokens['socom-board-1'] });
  expect([revoked.status, revoked.body.revokedBy]).toEqual([200, 'manager:socom-board-1']);
  const gone = await fetchFeed(feed.url);
  expect([gone.status, gone.type, JSON.parse(gone.text).error]).toEqual([404, expect.stringMatching(/^application\/json/), 'not_found']);
  const again = await stack.api.request('POST', `/api/calendar-feeds/${feed.id}/revoke`, { token: admin });
  expect([again.status, again.body.error, again.body.details]).toEqual([422, 'feed_revoked', [{ path: 'id', message: 'already revoked' }]]);
  expect((await fetch(`${stack.api.baseUrl}/api/calendar/${'x'.repeat(43)}.ics`)).status).toBe(404);
  expect((await stack.api.request('POST', '/api/calendar-feeds/99999999999999999999999/revoke', { token: admin })).status).toBe(404);
  await stack.temporal.client.workflow.getHandle(id).terminate('test over');
});

test("an organisation's feed has its projects' report dates and period ends and a consolidation's effective date, on those exact days", async () => {
  const admin = await stack.api.token('admin');
  const track = createTrackingActivities({ pool: stack.db.pool }).track;
  const project = `test-calendar-project-${Date.now()}`;
  const consolidation = `test-calendar-consolidation-${Date.now()}`;
  const run = (workflowId: string, kind: string, stages: StageView[]) => ({
    key: 'stage.enter', action: 'stage.entered', actor: 'system',
    run: {
      workflowId, kind, businessKey: workflowId, title: `Title of ${workflowId}`, status: 'running' as const, stage: 'x', percent: 50,
      organisations: [VERSO_BUSINESS_ID], waitingFor: [], nextDeadline: null, stages, startedAt: '2030-01-05T09:00:00.000Z',
    },
  });
  await track(run(project, 'project', [{ key: 'implementation', title: 'Implementation', status: 'running', startedAt: null, finishedAt: null }]));
  const projects = new ProjectRepository();
  await projects.upsert(stack.db.pool, {
    workflowId: project, euraCode: null, name: 'Kalenteriprojekti', funderId: VERSO_BUSINESS_ID, leadId: VERSO_BUSINESS_ID, partnerIds: [],
    region: null, startDate: '2030-01-01', endDate: '2030-12-31', plannedEndDate: '2030-12-31', budgetCents: 100_000_00, approvedCents: null,
    ownFinancing: null, reportingPeriodMonths: 6, predecessorId: null, status: 'running', decidedOn: null, decisionReference: null,
  });
  await projects.replacePlan(stack.db.pool, project, [
    { no: 1, start: '2030-01-01', end: '2030-06-30', dueOn: '2030-08-31' },
    { no: 2, start: '2030-07-01', end: '2030-12-31', dueOn: '2031-02-28' },
  ]);
  // The effective instant is midnight in Helsinki (22:00 UTC the day before): the event falls on 1 January.
  await track(run(consolidation, 'consolidation', [
    { key: 'effective', title: 'Effective', status: 'running', startedAt: null, finishedAt: null, plannedAt: '2030-12-31T22:00:00.000Z' },
  ]));

  const feed = await createFeed(admin, { organisation: VERSO_BUSINESS_ID });
  const events = parse((await fetchFeed(feed.url)).text).map((e) => [e.uid, e.start, e.summary]);
  expect(events).toEqual([
    [`${project}/period-end/1@fuusio`, '2030-06-30', `Period ends: Period 1 (2030-01-01 – 2030-06-30) — Title of ${project}`],
    [`${project}/report/1@fuusio`, '2030-08-31', `Report due: Report for period 1 (2030-01-01 – 2030-06-30) — Title of ${project}`],
    [`${project}/period-end/2@fuusio`, '2030-12-31', `Period ends: Period 2 (2030-07-01 – 2030-12-31) — Title of ${project}`],
    [`${consolidation}/effective@fuusio`, '2031-01-01', `Effective date: Effective — Title of ${consolidation}`],
    [`${project}/report/2@fuusio`, '2031-02-28', `Report due: Report for period 2 (2030-07-01 – 2030-12-31) — Title of ${project}`],
  ]);
  // Socom's board member is not in Verso's runs.
  const socom = await createFeed(admin, { person: 'socom-board-1' });
  expect(parse((await fetchFeed(socom.url)).text).filter((e) => e.uid.startsWith(project) || e.uid.startsWith(consolidation))).toEqual([]);
});

test('bad requests are refused with the field and the reason, and nothing is written', async () => {
  const admin = await stack.api.token('admin');
  const before = await stack.db.pool.query('SELECT count(*)::int AS n FROM calendar_feeds');
  const cases: [string, Record<string, unknown>, number, string][] = [
    [admin, { person: 'no-such-person' }, 422, 'person'],
    [admin, { organisation: '1234567-1' }, 422, 'organisation'],
    [admin, { organisation: 'Socom' }, 400, 'organisation'],
    [admin, { person: 'socom-board-1', organisation: SOCOM_BUSINESS_ID }, 400, 'organisation'],
    [admin, {}, 400, 'person'],
  ];
  for (const [token, body, status, path] of cases) {
    const res = await stack.api.request('POST', '/api/calendar-feeds', { token, body });
    expect([res.status, res.body.details?.[0]?.path]).toEqual([status, path]);
  }
  // A person may not create a feed of someone else; a scoped admin not of another organisation.
  expect((await stack.api.request('POST', '/api/calendar-feeds', { token: tokens['verso-board-1'], body: { person: 'socom-board-1' } })).status).toBe(403);
  const scoped = await stack.api.token('admin', VERSO_BUSINESS_ID);
  expect((await stack.api.request('POST', '/api/calendar-feeds', { token: scoped, body: { organisation: SOCOM_BUSINESS_ID } })).status).toBe(403);
  const after = await stack.db.pool.query('SELECT count(*)::int AS n FROM calendar_feeds');
  expect(after.rows[0].n).toBe(before.rows[0].n);
});

test('fuusio calendar create, list and revoke', async () => {
  const env = { FUUSIO_API_URL: stack.api.baseUrl, FUUSIO_TOKEN: tokens['verso-board-1'] };
  const created = await cli(['calendar', 'create', '--person', 'verso-board-1', '--label', 'Johanna'], env);
  expect([created.code, created.stderr]).toEqual([0, '']);
  const [, id, url] = /^feed (\d+) of verso-board-1: (\S+)$/m.exec(created.stdout) ?? [];
  expect((await fetchFeed(url as string)).status).toBe(200);
  const listed = await cli(['calendar', 'list'], env);
  expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+verso-board-1\\s+Johanna\\s+.*active\\s*$`, 'm'));
  expect((await cli(['calendar', 'revoke', id as string], env)).stdout).toBe(`feed ${id} revoked\n`);
  expect((await fetchFeed(url as string)).status).toBe(404);
  const refused = await cli(['calendar', 'create', '--person', 'socom-board-1'], env);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('forbidden');
});

test('the OpenAPI document describes the calendar routes, the feed itself without a token', async () => {
  const doc = (await stack.api.request('GET', '/api/docs/json')).body;
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
    '/api/calendar-feeds', '/api/calendar-feeds/{id}/revoke', '/api/calendar/{secret}.ics',
  ]));
  const feed = doc.paths['/api/calendar/{secret}.ics'].get;
  expect(feed.security ?? []).toEqual([]);
  expect(Object.keys(feed.responses['200'].content)).toEqual(['text/calendar']);
  expect(doc.paths['/api/calendar-feeds'].post.requestBody.content['application/json'].schema.properties).toEqual(
    expect.objectContaining({ person: expect.any(Object), organisation: expect.any(Object), label: expect.any(Object) }));
});
