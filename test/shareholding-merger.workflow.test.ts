import { refusalOf } from './support/refusal';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { type ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { DEMO_ORGANISATIONS, DEMO_SOCOM_SHAREHOLDERS, SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { AuditRepository } from '../libs/db/repositories/audit.repository';
import { RegistryRepository } from '../libs/db/repositories/registry.repository';
import { dayBefore } from '../libs/domain/duration';
import type { TrackRequest } from '../libs/domain/progress';
import { shareholdingMergerBusinessKey, shareholdingMergerInputSchema, type ShareholdingMergerInput } from '../libs/domain/schemas';
import { checkRegister } from '../libs/domain/shares';
import { REFUSAL, cancelUpdate, progressQuery } from '../workflows/kit/messages';
import type { mergeShareholdings } from '../workflows/shareholding-merger/merge-shareholdings.workflow';
import { type TestApi } from './support/api-harness';
import { eventually, type TestDatabase, type TestTemporal } from './support/harness';
import { ADMIN, freshBusinessId } from './support/onboarding-fixtures';
import { testEnv } from './support/test-env';
import { startStack, type Stack } from './support/stack';
import { helsinkiDate, helsinkiDayStartMs } from '../libs/domain/helsinki-time';
import { addDays } from '../libs/domain/project';

let stack: Stack;
let db: TestDatabase;
let temporal: TestTemporal;
let api: TestApi;
const registry = new RegistryRepository();

beforeAll(async () => {
  stack = await startStack();
  ({ db, temporal, api } = stack);
});

afterAll(async () => {
  await stack?.stop();
});

// ---- fixtures ------------------------------------------------------------------------------------

/** A demo municipality's business ID by name; it must hold Socom shares when `holder` is set. */
function municipality(name: string, holder = true): string {
  const org = DEMO_ORGANISATIONS.find((o) => o.name === name && o.kind === 'municipality');
  if (!org) throw new Error(`no demo municipality ${name}`);
  if (holder && !DEMO_SOCOM_SHAREHOLDERS.some((s) => s.holderBusinessId === org.businessId)) {
    throw new Error(`${name} holds no Socom shares in the demo data`);
  }
  return org.businessId;
}

/** Shares each demo holder got from the seed, summed. */
function seededShares(ids: string[]): number {
  return DEMO_SOCOM_SHAREHOLDERS.filter((s) => ids.includes(s.holderBusinessId)).reduce((n, s) => n + s.shares, 0);
}

// Helsinki's calendar, as the API and the workflow count days: UTC's "today" is Helsinki's yesterday after 22:00 UTC.
const today = () => helsinkiDate(Date.now());
const tomorrow = () => addDays(today(), 1);

function mergerInput(merging: string[], effectiveDate: string, name = 'Uusi kunta'): ShareholdingMergerInput {
  return shareholdingMergerInputSchema.parse({
    company: SOCOM_BUSINESS_ID,
    merging,
    into: { businessId: freshBusinessId(), name, region: 'Kymenlaakso', population: 12_345 },
    effectiveDate,
  });
}

async function launch(input: ShareholdingMergerInput, taskQueue = temporal.taskQueue) {
  return temporal.client.workflow.start<typeof mergeShareholdings>('mergeShareholdings', {
    taskQueue,
    workflowId: shareholdingMergerBusinessKey(input),
    args: [input],
  });
}

type Handle = Awaited<ReturnType<typeof launch>>;

async function waitForRunningStage(handle: Handle, stage: string) {
  return eventually(async () => {
    const view = await handle.query(progressQuery);
    return view.stage === stage && view.stages.find((s) => s.key === stage)?.status === 'running' ? view : undefined;
  }, 20_000, `stage ${stage}`);
}

async function runRow(workflowId: string) {
  const r = await db.pool.query('SELECT status, stage, percent, failure, result FROM process_runs WHERE workflow_id = $1', [workflowId]);
  return r.rows[0];
}

/** Share numbers (every single one) held by `holderId` on `at`. */
async function shareNumbers(holderId: string | string[], at: string): Promise<number[]> {
  const ids = Array.isArray(holderId) ? holderId : [holderId];
  const numbers: number[] = [];
  for (const h of await registry.holdings(db.pool, SOCOM_BUSINESS_ID, at)) {
    if (!ids.includes(h.holderId)) continue;
    for (let n = h.firstNo; n <= h.lastNo; n += 1) numbers.push(n);
  }
  return numbers.sort((a, b) => a - b);
}

// ---- through the Temporal client ----------------------------------------------------------------

describe('mergeShareholdings on a real Temporal server and PostgreSQL', () => {
  test('three municipalities merge on today\'s date: their share numbers pass to the new municipality, number for number', async () => {
    const merging = [municipality('Hamina'), municipality('Kotka'), municipality('Miehikkälä')];
    const effectiveDate = today();
    const input = mergerInput(merging, effectiveDate, 'Etelä-Kymen kunta');
    const into = input.into.businessId;
    const issuedBefore = (await registry.company(db.pool, SOCOM_BUSINESS_ID))?.sharesIssued;
    const numbersBefore = await shareNumbers(merging, dayBefore(effectiveDate));
    const holdersBefore = new Set((await registry.holdings(db.pool, SOCOM_BUSINESS_ID, effectiveDate)).map((h) => h.holderId));
    expect(numbersBefore).toHaveLength(seededShares(merging));
    expect(numbersBefore.length).toBeGreaterThan(0);

    const handle = await launch(input);
    const result = await handle.result();
    expect(result).toEqual({ status: 'completed', movedShares: seededShares(merging) });

    // The register on the effective date: the new municipality holds exactly the merged numbers.
    const holdings = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, effectiveDate);
    expect(await shareNumbers(into, effectiveDate)).toEqual(numbersBefore);
    expect(holdings.filter((h) => merging.includes(h.holderId))).toEqual([]);
    expect(holdings.filter((h) => h.holderId === into).every((h) => h.acquiredOn === effectiveDate && h.holderName === 'Etelä-Kymen kunta')).toBe(true);
    // History is kept: the day before, the old municipalities still hold the same numbers.
    expect(await shareNumbers(merging, dayBefore(effectiveDate))).toEqual(numbersBefore);
    expect(await shareNumbers(into, dayBefore(effectiveDate))).toEqual([]);
    expect(await registry.stepRanges(db.pool, handle.workflowId, 'transferred')).toHaveLength(merging.length);

    const issued = (await registry.company(db.pool, SOCOM_BUSINESS_ID))?.sharesIssued;
    expect(issued).toBe(issuedBefore);
    expect(checkRegister(issued ?? 0, holdings.map((h) => ({ first: h.firstNo, last: h.lastNo })))).toEqual({ ok: true });

    // The merged municipalities end the day before, merged into the new one, which starts on the date.
    for (const id of merging) {
      expect(await registry.organisation(db.pool, id)).toMatchObject({ validTo: dayBefore(effectiveDate), mergedInto: into });
    }
    expect(await registry.organisation(db.pool, into)).toMatchObject({
      name: 'Etelä-Kymen kunta', kind: 'municipality', region: 'Kymenlaakso', population: 12_345, validFrom: effectiveDate, validTo: null, mergedInto: null,
    });

    // Projection and live view agree: completed at 100 %.
    const run = await runRow(handle.workflowId);
    expect(run).toMatchObject({ status: 'completed', stage: 'notified', percent: 100, failure: null });
    expect(run.result).toMatchObject({ movedShares: seededShares(merging) });
    const view = await handle.query(progressQuery);
    expect(view.stages.map((s) => [s.key, s.status])).toEqual([['checked', 'done'], ['scheduled', 'done'], ['transferred', 'done'], ['notified', 'done']]);

    // The other holders are told; neither the merged municipalities nor the new one are.
    const notices = await db.pool.query('SELECT recipient_id, subject FROM notifications WHERE workflow_id = $1 AND step_key = $2', [handle.workflowId, 'notified']);
    const expected = new Set([...holdersBefore].filter((id) => !merging.includes(id)));
    expect(new Set(notices.rows.map((r) => r.recipient_id))).toEqual(expected);
    expect(notices.rows).toHaveLength(expected.size);
    expect(notices.rows[0]?.subject).toBe('Shareholdings of merged municipalities now held by Etelä-Kymen kunta');

    const audit = await db.pool.query('SELECT action FROM audit_events WHERE workflow_id = $1 ORDER BY seq', [handle.workflowId]);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['stage.transferred.completed', 'workflow.completed']));
    expect(await new AuditRepository().verify(db.pool)).toMatchObject({ ok: true });

    // Merging one of them again from the same date is rejected: it is already merged.
    const again = await launch(mergerInput([merging[0] as string], effectiveDate));
    expect(await again.result()).toEqual({ status: 'rejected', reason: `Hamina is already merged into ${into}` });
  });

  test('a past effective date proceeds at once and the register keeps the history either side of it', async () => {
    const merging = [municipality('Lemi'), municipality('Luumäki')];
    const input = mergerInput(merging, '2015-01-01', 'Lemi-Luumäki');
    const numbers = await shareNumbers(merging, '2014-12-31');
    expect(numbers).toHaveLength(seededShares(merging));

    const result = await (await launch(input)).result();
    expect(result).toEqual({ status: 'completed', movedShares: numbers.length });
    expect(await shareNumbers(merging, '2014-12-31')).toEqual(numbers);
    expect(await shareNumbers(input.into.businessId, '2014-12-31')).toEqual([]);
    expect(await shareNumbers(input.into.businessId, '2015-01-01')).toEqual(numbers);
    expect(await shareNumbers(input.into.businessId, today())).toEqual(numbers);
    expect(await shareNumbers(merging, today())).toEqual([]);
    for (const id of merging) {
      expect(await registry.organisation(db.pool, id)).toMatchObject({ validTo: '2014-12-31', mergedInto: input.into.businessId });
    }
  });

  test('a merger dated tomorrow waits in "scheduled" until cancelled, and then nothing moves', async () => {
    const merging = [municipality('Pyhtää'), municipality('Virolahti')];
    const effectiveDate = tomorrow();
    const input = mergerInput(merging, effectiveDate);
    const numbersBefore = await shareNumbers(merging, today());
    const handle = await launch(input);

    const waiting = await waitForRunningStage(handle, 'scheduled');
    expect(waiting).toMatchObject({
      status: 'running',
      // The merger takes effect at Helsinki's midnight starting the effective date.
      nextDeadline: new Date(helsinkiDayStartMs(effectiveDate)).toISOString(),
      waitingFor: [`effective date ${effectiveDate}`],
      businessKey: shareholdingMergerBusinessKey(input),
    });
    expect(waiting.stages.find((s) => s.key === 'checked')?.status).toBe('done');
    // The live view changes before its write to the projection lands, so the row is awaited.
    const row = await eventually(async () => {
      const r = await runRow(handle.workflowId);
      return r?.stage === 'scheduled' ? r : undefined;
    }, 10_000, 'the projection to reach scheduled');
    expect(row).toMatchObject({ status: 'running', percent: 25 });

    const view = await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'the merger was called off', actor: ADMIN }] });
    expect(view).toMatchObject({ status: 'cancelled', failure: 'the merger was called off', nextDeadline: null });
    expect(await handle.result()).toEqual({ status: 'cancelled', reason: 'the merger was called off' });

    expect(await registry.stepRanges(db.pool, handle.workflowId, 'transferred')).toEqual([]);
    expect(await shareNumbers(merging, today())).toEqual(numbersBefore);
    expect(await shareNumbers(merging, effectiveDate)).toEqual(numbersBefore);
    for (const id of merging) expect(await registry.organisation(db.pool, id)).toMatchObject({ validTo: null, mergedInto: null });
    expect(await registry.organisation(db.pool, input.into.businessId)).toBeNull();
    const notices = await db.pool.query('SELECT 1 FROM notifications WHERE workflow_id = $1', [handle.workflowId]);
    expect(notices.rowCount).toBe(0);

    expect(await runRow(handle.workflowId)).toMatchObject({ status: 'cancelled', stage: 'scheduled', failure: 'the merger was called off' });
    const audit = await db.pool.query(`SELECT actor, payload FROM audit_events WHERE workflow_id = $1 AND action = 'workflow.cancelled'`, [handle.workflowId]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]?.actor).toBe('admin:test-admin');
    expect(audit.rows[0]?.payload.details.reason).toBe('the merger was called off');
  });

  test('a check that fails ends the merger as rejected with the reason, and nothing is written to the register', async () => {
    const unknown = freshBusinessId();
    const anjalankoski = municipality('Anjalankoski', false); // ended 2008-12-31, merged into the new Kouvola
    const xamk = DEMO_SOCOM_SHAREHOLDERS.find((s) => DEMO_ORGANISATIONS.find((o) => o.businessId === s.holderBusinessId)?.kind === 'uas');
    const cases: [string[], string, string][] = [
      [[municipality('Imatra'), unknown], today(), `municipality ${unknown} is not in the registry`],
      [[anjalankoski, municipality('Imatra')], today(), `Anjalankoski no longer exists on ${dayBefore(today())}`],
      [[xamk?.holderBusinessId as string], today(), 'Kaakkois-Suomen ammattikorkeakoulu Xamk (South-Eastern Finland UAS) is not a municipality'],
    ];
    for (const [merging, effectiveDate, reason] of cases) {
      const handle = await launch(mergerInput(merging, effectiveDate));
      expect(await handle.result()).toEqual({ status: 'rejected', reason });
      expect(await runRow(handle.workflowId)).toMatchObject({ status: 'rejected', stage: 'checked', failure: reason });
      expect(await registry.stepRanges(db.pool, handle.workflowId, 'transferred')).toEqual([]);
    }
    // Imatra was named in two rejected mergers and still holds its shares and exists.
    expect(await shareNumbers(municipality('Imatra'), today())).toHaveLength(seededShares([municipality('Imatra')]));
    expect(await registry.organisation(db.pool, municipality('Imatra'))).toMatchObject({ validTo: null, mergedInto: null });
  });

  test('a cancel that arrives after the last cancellation check is refused rather than accepted and ignored', async () => {
    await withSlowTrack('stage.scheduled.completed', async (taskQueue) => {
      const handle = await launch(mergerInput([municipality('Ruokolahti'), municipality('Savitaipale')], today()), taskQueue);
      // In the workflow the scheduled stage is done and its write is under way; the stage is still 'scheduled'.
      await eventually(async () => {
        const v = await handle.query(progressQuery);
        return v.stage === 'scheduled' && v.stages.find((s) => s.key === 'scheduled')?.status === 'done' ? v : undefined;
      }, 20_000, 'the scheduled stage to be written');
      const outcome = await handle
        .executeUpdate(cancelUpdate, { args: [{ reason: 'too late', actor: ADMIN }] })
        .then((view) => ({ accepted: true as const, view }), (e: unknown) => ({ accepted: false as const, e }));
      const result = await handle.result();
      if (outcome.accepted) {
        // Accepted, so it must have been honoured. (Today: view.status and result.status are 'completed'.)
        expect(outcome.view.status).toBe('cancelled');
        expect(result.status).toBe('cancelled');
      } else {
        expect(outcome.e).toBeInstanceOf(WorkflowUpdateFailedError);
        expect(((outcome.e as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe(REFUSAL.pointOfNoReturn);
      }
    });
  });

  test('a cancel while the transfer is under way is refused as past the point of no return; the merger completes', async () => {
    await withSlowTrack('stage.transferred.started', async (taskQueue) => {
      const merging = [municipality('Taipalsaari')];
      const handle = await launch(mergerInput(merging, today()), taskQueue);
      await waitForRunningStage(handle, 'transferred');
      const refusal = await refusalOf(handle.executeUpdate(cancelUpdate, { args: [{ reason: 'too late', actor: ADMIN }] }));
      expect(refusal.type).toBe(REFUSAL.pointOfNoReturn);
      expect(refusal.message).toBe('the shareholdings are already being transferred');
      expect(await handle.result()).toEqual({ status: 'completed', movedShares: seededShares(merging) });

      // Once ended, the workflow takes no updates at all.
      const late = await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'later still', actor: ADMIN }] }).then(() => undefined, (e: unknown) => e);
      expect(late).toBeInstanceOf(WorkflowNotFoundError);
      const cancels = await db.pool.query(`SELECT 1 FROM audit_events WHERE workflow_id = $1 AND action = 'workflow.cancelled'`, [handle.workflowId]);
      expect(cancels.rowCount).toBe(0);
    });
  });
});

/**
 * Runs `body` against a worker of its own (same workflow bundle, real activities) whose one tracking write
 * `action` takes 3 s longer, to hold the workflow at a chosen point.
 */
async function withSlowTrack(action: string, body: (taskQueue: string) => Promise<void>): Promise<void> {
  const base = createActivities({ pool: db.pool });
  const taskQueue = `${temporal.taskQueue}-slow-${action}`;
  const connection = await NativeConnection.connect({ address: temporal.address });
  const slow = await Worker.create({
    connection, namespace: temporal.namespace, taskQueue,
    workflowBundle: { codePath: testEnv('bundle') },
    activities: {
      ...base,
      async track(req: TrackRequest) {
        if (req.action === action) await new Promise((r) => setTimeout(r, 3000));
        return base.track(req);
      },
    },
  });
  const running = slow.run();
  try {
    await body(taskQueue);
  } finally {
    slow.shutdown();
    await running;
    await connection.close();
  }
}

// ---- through the HTTP API -----------------------------------------------------------------------

describe('POST /api/workflows/shareholding-merger', () => {
  async function rowCounts() {
    const r = await db.pool.query(`SELECT (SELECT count(*) FROM process_runs)::int AS runs, (SELECT count(*) FROM audit_events)::int AS audit,
      (SELECT count(*) FROM share_register)::int AS register, (SELECT count(*) FROM organisations)::int AS orgs`);
    return r.rows[0];
  }

  test('an admin launches a merger: 201 with the business key as the workflow id, 409 for the same launch again', async () => {
    const [admin, manager] = await Promise.all([api.token('admin'), api.token('manager')]);
    const body = {
      company: SOCOM_BUSINESS_ID,
      merging: [municipality('Parikkala'), municipality('Rautjärvi')],
      into: { businessId: freshBusinessId(), name: 'Parikkala-Rautjärvi' },
      effectiveDate: tomorrow(),
    };
    const key = shareholdingMergerBusinessKey(shareholdingMergerInputSchema.parse(body));

    expect((await api.request('POST', '/api/workflows/shareholding-merger', { token: manager, body })).status).toBe(403);
    const launched = await api.request('POST', '/api/workflows/shareholding-merger', { token: admin, body });
    expect(launched.status).toBe(201);
    expect(launched.body).toEqual({ workflowId: key, runId: expect.any(String), status: 'running' });
    expect(key).toBe(`shareholding-merger:${SOCOM_BUSINESS_ID}:${body.into.businessId}:${body.effectiveDate}`);

    const again = await api.request('POST', '/api/workflows/shareholding-merger', { token: admin, body });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('duplicate_business_key');

    const path = `/api/workflows/${encodeURIComponent(key)}`;
    const scheduled = await eventually(async () => {
      const r = await api.request('GET', path, { token: manager });
      return r.status === 200 && r.body.stage === 'scheduled' && r.body.status === 'running' ? r.body : undefined;
    }, 20_000, 'the merger to be scheduled');
    expect(scheduled).toMatchObject({ kind: 'shareholding-merger', businessKey: key, waitingFor: [`effective date ${body.effectiveDate}`] });
    expect(Date.parse(scheduled.nextDeadline)).toBe(helsinkiDayStartMs(body.effectiveDate));

    const cancelled = await api.request('POST', `${path}/cancel`, { token: admin, body: { reason: 'council decision overturned' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', failure: 'council decision overturned' });
    expect(await shareNumbers(body.merging, body.effectiveDate)).toHaveLength(seededShares(body.merging));
  });

  test('bad input is a 400 naming the field, and writes nothing', async () => {
    const admin = await api.token('admin');
    const good = () => ({
      company: SOCOM_BUSINESS_ID,
      merging: [municipality('Hamina'), municipality('Kotka')],
      into: { businessId: freshBusinessId(), name: 'Kaksoiskunta' },
      effectiveDate: tomorrow(),
    });
    const before = await rowCounts();

    const twice = await api.request('POST', '/api/workflows/shareholding-merger', {
      token: admin, body: { ...good(), merging: [municipality('Kotka'), municipality('Kotka')] },
    });
    expect(twice.status).toBe(400);
    expect(twice.body).toMatchObject({ error: 'invalid_input', details: [{ path: 'merging', message: 'lists a municipality twice' }] });

    for (const effectiveDate of ['2009-02-30', '1.1.2009', '2009-01-01T00:00:00Z']) {
      const badDate = await api.request('POST', '/api/workflows/shareholding-merger', { token: admin, body: { ...good(), effectiveDate } });
      expect(badDate.status).toBe(400);
      expect(badDate.body.details).toEqual([{ path: 'effectiveDate', message: 'must be a date as YYYY-MM-DD' }]);
    }

    const badId = await api.request('POST', '/api/workflows/shareholding-merger', {
      token: admin, body: { ...good(), merging: [municipality('Kotka'), '2229500-5'] },
    });
    expect(badId.status).toBe(400);
    expect(badId.body.details).toEqual([{ path: 'merging.1', message: 'check digit should be 6' }]);

    const none = await api.request('POST', '/api/workflows/shareholding-merger', { token: admin, body: { ...good(), merging: [] } });
    expect(none.status).toBe(400);
    expect(none.body.details).toEqual([{ path: 'merging', message: expect.any(String) }]);

    expect(await rowCounts()).toEqual(before);
  });
});
