import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { ConsolidationRepository } from '../libs/db/repositories/consolidation.repository';
import { dayBefore } from '../libs/domain/duration';
import { helsinkiDate } from '../libs/domain/helsinki-time';
import {
  ITA_UUSIMAA_MUNICIPALITY_IDS, seedConsolidationDemo, SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, SOSIAALITAITO_MUNICIPALITY_IDS, VERSO_BUSINESS_ID,
} from '../infra/seed/demo-consolidation';
import { DEMO_SOCOM_SHAREHOLDERS, SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { uusimaa2023Record } from '../infra/seed/historical-uusimaa';
import { type TestApi } from './support/api-harness';
import { ensureDashboardBuilt, launchChromium } from './support/browser';
import { cli } from './support/cli';
import { eventually, type TestDatabase } from './support/harness';
import { freshBusinessId } from './support/onboarding-fixtures';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let db: TestDatabase;
let api: TestApi;
let admin: string;
let auditor: string;
let manager: string;
let versoAuditor: string;
let otherAuditor: string;

beforeAll(async () => {
  // The API serves apps/web/dist at `/` only when it exists when the app is created.
  ensureDashboardBuilt();
  stack = await startStack();
  ({ db, api } = stack);
  await seedConsolidationDemo(db.pool);
  [admin, auditor, manager, versoAuditor, otherAuditor] = await Promise.all([
    api.token('admin'), api.token('auditor'), api.token('manager'), api.token('auditor', VERSO_BUSINESS_ID), api.token('auditor', '2229500-6'),
  ]);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const wf = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function until(id: string, pred: (d: any) => boolean, what: string) {
  return eventually(async () => {
    const d = (await api.request('GET', wf(id), { token: admin })).body;
    return pred(d) ? d : undefined;
  }, 30_000, what);
}

/** Rows of every table a refused request could have written to. */
async function written(): Promise<Record<string, number>> {
  const tables = ['audit_events', 'historical_records', 'process_runs', 'service_areas', 'centre_holdings', 'share_register', 'organisations'];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await db.pool.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
  return out;
}

describe("a workflow's state between two times", () => {
  let id: string;
  let applicant: string;
  let beforeDecision: Date;
  let afterDecision: Date;

  beforeAll(async () => {
    applicant = freshBusinessId();
    const r = await api.request('POST', '/api/workflows/onboarding', {
      token: admin,
      body: { company: SOCOM_BUSINESS_ID, applicant: { name: 'Ajassa ry', businessId: applicant, kind: 'association' }, shares: 2, pricePerShareCents: 50_00 },
    });
    expect(r.status).toBe(201);
    id = r.body.workflowId;
    await until(id, (d) => d.stage === 'board', 'board');
    beforeDecision = new Date();
    await new Promise((r) => setTimeout(r, 20));
    const decided = await api.request('POST', `${wf(id)}/decisions`, {
      token: admin, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: '§ 7/2025' },
    });
    expect(decided.status).toBe(200);
    await until(id, (d) => d.stage === 'subscription', 'subscription');
    afterDecision = new Date();
  });

  test('names the decision, the stage it moved the run to, and the audit event behind each change', async () => {
    const r = await api.request('GET', `${wf(id)}/state/diff?${q({ from: beforeDecision.toISOString(), to: afterDecision.toISOString() })}`, { token: auditor });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ workflowId: id, startedBy: true });
    expect(r.body.toSeq).toBeGreaterThan(r.body.fromSeq);
    const approval = r.body.changes.find((c: any) => c.section === 'approvals' && c.key === `board/${SOCOM_BUSINESS_ID}`);
    expect(approval.op).toBe('changed');
    expect(approval.fields).toContainEqual({ field: 'status', before: 'pending', after: 'approved' });
    expect(approval.decision).toMatchObject({ gate: 'board', party: SOCOM_BUSINESS_ID, status: 'approved', reference: '§ 7/2025' });
    expect(approval.cause.seq).toBeGreaterThan(r.body.fromSeq);
    const run = r.body.changes.find((c: any) => c.section === 'run');
    expect(run.fields).toContainEqual({ field: 'stage', before: 'board', after: 'subscription' });
    expect(run.cause).toMatchObject({ seq: expect.any(Number), action: expect.any(String) });
    // The trail says which event did it: that event is in the workflow's audit trail.
    const trail = await db.pool.query('SELECT action FROM audit_events WHERE workflow_id = $1 AND seq = $2', [id, approval.cause.seq]);
    expect(trail.rows[0].action).toBe(approval.cause.action);
  });

  test('is empty between a time and itself, and the same as the two states compared', async () => {
    const at = afterDecision.toISOString();
    const same = await api.request('GET', `${wf(id)}/state/diff?${q({ from: at, to: at })}`, { token: auditor });
    expect(same.status).toBe(200);
    expect(same.body.changes).toEqual([]);
  });

  test('a share register row the workflow wrote shows in the registry diff with the workflow and its board decision', async () => {
    await api.request('POST', `${wf(id)}/events`, { token: admin, body: { type: 'subscription.signed', payload: {}, idempotencyKey: `${id}:s` } });
    await until(id, (d) => d.stage === 'payment' && d.status === 'running', 'payment');
    await api.request('POST', `${wf(id)}/events`, { token: admin, body: { type: 'payment.received', payload: { amountCents: 100_00, currency: 'EUR' }, idempotencyKey: `${id}:p` } });
    await until(id, (d) => d.status === 'completed', 'completed');
    const state = await api.request('GET', `${wf(id)}/state`, { token: auditor });
    const acquiredOn: string = state.body.registry[0].acquiredOn;
    const r = await api.request('GET', `/api/registry/diff?${q({ from: dayBefore(acquiredOn), to: acquiredOn, organisation: applicant })}`, { token: auditor });
    expect(r.status).toBe(200);
    const added = r.body.changes.filter((c: any) => c.section === 'shareRegister');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      op: 'added', on: acquiredOn, workflowId: id,
      after: { companyId: SOCOM_BUSINESS_ID, holderId: applicant, sourceWorkflowId: id },
      workflow: { workflowId: id, kind: 'onboarding', imported: false },
      decision: { gate: 'board', party: SOCOM_BUSINESS_ID, reference: '§ 7/2025' },
    });
    // The day before the row, nothing had changed for the applicant.
    const earlier = await api.request('GET', `/api/registry/diff?${q({ from: dayBefore(dayBefore(acquiredOn)), to: dayBefore(acquiredOn), organisation: applicant })}`, { token: auditor });
    expect(earlier.body.changes).toEqual([]);
  });

  test('refusals: no token 401, a role that may not 403, out of scope 404, bad or backward times 400 naming the field; nothing written', async () => {
    const before = await written();
    const path = (params: Record<string, string>) => `${wf(id)}/state/diff?${q(params)}`;
    const ok = { from: '2024-01-01', to: afterDecision.toISOString() };
    expect((await api.request('GET', path(ok))).status).toBe(401);
    expect((await api.request('GET', path(ok), { token: manager })).status).toBe(403);
    expect((await api.request('GET', path(ok), { token: otherAuditor })).status).toBe(404);
    expect((await api.request('GET', `${wf('onboarding:no-such')}/state/diff?${q(ok)}`, { token: auditor })).status).toBe(404);
    const backwards = await api.request('GET', path({ from: afterDecision.toISOString(), to: beforeDecision.toISOString() }), { token: auditor });
    expect(backwards.status).toBe(400);
    expect(backwards.body.details).toContainEqual({ path: 'from', message: 'must not be after to' });
    const malformed = await api.request('GET', path({ from: '2024-01-01', to: 'yesterday' }), { token: auditor });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details.map((d: any) => d.path)).toEqual(['to']);
    const missing = await api.request('GET', `${wf(id)}/state/diff`, { token: auditor });
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((d: any) => d.path)).toContain('from');
    const registryBad = await api.request('GET', `/api/registry/diff?${q({ from: '2023-02-30', to: '2023-01-01' })}`, { token: auditor });
    expect(registryBad.status).toBe(400);
    expect(registryBad.body.details.map((d: any) => d.path)).toEqual(['from']);
    const registryBackwards = await api.request('GET', `/api/registry/diff?${q({ from: '2023-01-02', to: '2023-01-01' })}`, { token: auditor });
    expect(registryBackwards.status).toBe(400);
    expect(registryBackwards.body.details).toContainEqual({ path: 'from', message: 'must not be after to' });
    expect((await api.request('GET', `/api/registry/diff?${q({ from: '2023-01-01', to: '2023-01-02' })}`)).status).toBe(401);
    // The ends of the range of dates answer (the last day has no next day to end at).
    const widest = await api.request('GET', path({ from: '1900-01-01', to: '9999-12-31' }), { token: auditor });
    expect(widest.status).toBe(200);
    expect(widest.body).toMatchObject({ startedBy: false, to: '9999-12-31T23:59:59.999Z' });
    expect((await api.request('GET', `/api/registry/diff?${q({ from: '1900-01-01', to: '9999-12-31' })}`, { token: auditor })).status).toBe(200);
    // A scoped token asks only about its own organisation.
    const otherOrg = await api.request('GET', `/api/registry/diff?${q({ from: '2022-12-31', to: '2023-01-02', organisation: SOCCA_BUSINESS_ID })}`, { token: versoAuditor });
    expect(otherOrg.status).toBe(404);
    expect(await written()).toEqual(before);
  });
});

describe('a historical record: the Uusimaa consolidation of 2023, imported', () => {
  const body = uusimaa2023Record();
  const id = 'imported:consolidation:uusimaa-2023';

  test('refused while invalid, unknown or not matching the registry, writing nothing', async () => {
    const thlAdmin = await api.token('admin', '2229500-6');
    const before = await written();
    const post = (token: string | undefined, b: unknown) => api.request('POST', '/api/historical-records', { token, body: b });
    expect((await post(undefined, body)).status).toBe(401);
    expect((await post(auditor, body)).status).toBe(403);
    const otherAdmin = await post(thlAdmin, body);
    expect(otherAdmin.status).toBe(403);
    expect(otherAdmin.body.details.map((d: any) => d.path)).toEqual(['organisations']);
    const badDate = await post(admin, { ...body, effectiveDate: '2023-13-01' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.details.map((d: any) => d.path)).toContain('effectiveDate');
    const lateDecision = await post(admin, { ...body, decisions: [{ ...body.decisions[0], decidedOn: '2023-01-02' }] });
    expect(lateDecision.status).toBe(400);
    expect(lateDecision.body.details.map((d: any) => d.path)).toEqual(['decisions.0.decidedOn']);
    const future = await post(admin, { ...body, effectiveDate: '9998-01-01' });
    expect(future.status).toBe(400);
    expect(future.body.details.map((d: any) => d.path)).toEqual(['effectiveDate']);
    const badChange = await post(admin, { ...body, changes: [{ type: 'serviceArea.moved', municipality: ITA_UUSIMAA_MUNICIPALITY_IDS[0], fromCentre: SOCCA_BUSINESS_ID, toCentre: VERSO_BUSINESS_ID }] });
    expect(badChange.status).toBe(422);
    expect(badChange.body.details.map((d: any) => d.path)).toEqual(['changes.0.fromCentre']);
    const unknownType = await post(admin, { ...body, changes: [{ type: 'organisation.renamed', businessId: SOCCA_BUSINESS_ID }] });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.details.map((d: any) => d.path)).toEqual(['changes.0.type']);
    // A later change in the list that does not match rolls back the ones before it.
    const laterMismatch = await post(admin, { ...body, changes: [...body.changes, { type: 'holding.moved', kind: 'staff', ref: 'VERSO-S-101', fromOrganisation: SOCCA_BUSINESS_ID, toOrganisation: VERSO_BUSINESS_ID }] });
    expect(laterMismatch.status).toBe(422);
    expect(laterMismatch.body.details.map((d: any) => d.path)).toEqual([`changes.${body.changes.length}.fromOrganisation`]);
    expect(await written()).toEqual(before);
  });

  test('is recorded as imported, with an audit entry for the import', async () => {
    const r = await api.request('POST', '/api/historical-records', { token: admin, body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ workflowId: id, imported: true, effectiveDate: '2023-01-01', source: body.source });
    const again = await api.request('POST', '/api/historical-records', { token: admin, body });
    expect(again.status).toBe(409);
    expect(again.body.details.map((d: any) => d.path)).toEqual(['businessKey']);

    const detail = await api.request('GET', wf(id), { token: admin });
    expect(detail.body).toMatchObject({ status: 'completed', imported: true, kind: 'consolidation' });
    const list = await api.request('GET', '/api/workflows?kind=consolidation', { token: admin });
    expect(list.body.items.find((i: any) => i.workflowId === id)).toMatchObject({ imported: true });
    const records = await api.request('GET', '/api/historical-records', { token: auditor });
    expect(records.body.items.map((i: any) => [i.workflowId, i.imported])).toEqual([[id, true]]);
    expect((await api.request('GET', `/api/historical-records/${r.body.id}`, { token: versoAuditor })).body).toMatchObject({ id: r.body.id, imported: true });
    expect((await api.request('GET', `/api/historical-records/${r.body.id}`, { token: otherAuditor })).status).toBe(404);

    const trail = await db.pool.query('SELECT action, occurred_at, payload FROM audit_events WHERE workflow_id = $1 ORDER BY seq', [id]);
    expect(trail.rows.map((e) => e.action)).toEqual([
      'historical.decision-recorded', 'historical.decision-recorded', 'historical.decision-recorded', 'historical.decision-recorded',
      'historical.effective', 'historical.imported',
    ]);
    expect(trail.rows.every((e) => e.payload.imported === true || e.payload.details?.imported === true)).toBe(true);
    // The decisions are dated on their real days (Helsinki).
    expect(trail.rows[3].occurred_at.toISOString()).toBe('2022-12-14T10:00:00.000Z');
    expect(trail.rows[4].occurred_at.toISOString()).toBe('2022-12-31T22:00:00.000Z');
  });

  test('state?at= answers for 2022-12-31 (decided, not yet in effect) and 2023-01-02 (in effect)', async () => {
    const before = await api.request('GET', `${wf(id)}/state?at=2022-12-31`, { token: auditor });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ status: 'running', imported: true, changesInEffect: [] });
    expect(before.body.approvals.map((a: any) => [a.body, a.status])).toEqual([
      ['Verso board', 'approved'], ['Joint municipal authority board', 'approved'], ['Joint municipal authority council', 'approved'], ['HUS board', 'approved'],
    ]);
    const after = await api.request('GET', `${wf(id)}/state?at=2023-01-02`, { token: auditor });
    expect(after.body).toMatchObject({ status: 'completed', percent: 100, imported: true });
    expect(after.body.changesInEffect).toHaveLength(ITA_UUSIMAA_MUNICIPALITY_IDS.length + SOSIAALITAITO_MUNICIPALITY_IDS.length);
    // Between two decisions, the chain was waiting for the next body.
    const mid = await api.request('GET', `${wf(id)}/state?at=2022-11-10`, { token: auditor });
    expect(mid.body.waitingFor).toEqual(['Joint municipal authority council']);
    expect((await api.request('GET', `${wf(id)}/state?at=2022-10-13`, { token: auditor })).status).toBe(404);

    const diff = await api.request('GET', `${wf(id)}/state/diff?${q({ from: '2022-12-31', to: '2023-01-02' })}`, { token: auditor });
    expect(diff.status).toBe(200);
    expect(diff.body.imported).toBe(true);
    const run = diff.body.changes.find((c: any) => c.section === 'run');
    expect(run.fields).toContainEqual({ field: 'status', before: 'running', after: 'completed' });
    expect(run.cause.action).toBe('historical.effective');
    expect(diff.body.changes.filter((c: any) => c.section === 'changesInEffect' && c.op === 'added')).toHaveLength(7 + 15);
  });

  test('the registry as of each day, and its diff across the effective date, name the record and the HUS board decision', async () => {
    const areas = new ConsolidationRepository();
    const porvoo = ITA_UUSIMAA_MUNICIPALITY_IDS[4]!;
    expect(await areas.served(db.pool, VERSO_BUSINESS_ID, '2022-12-31')).toContain(porvoo);
    expect(await areas.served(db.pool, VERSO_BUSINESS_ID, '2023-01-01')).not.toContain(porvoo);
    expect(await areas.served(db.pool, SOCCA_BUSINESS_ID, '2023-01-01')).toContain(porvoo);

    const r = await api.request('GET', `/api/registry/diff?${q({ from: '2022-12-31', to: '2023-01-02' })}`, { token: auditor });
    expect(r.status).toBe(200);
    const areaChanges = r.body.changes.filter((c: any) => c.section === 'serviceAreas');
    // Socca's area became all of Uusimaa: Verso's seven Itä-Uusimaa municipalities and Sosiaalitaito's fifteen.
    expect(areaChanges).toHaveLength(44);
    const ended = areaChanges.filter((c: any) => c.op === 'removed').map((c: any) => c.before.centreId);
    expect(ended.filter((c: string) => c === VERSO_BUSINESS_ID)).toHaveLength(7);
    expect(ended.filter((c: string) => c === SOSIAALITAITO_BUSINESS_ID)).toHaveLength(15);
    expect(areaChanges.filter((c: any) => c.op === 'added').map((c: any) => c.after.centreId)).toEqual(Array(22).fill(SOCCA_BUSINESS_ID));
    for (const c of areaChanges) {
      expect(c).toMatchObject({
        on: '2023-01-01', workflowId: id,
        workflow: { workflowId: id, imported: true, kind: 'consolidation' },
        decision: { body: 'HUS board', decidedAt: '2022-12-14T10:00:00.000Z' },
      });
    }
    // Nothing changed in the days before the effective date.
    const quiet = await api.request('GET', `/api/registry/diff?${q({ from: '2022-12-01', to: '2022-12-31' })}`, { token: auditor });
    expect(quiet.body.changes).toEqual([]);
    // Verso's scoped token sees the changes naming Verso (the seven it ended), not Socca's alone.
    const scoped = await api.request('GET', `/api/registry/diff?${q({ from: '2022-12-31', to: '2023-01-02' })}`, { token: versoAuditor });
    expect(scoped.body.organisation).toBe(VERSO_BUSINESS_ID);
    expect(scoped.body.changes.map((c: any) => c.op)).toEqual(Array(7).fill('removed'));
  });
});

describe('a historical record of a share transfer, a staff move and a merger (illustrative test data)', () => {
  // Two third-sector shareholders of Socom: the first merges into the second on 2021-06-01 and hands
  // over its shares; a Verso staff reference moves to Socca the same day. Not real facts: test data.
  const from = DEMO_SOCOM_SHAREHOLDERS[DEMO_SOCOM_SHAREHOLDERS.length - 2]!.holderBusinessId;
  const into = DEMO_SOCOM_SHAREHOLDERS[DEMO_SOCOM_SHAREHOLDERS.length - 1]!.holderBusinessId;
  const id = 'imported:shareholding-merger:test-2021';

  test('the registry diff across the effective date shows the shares changing hands, the staff move and the merger, each by the record', async () => {
    const r = await api.request('POST', '/api/historical-records', {
      token: admin,
      body: {
        kind: 'shareholding-merger', businessKey: 'shareholding-merger:test-2021', title: 'Test merger 2021', effectiveDate: '2021-06-01',
        organisations: [SOCOM_BUSINESS_ID, from, into, VERSO_BUSINESS_ID],
        decisions: [{ body: 'Socom board', party: SOCOM_BUSINESS_ID, decidedOn: '2021-05-10', reference: '§ 4/2021' }],
        changes: [
          { type: 'shares.transferred', company: SOCOM_BUSINESS_ID, fromHolder: from, toHolder: into },
          { type: 'holding.moved', kind: 'staff', ref: 'VERSO-S-201', fromOrganisation: VERSO_BUSINESS_ID, toOrganisation: SOCCA_BUSINESS_ID },
          { type: 'organisation.ended', businessId: from, mergedInto: into },
        ],
        source: 'test data (illustrative)',
      },
    });
    expect(r.status).toBe(201);
    const diff = await api.request('GET', `/api/registry/diff?${q({ from: '2021-05-31', to: '2021-06-01' })}`, { token: auditor });
    expect(diff.status).toBe(200);
    // The same share numbers under a new holder: one changed row, as the holding that moved.
    expect(diff.body.changes.map((c: any) => [c.section, c.op, c.on, c.workflowId, c.decision?.reference])).toEqual([
      ['holdings', 'changed', '2021-06-01', id, '§ 4/2021'],
      ['organisations', 'removed', '2021-06-01', id, '§ 4/2021'],
      ['shareRegister', 'changed', '2021-06-01', id, '§ 4/2021'],
    ]);
    expect(diff.body.changes[0].fields).toContainEqual({ field: 'organisationId', before: VERSO_BUSINESS_ID, after: SOCCA_BUSINESS_ID });
    expect(diff.body.changes[1].before).toMatchObject({ businessId: from, validTo: '2021-05-31', mergedInto: into });
    expect(diff.body.changes[2].fields).toContainEqual({ field: 'holderId', before: from, after: into });
    // The shareholders' list answers as of each day.
    const before = await api.request('GET', `/api/companies/${SOCOM_BUSINESS_ID}/shareholders?at=2021-05-31`, { token: auditor });
    const after = await api.request('GET', `/api/companies/${SOCOM_BUSINESS_ID}/shareholders?at=2021-06-01`, { token: auditor });
    expect(before.body.holders.map((h: any) => h.businessId)).toContain(from);
    expect(after.body.holders.map((h: any) => h.businessId)).not.toContain(from);
    expect(after.body.totals.sharesHeld).toBe(before.body.totals.sharesHeld);
  });
});

describe('the CLI: fuusio state diff and fuusio registry diff', () => {
  const id = 'imported:consolidation:uusimaa-2023';
  const env = () => ({ FUUSIO_API_URL: api.baseUrl, FUUSIO_TOKEN: auditor });

  test('state diff prints a table of the changes with the event and decision, and the same answer as --json', async () => {
    const human = await cli(['state', 'diff', id, '--from', '2022-12-31', '--to', '2023-01-02'], env());
    expect(human.stderr).toBe('');
    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines[0]).toMatch(/^imported:consolidation:uusimaa-2023 \(imported\): .* change\(s\)$/);
    expect(lines[2]).toMatch(/^SECTION\s+KEY\s+CHANGE\s+WHAT\s+EVENT\s+DECISION$/);
    expect(lines.find((l) => l.startsWith('run '))).toMatch(/status: running → completed.*historical\.effective/);
    const json = await cli(['--json', 'state', 'diff', id, '--from', '2022-12-31', '--to', '2023-01-02'], env());
    const direct = await api.request('GET', `${wf(id)}/state/diff?${q({ from: '2022-12-31', to: '2023-01-02' })}`, { token: auditor });
    expect(JSON.parse(json.stdout)).toEqual(direct.body);
  });

  test('the imported record is marked in the workflow list and detail', async () => {
    const list = await cli(['list', '--kind', 'consolidation'], { ...env(), FUUSIO_TOKEN: admin });
    expect(list.stdout.split('\n').find((l) => l.startsWith(id))).toMatch(/consolidation \(imported\)\s+completed/);
    const show = await cli(['show', id], { ...env(), FUUSIO_TOKEN: admin });
    expect(show.stdout).toMatch(/kind:\s+consolidation \(imported\)/);
  });

  test('registry diff prints each change with its day, workflow and decision', async () => {
    const human = await cli(['registry', 'diff', '--from', '2022-12-31', '--to', '2023-01-02', '--organisation', VERSO_BUSINESS_ID], env());
    expect(human.code).toBe(0);
    const rows = human.stdout.split('\n').filter((l) => l.startsWith('serviceAreas'));
    expect(rows).toHaveLength(7);
    for (const row of rows) expect(row).toMatch(/removed\s+2023-01-01\s+.*imported:consolidation:uusimaa-2023 \(imported\)\s+HUS board, 2022-12-14 10:00Z$/);
    const json = await cli(['--json', 'registry', 'diff', '--from', '2022-12-31', '--to', '2023-01-02'], env());
    // The wellbeing services counties began that day too (organisations the seed dates, no workflow made them).
    const changes = JSON.parse(json.stdout).changes;
    expect(changes.filter((c: any) => c.section === 'serviceAreas')).toHaveLength(44);
    expect(changes.filter((c: any) => c.section === 'organisations' && c.op === 'added').every((c: any) => c.on === '2023-01-01' && c.workflow === null)).toBe(true);
    const none = await cli(['registry', 'diff', '--from', '2022-12-01', '--to', '2022-12-02'], env());
    expect(none.stdout).toContain('no changes');
  });

  test('a bad date is a usage error naming the option; a refusal from the API exits 1', async () => {
    const bad = await cli(['registry', 'diff', '--from', 'yesterday', '--to', '2023-01-02'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from/);
    const backwards = await cli(['state', 'diff', id, '--from', '2023-01-02', '--to', '2022-12-31'], env());
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toMatch(/from/);
  });
});

describe('the dashboard: registry changes between two dates', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('an auditor compares 2022-12-31 with 2023-01-02 and sees each moved service area with the imported record and the HUS board decision', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await page.goto(api.baseUrl);
    await page.getByLabel('API token').fill(auditor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'Registry changes' }).click();
    await page.getByRole('heading', { name: 'Registry changes between two dates' }).waitFor();
    await page.getByLabel('From', { exact: true }).fill('2022-12-31');
    await page.getByLabel('To', { exact: true }).fill('2023-01-02');
    await page.getByLabel('Organisation (business ID)').fill(VERSO_BUSINESS_ID);
    await page.getByRole('button', { name: 'Show changes' }).click();
    await page.getByTestId('diff-summary').filter({ hasText: '7 changes' }).waitFor();
    const rows = page.locator('[data-testid="registry-diff"] tbody tr[data-section="serviceAreas"]');
    expect(await rows.count()).toBe(7);
    const first = await rows.first().textContent();
    expect(first).toContain('Service area');
    expect(first).toContain('ended');
    expect(first).toContain('Uusimaa centres of expertise');
    expect(first).toContain('imported');
    expect(first).toContain('HUS board');
    // WCAG 2.1 A and AA, as every dashboard page (test/accessibility.e2e.test.ts).
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).options({ resultTypes: ['violations'] }).setLegacyMode(true).analyze();
    expect(axe.violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')}`))).toEqual([]);
    // A backwards range is refused by the API and said so on the page.
    await page.getByLabel('From', { exact: true }).fill('2023-01-03');
    await page.getByRole('button', { name: 'Show changes' }).click();
    await page.getByRole('alert').waitFor();
    expect(problems.filter((p) => !/400/.test(p))).toEqual([]);
    await page.close();
  });
});

describe("the dashboard: a workflow's state changes between two dates", () => {
  const id = 'imported:consolidation:uusimaa-2023';
  const locales = { fi: 'fi-FI', sv: 'sv-FI' } as const;
  const expected = {
    fi: { title: 'Tilan muutokset kahden päivän välillä', from: 'Alkaen', to: 'Päättyen', show: 'Näytä tilan muutokset', approval: 'Hyväksyntä', changed: 'muuttunut' },
    sv: { title: 'Tillståndsändringar mellan två datum', from: 'Från', to: 'Till', show: 'Visa tillståndsändringar', approval: 'Godkännande', changed: 'ändrad' },
  } as const;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function openDetail(token: string, locale: string) {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    // Failed requests are caught as responses (the console only says "Failed to load resource").
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text()); });
    // An imported record has no live consolidation view: the consolidation panel's 404 is not this panel's.
    page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/consolidation')) problems.push(`${r.status()} ${new URL(r.url()).pathname}`); });
    await page.goto(api.baseUrl);
    await page.locator('#token').fill(token);
    await page.locator('form button[type="submit"]').click();
    await page.locator('.live').waitFor();
    await page.goto(`${api.baseUrl}/#/w/${encodeURIComponent(id)}`);
    await page.getByTestId('stage').waitFor();
    return { page, problems, close: () => context.close() };
  }

  test.each(['fi', 'sv'] as const)('%s: an auditor picks the days around the HUS board decision and sees its approval turn approved, with the audit event and the decision', async (lang) => {
    const say = expected[lang];
    const { page, problems, close } = await openDetail(auditor, locales[lang]);
    const panel = page.getByTestId('state-diff-panel');
    await panel.getByRole('heading', { name: say.title }).waitFor();
    // From defaults to the Helsinki day before the run started (a bare date is the end of its day), so every change shows.
    const started = (await api.request('GET', wf(id), { token: auditor })).body.startedAt;
    expect(await panel.getByLabel(say.from, { exact: true }).inputValue()).toBe(dayBefore(helsinkiDate(Date.parse(started))));
    await panel.getByLabel(say.from, { exact: true }).fill('2022-12-13');
    await panel.getByLabel(say.to, { exact: true }).fill('2022-12-15');
    await panel.getByRole('button', { name: say.show }).click();
    const table = panel.getByRole('table', { name: /.+/ });
    await table.waitFor();
    const trail = await db.pool.query(
      "SELECT seq FROM audit_events WHERE workflow_id = $1 AND action = 'historical.decision-recorded' AND occurred_at = '2022-12-14T10:00:00Z'", [id],
    );
    const cause = `#${trail.rows[0].seq} historical.decision-recorded`;
    // The HUS board's decision moved the run on: the changed fields with their before and after, put down to that decision.
    const run = table.locator('tbody tr[data-section="run"][data-op="changed"]');
    expect(await run.count()).toBe(1);
    const cells = await run.locator('th, td').allTextContents();
    expect(cells[1]).toBe(say.changed);
    expect(cells[2]).toContain('stage: decisions → effective');
    expect(cells[2]).toContain('waitingFor: ["HUS board"] → ["effective date 2023-01-01"]');
    expect(cells[3]).toContain(cause);
    expect(cells[4]).toMatch(/^HUS board, .*2022$/);
    // The HUS board's approval itself, by the same event and decision.
    const approval = await table.locator('tbody tr[data-section="approvals"]').allTextContents();
    expect(approval).toHaveLength(1);
    expect(approval[0]).toContain(say.approval);
    expect(approval[0]).toContain(cause);
    expect(approval[0]).toMatch(/HUS board, .*2022$/);
    // The caption names the table for screen readers; every column has its header.
    expect(await table.locator('caption').textContent()).toBeTruthy();
    expect(await table.locator('thead th[scope="col"]').count()).toBe(5);
    // WCAG 2.1 A and AA on the detail page with the panel open.
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).options({ resultTypes: ['violations'] }).setLegacyMode(true).analyze();
    expect(axe.violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')}`))).toEqual([]);
    // A backwards range is refused by the API and said so in the panel, in the reader's language.
    await panel.getByLabel(say.from, { exact: true }).fill('2022-12-16');
    await panel.getByRole('button', { name: say.show }).click();
    await panel.getByRole('alert').waitFor();
    expect(problems).toEqual([`400 ${wf(id).replaceAll(':', '%3A')}/state/diff`]);
    await close();
  });

  test('a manager (whom the diff route refuses) sees the workflow but not the panel', async () => {
    expect((await api.request('GET', `${wf(id)}/state/diff?${q({ from: '2022-12-13', to: '2022-12-15' })}`, { token: manager })).status).toBe(403);
    const { page, close } = await openDetail(manager, 'en-GB');
    await page.getByRole('heading', { level: 2, name: 'Steps' }).waitFor();
    expect(await page.getByTestId('state-diff-panel').count()).toBe(0);
    await close();
  });
});
