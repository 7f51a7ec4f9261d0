import { gzipSync } from 'node:zlib';
import {
  HUS_BUSINESS_ID, SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, VERSO_BUSINESS_ID, effectiveDateAfter, seedConsolidationDemo, uusimaaLaunchBody,
} from '../infra/seed/demo-consolidation';
import { KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, THL_BUSINESS_ID } from '../infra/seed/demo-data';
import { ConsolidationRepository } from '../libs/db/repositories/consolidation.repository';
import { consolidationOrganisations, consolidationInputSchema } from '../libs/domain/consolidation';
import type { ApiResponse, TestApi } from './support/api-harness';
import { eventually, type TestDatabase } from './support/harness';
import { startStack, type Stack } from './support/stack';

// Item lists through the API: uploads validated line by line (every bad line named, nothing stored), a
// launch that names them, the run's items paged from PostgreSQL, and a cancel that restores the registry.
let stack: Stack;
let db: TestDatabase;
let api: TestApi;
let admin: string;
const repo = new ConsolidationRepository();
const enc = encodeURIComponent;

beforeAll(async () => {
  stack = await startStack();
  ({ db, api } = stack);
  await seedConsolidationDemo(db.pool);
  admin = await api.token('admin');
});

afterAll(async () => {
  await stack?.stop();
});

async function stored(): Promise<{ lists: number; rows: number }> {
  const r = await db.pool.query(`SELECT (SELECT count(*) FROM consolidation_item_lists)::int AS lists, (SELECT count(*) FROM consolidation_item_list_rows)::int AS rows`);
  return r.rows[0];
}

async function upload(type: string, text: string | Buffer, token = admin, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const r = await fetch(`${api.baseUrl}/api/consolidations/item-lists`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type, ...headers }, body: text,
  });
  return { status: r.status, body: await r.json() };
}

describe('uploading an item list', () => {
  it('names every bad line with its field and reason, and stores nothing', async () => {
    const before = await stored();
    const csv = [
      'kind,ref,counterparty',
      'staff,STAITO-U-001,',
      'staff,Matti Meikäläinen,',
      'agreement,SOP-2024-01,',
      '',
      'staff,STAITO-U-001,',
      'robot,R-1,',
      'staff,"STAITO-U-002",',
      'staff,STAITO-U-003',
    ].join('\n');
    const r = await upload('text/csv', csv);
    expect([r.status, r.body.error]).toEqual([400, 'invalid_input']);
    expect(r.body.details).toEqual([
      { path: 'line 3: ref', message: expect.stringContaining('never a name') },
      { path: 'line 4: counterparty', message: expect.any(String) },
      { path: 'line 6: ref', message: 'staff STAITO-U-001 is already on line 2' },
      { path: 'line 7: kind', message: expect.any(String) },
      { path: 'line 8: (line)', message: expect.stringContaining('quoted') },
      { path: 'line 9: (line)', message: 'must have 3 fields (kind,ref,counterparty), not 2' },
    ]);
    expect(r.body.message).toContain('6 problem(s)');
    const jsonl = ['{"kind":"staff","ref":"STAITO-U-001"}', 'not json', '{"kind":"staff","ref":"STAITO-U-002","name":"Matti"}'].join('\n');
    const j = await upload('application/x-ndjson', jsonl);
    expect(j.body.details.map((d: { path: string }) => d.path)).toEqual(['line 2: (line)', 'line 3: (line)']);
    const header = await upload('text/csv', 'ref,kind\nstaff,STAITO-U-001,');
    expect(header.body.details).toEqual([{ path: 'line 1: (header)', message: 'must be "kind,ref,counterparty"' }]);
    const type = await upload('application/json', '[]');
    expect([type.status, type.body.details[0].path]).toEqual([415, '(header) content-type']);
    expect((await upload('text/csv', 'kind,ref,counterparty\n')).body.details).toEqual([{ path: 'line 1: (list)', message: 'has no rows' }]);
    expect(await stored()).toEqual(before);
  });

  it('stores a valid list (plain or gzipped) and answers its id and counts; a manager may not upload', async () => {
    const csv = 'kind,ref,counterparty\r\nstaff,STAITO-U-101,\r\nagreement,STAITO-SOP-2024-01,2229500-6\r\n';
    const r = await upload('text/csv', gzipSync(csv), admin, { 'content-encoding': 'gzip' });
    expect([r.status, r.body.staff, r.body.agreements, r.body.lines]).toEqual([201, 1, 1, 3]);
    const rows = await db.pool.query('SELECT line, kind, ref, counterparty_id FROM consolidation_item_list_rows WHERE list_id = $1 ORDER BY line', [r.body.id]);
    expect(rows.rows).toEqual([
      { line: 2, kind: 'staff', ref: 'STAITO-U-101', counterparty_id: null },
      { line: 3, kind: 'agreement', ref: 'STAITO-SOP-2024-01', counterparty_id: THL_BUSINESS_ID },
    ]);
    expect((await upload('text/csv', csv, await api.token('manager'))).status).toBe(403);
  });
});

describe('a consolidation launched with item lists', () => {
  const staff = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`);
  const STAITO = staff('STAITO-L', 1_200);
  const VERSO = staff('VERSO-L', 300);

  beforeAll(async () => {
    for (const [party, refs] of [[SOSIAALITAITO_BUSINESS_ID, STAITO], [VERSO_BUSINESS_ID, VERSO]] as const) {
      await db.pool.query(
        `INSERT INTO centre_holdings (kind, ref, organisation_id, valid_from) SELECT 'staff', ref, $1, '2020-01-01' FROM unnest($2::text[]) AS ref`, [party, refs]);
    }
  });

  it('refuses lists a launch cannot use (unknown, another organisation\'s, an item in two parties) and starts nothing', async () => {
    const body = uusimaaLaunchBody(effectiveDateAfter(new Date(), 120));
    const mine = await upload('application/x-ndjson', STAITO.slice(0, 3).map((ref) => JSON.stringify({ kind: 'staff', ref })).join('\n'));
    const theirs = await upload('application/x-ndjson', '{"kind":"staff","ref":"KYMI-S-001"}', await api.token('admin', KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID));
    const twice = await upload('application/x-ndjson', `{"kind":"staff","ref":"${STAITO[1] as string}"}`);
    const runs = async () => Number((await db.pool.query('SELECT count(*) AS n FROM process_runs')).rows[0].n);
    const before = await runs();
    // An administrator of Socca (a party) may launch, with its own uploads only.
    const soccaAdmin = await api.token('admin', SOCCA_BUSINESS_ID);
    const launch = (lists: (string | undefined)[], token = admin) => api.request('POST', '/api/workflows/consolidation', {
      token, body: { ...body, slug: 'lists-refused', parties: body.parties.map((p, n) => ({ ...p, ...(lists[n] ? { itemList: lists[n] } : {}) })) },
    });
    const unknown = await launch([undefined, '00000000-0000-4000-8000-000000000000']);
    expect([unknown.status, unknown.body.details]).toEqual([400, [{ path: 'parties.1.itemList', message: 'item list 00000000-0000-4000-8000-000000000000 was not found' }]]);
    const other = await launch([undefined, theirs.body.id], soccaAdmin);
    expect(other.body.details).toEqual([{ path: 'parties.1.itemList', message: `item list ${theirs.body.id as string} was not found` }]);
    const repeated = await launch([undefined, mine.body.id, twice.body.id]);
    expect(repeated.body.details).toEqual([{ path: 'parties.2.itemList', message: `staff ${STAITO[1] as string} is also named by parties.1` }]);
    expect(await runs()).toBe(before);
  });

  it('moves the listed staff in batches, pages them from PostgreSQL in scope, and a cancel restores the registry', async () => {
    const jsonl = STAITO.map((ref) => JSON.stringify({ kind: 'staff', ref })).join('\n');
    const staitoList = await upload('application/x-ndjson', jsonl);
    const versoList = await upload('text/csv', ['kind,ref,counterparty', ...VERSO.map((ref) => `staff,${ref},`)].join('\n'));
    expect([staitoList.body.staff, versoList.body.staff]).toEqual([1_200, 300]);
    const base = uusimaaLaunchBody(effectiveDateAfter(new Date(), 120));
    const lists = new Map([[SOSIAALITAITO_BUSINESS_ID, staitoList.body.id as string], [VERSO_BUSINESS_ID, versoList.body.id as string]]);
    const body = { ...base, slug: 'lists-moved', parties: base.parties.map((p) => ({ ...p, projects: [], ...(lists.has(p.businessId) ? { itemList: lists.get(p.businessId) } : {}) })) };
    const before = await repo.snapshotRows(db.pool, consolidationOrganisations(consolidationInputSchema.parse(body)));
    const launched = await api.request('POST', '/api/workflows/consolidation', { token: admin, body });
    expect(launched.status).toBe(201);
    const id = launched.body.workflowId as string;
    // The workflow input names the lists; it does not carry them.
    const started = await stack.temporal.client.workflow.getHandle(id).describe();
    expect(started.workflowId).toBe(id);
    const history = await stack.temporal.client.workflow.getHandle(id).fetchHistory();
    const inputBytes = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data?.length ?? 0;
    expect(inputBytes).toBeLessThan(16 * 1024);

    const manager = await api.token('manager');
    const stage = (s: string) => eventually(async () => {
      const r = await api.request('GET', `/api/workflows/${enc(id)}`, { token: manager });
      return r.body.stage === s ? r.body : undefined;
    }, 60_000, s);
    await stage('feasibility');
    await api.request('POST', `/api/workflows/${enc(id)}/events`, { token: manager, body: { type: 'study.completed', payload: { findings: 'Feasible.' }, idempotencyKey: 'study' } });
    await stage('decisions');
    for (const [party, decidingBody] of [
      [VERSO_BUSINESS_ID, 'verso-board'], [VERSO_BUSINESS_ID, 'joint-authority-board'], [VERSO_BUSINESS_ID, 'joint-authority-council'],
      [SOCCA_BUSINESS_ID, 'socca-steering-group'], [SOSIAALITAITO_BUSINESS_ID, 'sosiaalitaito-board'], [HUS_BUSINESS_ID, 'hus-board'],
    ] as const) {
      expect((await api.request('POST', `/api/workflows/${enc(id)}/decisions`, { token: manager, body: { gate: 'decisions', party, body: decidingBody, decision: 'approve' } })).status).toBe(200);
    }
    await stage('effective');
    const total = 1_200 + 300 + 4 + 3 + 3;
    expect(await repo.transfers(db.pool, id)).toHaveLength(total);

    // Pages through Sosiaalitaito's staff: its 4 inline first, then the list in line order.
    const page = (q: string, token = manager) => api.request('GET', `/api/workflows/${enc(id)}/items?${q}`, { token });
    const first = await page(`party=${SOSIAALITAITO_BUSINESS_ID}&kind=staff&limit=1000`);
    expect([first.status, first.body.items.length, first.body.items[4].ref]).toEqual([200, 1_000, STAITO[0]]);
    expect(first.body.items.every((i: { status: string }) => i.status === 'transferred')).toBe(true);
    const second = await page(`party=${SOSIAALITAITO_BUSINESS_ID}&kind=staff&limit=1000&after=${first.body.nextAfter as number}`);
    expect([second.body.items.length, second.body.items.at(-1).ref, second.body.nextAfter]).toEqual([204, STAITO.at(-1), null]);
    expect((await page('status=not-reached')).body.items).toEqual([]);
    const bad = await page('limit=5000&status=lost');
    expect([bad.status, bad.body.details.map((d: { path: string }) => d.path).sort()]).toEqual([400, ['limit', 'status']]);
    // A cursor past any position (the fuzzer's 9007199254740990) is refused, not a server error.
    const farCursor = await page('after=9007199254740990');
    expect([farCursor.status, farCursor.body.details.map((d: { path: string }) => d.path)]).toEqual([400, ['after']]);
    // Another organisation's token does not see the run, nor its items.
    expect((await page('limit=1', await api.token('manager', KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID))).status).toBe(404);
    expect((await page('limit=1', await api.token('manager', VERSO_BUSINESS_ID))).status).toBe(200);

    const cancelled = await api.request('POST', `/api/workflows/${enc(id)}/cancel`, { token: admin, body: { reason: 'only a test' } });
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    expect(await repo.snapshotRows(db.pool, consolidationOrganisations(consolidationInputSchema.parse(body)))).toEqual(before);
    const undone = await page('status=undone&limit=1000');
    expect(undone.body.items).toHaveLength(1_000);
  });
});
