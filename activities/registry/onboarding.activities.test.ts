import { ApplicationFailure } from '@temporalio/activity';
import fc from 'fast-check';
import type { Pool } from 'pg';
import { createOnboardingActivities } from './onboarding.activities';
import { createShareholdingMergerActivities } from './shareholding-merger.activities';
import { seedDemoData } from '../../infra/seed/seed';
import { DEMO_ORGANISATIONS, DEMO_SOCOM_SHAREHOLDERS, SOCOM_BUSINESS_ID, THL_BUSINESS_ID } from '../../infra/seed/demo-data';
import { RegistryRepository } from '../../libs/db/repositories/registry.repository';
import { DAY_MS, dayBefore, isoDate } from '../../libs/domain/duration';
import { APPLICANT_KINDS, type OnboardingInput, type ShareholdingMergerInput } from '../../libs/domain/schemas';
import { checkRegister } from '../../libs/domain/shares';
import { createTestDatabase, type TestDatabase } from '../../test/support/harness';
import { associationApplication, countyApplication, freshBusinessId } from '../../test/support/onboarding-fixtures';

const registry = new RegistryRepository();
const TODAY = isoDate(Date.now());
const SOCOM_NAME = DEMO_ORGANISATIONS.find((o) => o.businessId === SOCOM_BUSINESS_ID)?.name ?? '';

function demoOrg(name: string) {
  const found = DEMO_ORGANISATIONS.find((o) => o.name === name);
  if (!found) throw new Error(`no demo organisation ${name}`);
  return found;
}

function addDays(day: string, days: number): string {
  return isoDate(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

async function sharesIssued(pool: Pool, company = SOCOM_BUSINESS_ID): Promise<number> {
  const c = await registry.company(pool, company);
  if (!c) throw new Error(`no company ${company}`);
  return c.sharesIssued;
}

let wfSeq = 0;
function newWorkflowId(prefix = 'onboarding'): string {
  wfSeq += 1;
  return `test-${prefix}-${process.pid}-${Date.now()}-${wfSeq}`;
}

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => undefined, (e: unknown) => e);
}

describe('onboarding activities on the seeded register', () => {
  let db: TestDatabase;
  let acts: ReturnType<typeof createOnboardingActivities>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.pool);
    acts = createOnboardingActivities({ pool: db.pool });
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function reservation(workflowId: string) {
    const r = await db.pool.query(
      'SELECT company_id, applicant_id, shares, status, closed_at FROM share_reservations WHERE workflow_id = $1',
      [workflowId],
    );
    return r.rows;
  }

  describe('checkApplicant', () => {
    test('a county that holds no shares yet passes on today', async () => {
      expect(await acts.checkApplicant(countyApplication(), TODAY)).toEqual({ ok: true, companyName: SOCOM_NAME });
    });

    test('an unknown company is refused', async () => {
      const company = freshBusinessId();
      expect(await acts.checkApplicant(associationApplication({ company }), TODAY)).toEqual({
        ok: false, reason: `company ${company} is not in the registry`,
      });
    });

    test('an organisation that keeps no share register is not a company to join', async () => {
      expect(await acts.checkApplicant(associationApplication({ company: THL_BUSINESS_ID }), TODAY)).toEqual({
        ok: false, reason: `company ${THL_BUSINESS_ID} is not in the registry`,
      });
    });

    test('an existing shareholder is refused', async () => {
      const hamina = demoOrg('Hamina');
      const input = countyApplication();
      const result = await acts.checkApplicant(
        { ...input, applicant: { name: hamina.name, businessId: hamina.businessId, kind: 'municipality' } },
        TODAY,
      );
      expect(result).toEqual({ ok: false, reason: `Hamina is already a shareholder of ${SOCOM_NAME}` });
    });

    test('a kind that may not hold shares is refused', async () => {
      const input = associationApplication();
      const result = await acts.checkApplicant({ ...input, applicant: { ...input.applicant, kind: 'company' } }, TODAY);
      expect(result).toEqual({
        ok: false,
        reason: `applicant kind "company" may not hold shares (allowed: ${APPLICANT_KINDS.join(', ')})`,
      });
    });

    test('the company must be active on the date', async () => {
      // Socom's validity starts 2002-01-01 in the demo data.
      expect(await acts.checkApplicant(associationApplication(), '2001-12-31')).toEqual({
        ok: false, reason: `company ${SOCOM_NAME} is not active on 2001-12-31`,
      });
      expect((await acts.checkApplicant(associationApplication(), '2002-01-01')).ok).toBe(true);
    });

    test('a company cannot join itself', async () => {
      const input = associationApplication();
      const result = await acts.checkApplicant({ ...input, applicant: { ...input.applicant, businessId: SOCOM_BUSINESS_ID } }, TODAY);
      expect(result).toEqual({ ok: false, reason: 'a company cannot become its own shareholder' });
    });

    test('input the schema refuses is a failed check naming the field', async () => {
      const result = await acts.checkApplicant({ ...associationApplication(), shares: 0 }, TODAY);
      expect(result).toEqual({ ok: false, reason: 'shares: must be at least 1' });
    });

    test('a holder is a shareholder only while it holds: before its acquisition it is not', async () => {
      const xamk = DEMO_SOCOM_SHAREHOLDERS[15];
      expect(xamk?.since).toBe('2017-01-01');
      const org = DEMO_ORGANISATIONS.find((o) => o.businessId === xamk?.holderBusinessId);
      const applicant = { name: org?.name ?? '', businessId: xamk?.holderBusinessId ?? '', kind: 'uas' };
      // Xamk itself starts on 2017-01-01 too, so the day before it is refused as not existing yet, not as a holder.
      expect(await acts.checkApplicant({ ...countyApplication(), applicant }, '2016-12-31')).toEqual({
        ok: false, reason: `${org?.name} does not exist on 2016-12-31`,
      });
      expect(await acts.checkApplicant({ ...countyApplication(), applicant }, '2017-01-01')).toEqual({
        ok: false, reason: expect.stringContaining('is already a shareholder'),
      });
    });

    test('an applicant whose registry kind may not hold shares is refused whatever kind it claims', async () => {
      const sosiaalitaito = demoOrg('Sosiaalitaito Oy');
      expect(sosiaalitaito.kind).toBe('company');
      const result = await acts.checkApplicant(
        { ...countyApplication(), applicant: { name: sosiaalitaito.name, businessId: sosiaalitaito.businessId, kind: 'association' } },
        TODAY,
      );
      expect(result.ok).toBe(false);
    });

    test('an applicant organisation that has ended is refused', async () => {
      const anjalankoski = demoOrg('Anjalankoski');
      expect(anjalankoski.validTo).toBe('2008-12-31');
      const result = await acts.checkApplicant(
        { ...countyApplication(), applicant: { name: anjalankoski.name, businessId: anjalankoski.businessId, kind: 'municipality' } },
        TODAY,
      );
      expect(result.ok).toBe(false);
    });
  });

  describe('each activity twice has one effect', () => {
    test('reserveShares twice keeps one reservation, the first one', async () => {
      const wf = newWorkflowId();
      const input = associationApplication();
      const before = await registry.reservedShares(db.pool, SOCOM_BUSINESS_ID);
      await acts.reserveShares({ workflowId: wf, company: SOCOM_BUSINESS_ID, applicantId: input.applicant.businessId, shares: 7 });
      await acts.reserveShares({ workflowId: wf, company: SOCOM_BUSINESS_ID, applicantId: input.applicant.businessId, shares: 99 });
      expect(await reservation(wf)).toEqual([
        { company_id: SOCOM_BUSINESS_ID, applicant_id: input.applicant.businessId, shares: 7, status: 'reserved', closed_at: null },
      ]);
      expect(await registry.reservedShares(db.pool, SOCOM_BUSINESS_ID)).toBe(before + 7);
    });

    test('releaseReservation twice releases once and keeps the first closing time', async () => {
      const wf = newWorkflowId();
      const input = associationApplication();
      await acts.reserveShares({ workflowId: wf, company: SOCOM_BUSINESS_ID, applicantId: input.applicant.businessId, shares: 3 });
      const reservedBefore = await registry.reservedShares(db.pool, SOCOM_BUSINESS_ID);
      await acts.releaseReservation(wf);
      const [first] = await reservation(wf);
      expect(first).toMatchObject({ status: 'released', closed_at: expect.any(Date) });
      await acts.releaseReservation(wf);
      expect(await reservation(wf)).toEqual([first]);
      expect(await registry.reservedShares(db.pool, SOCOM_BUSINESS_ID)).toBe(reservedBefore - 3);
    });

    test('releaseReservation of an unknown workflow does nothing', async () => {
      await expect(acts.releaseReservation(newWorkflowId())).resolves.toBeUndefined();
    });

    test('registerShares twice returns the same range, issues once and closes the reservation', async () => {
      const wf = newWorkflowId();
      const input = associationApplication();
      await acts.reserveShares({ workflowId: wf, company: SOCOM_BUSINESS_ID, applicantId: input.applicant.businessId, shares: 12 });
      const issuedBefore = await sharesIssued(db.pool);
      const args = { workflowId: wf, company: SOCOM_BUSINESS_ID, applicant: input.applicant, shares: 12, acquiredOn: TODAY };

      const first = await acts.registerShares(args);
      expect(first).toEqual({ first: issuedBefore + 1, last: issuedBefore + 12, sharesIssued: issuedBefore + 12 });
      const second = await acts.registerShares(args);
      expect(second).toEqual(first);

      expect(await sharesIssued(db.pool)).toBe(issuedBefore + 12);
      const rows = await db.pool.query(
        `SELECT holder_id, first_no, last_no, to_char(acquired_on, 'YYYY-MM-DD') AS acquired_on, disposed_on
           FROM share_register WHERE source_workflow_id = $1`,
        [wf],
      );
      expect(rows.rows).toEqual([
        { holder_id: input.applicant.businessId, first_no: issuedBefore + 1, last_no: issuedBefore + 12, acquired_on: TODAY, disposed_on: null },
      ]);
      expect(await reservation(wf)).toEqual([expect.objectContaining({ status: 'registered', closed_at: expect.any(Date) })]);
      expect(await registry.organisation(db.pool, input.applicant.businessId)).toMatchObject({
        name: input.applicant.name, kind: 'association', validFrom: TODAY, validTo: null,
      });

      // Once registered, releasing (e.g. a compensation running late) does not undo the registration.
      await acts.releaseReservation(wf);
      expect(await reservation(wf)).toEqual([expect.objectContaining({ status: 'registered' })]);

      // And the new holder is now refused as an applicant.
      expect(await acts.checkApplicant(input, TODAY)).toEqual({
        ok: false, reason: `${input.applicant.name} is already a shareholder of ${SOCOM_NAME}`,
      });
      const holdings = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, TODAY);
      expect(checkRegister(await sharesIssued(db.pool), holdings.map((h) => ({ first: h.firstNo, last: h.lastNo })))).toEqual({ ok: true });
    });

    test('registerShares retried concurrently still issues once', async () => {
      const wf = newWorkflowId();
      const input = associationApplication();
      const issuedBefore = await sharesIssued(db.pool);
      const args = { workflowId: wf, company: SOCOM_BUSINESS_ID, applicant: input.applicant, shares: 5, acquiredOn: TODAY };
      const results = await Promise.all([acts.registerShares(args), acts.registerShares(args), acts.registerShares(args)]);
      for (const r of results) expect({ first: r.first, last: r.last }).toEqual({ first: issuedBefore + 1, last: issuedBefore + 5 });
      expect(await sharesIssued(db.pool)).toBe(issuedBefore + 5);
      expect(await registry.stepRanges(db.pool, wf, 'registered')).toHaveLength(1);
    });

    test('concurrent registrations of different workflows get disjoint, consecutive ranges', async () => {
      const issuedBefore = await sharesIssued(db.pool);
      const counts = [4, 9, 1, 6, 3];
      const results = await Promise.all(counts.map((shares) => {
        const input = associationApplication();
        return acts.registerShares({ workflowId: newWorkflowId(), company: SOCOM_BUSINESS_ID, applicant: input.applicant, shares, acquiredOn: TODAY });
      }));
      const ranges = results.map((r) => ({ first: r.first, last: r.last })).sort((a, b) => a.first - b.first);
      expect(ranges[0]?.first).toBe(issuedBefore + 1);
      ranges.forEach((r, i) => { if (i > 0) expect(r.first).toBe((ranges[i - 1]?.last ?? 0) + 1); });
      const total = counts.reduce((a, b) => a + b, 0);
      expect(ranges[ranges.length - 1]?.last).toBe(issuedBefore + total);
      expect(await sharesIssued(db.pool)).toBe(issuedBefore + total);
    });

    test('registerShares for a company without a register fails without retry', async () => {
      const input = associationApplication();
      const err = await failureOf(acts.registerShares({
        workflowId: newWorkflowId(), company: THL_BUSINESS_ID, applicant: input.applicant, shares: 1, acquiredOn: TODAY,
      }));
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'UnknownCompany', nonRetryable: true });
      expect(await registry.organisation(db.pool, input.applicant.businessId)).toBeNull();
    });

    test('notifyShareholders twice for the same step notifies every other holder once', async () => {
      const wf = newWorkflowId();
      const input = associationApplication();
      await acts.registerShares({ workflowId: wf, company: SOCOM_BUSINESS_ID, applicant: input.applicant, shares: 2, acquiredOn: TODAY });
      const holders = new Set((await registry.holdings(db.pool, SOCOM_BUSINESS_ID, TODAY)).map((h) => h.holderId));
      expect(holders.has(input.applicant.businessId)).toBe(true);
      const notice = {
        workflowId: wf, stepKey: 'notified', company: SOCOM_BUSINESS_ID, exclude: [input.applicant.businessId], onDate: TODAY,
        subject: 'New shareholder', body: 'welcome',
      };

      const first = await acts.notifyShareholders(notice);
      expect(first).toEqual({ recipients: holders.size - 1 });
      const rowsAfterFirst = await db.pool.query('SELECT id, recipient_id FROM notifications WHERE workflow_id = $1 ORDER BY id', [wf]);
      expect(rowsAfterFirst.rows.map((r) => r.recipient_id).sort()).toEqual([...holders].filter((h) => h !== input.applicant.businessId).sort());

      const second = await acts.notifyShareholders(notice);
      expect(second).toEqual(first);
      const rowsAfterSecond = await db.pool.query('SELECT id, recipient_id FROM notifications WHERE workflow_id = $1 ORDER BY id', [wf]);
      expect(rowsAfterSecond.rows).toEqual(rowsAfterFirst.rows);

      // Another step of the same workflow is another notice.
      await acts.notifyShareholders({ ...notice, stepKey: 'notified-again' });
      expect(await db.pool.query('SELECT 1 FROM notifications WHERE workflow_id = $1', [wf]).then((r) => r.rowCount)).toBe(2 * (holders.size - 1));
    });

    test('a holder with several ranges is notified once', async () => {
      // Give the new holder a second range of its own before notifying.
      const wf = newWorkflowId();
      const input = associationApplication();
      await acts.registerShares({ workflowId: wf, company: SOCOM_BUSINESS_ID, applicant: input.applicant, shares: 1, acquiredOn: TODAY });
      const issued = await sharesIssued(db.pool);
      await registry.insertHolding(db.pool, {
        companyId: SOCOM_BUSINESS_ID, holderId: input.applicant.businessId, firstNo: issued + 1, lastNo: issued + 1,
        acquiredOn: TODAY, workflowId: wf, step: 'second-range',
      });
      await registry.setSharesIssued(db.pool, SOCOM_BUSINESS_ID, issued + 1);
      const result = await acts.notifyShareholders({
        workflowId: wf, stepKey: 'notified', company: SOCOM_BUSINESS_ID, exclude: [], onDate: TODAY, subject: 's', body: 'b',
      });
      const holders = new Set((await registry.holdings(db.pool, SOCOM_BUSINESS_ID, TODAY)).map((h) => h.holderId));
      expect(result).toEqual({ recipients: holders.size });
      const mine = await db.pool.query('SELECT 1 FROM notifications WHERE workflow_id = $1 AND recipient_id = $2', [wf, input.applicant.businessId]);
      expect(mine.rowCount).toBe(1);
    });
  });

  describe('the exclusion constraint', () => {
    test('the seeded register adds up', async () => {
      const seeded = await createTestDatabase();
      try {
        await seedDemoData(seeded.pool);
        const issued = await sharesIssued(seeded.pool);
        expect(issued).toBe(DEMO_SOCOM_SHAREHOLDERS.reduce((n, s) => n + s.shares, 0));
        const holdings = await registry.holdings(seeded.pool, SOCOM_BUSINESS_ID, TODAY);
        expect(checkRegister(issued, holdings.map((h) => ({ first: h.firstNo, last: h.lastNo })))).toEqual({ ok: true });
      } finally {
        await seeded.drop();
      }
    });

    test('a direct INSERT of share numbers already held at the same time is refused by the database', async () => {
      const holder = associationApplication().applicant;
      await registry.upsertOrganisation(db.pool, { businessId: holder.businessId, name: holder.name, kind: 'association', validFrom: '2000-01-01' });
      const insert = (first: number, last: number, acquired: string, disposed: string | null, company = SOCOM_BUSINESS_ID) =>
        db.pool.query(
          `INSERT INTO share_register (company_id, holder_id, first_no, last_no, acquired_on, disposed_on) VALUES ($1, $2, $3, $4, $5, $6)`,
          [company, holder.businessId, first, last, acquired, disposed],
        );

      // Share 1 is held by the first municipality from 2002 onwards.
      const overlapNow = await failureOf(insert(1, 1, TODAY, null));
      expect(overlapNow).toMatchObject({ code: '23P01', constraint: 'share_numbers_unique_in_time' });
      // A single number at the end of a range, for a single day in the past, is still an overlap.
      const lastOfFirst = DEMO_SOCOM_SHAREHOLDERS[0]?.shares ?? 0;
      const edge = await failureOf(insert(lastOfFirst, lastOfFirst, '2010-06-01', '2010-06-02'));
      expect(edge).toMatchObject({ code: '23P01' });

      // Numbers nobody holds are fine; then the same numbers back to back in time, but not overlapping.
      const issued = await sharesIssued(db.pool);
      await insert(issued + 1000, issued + 1009, '2020-01-01', '2021-01-01');
      await insert(issued + 1005, issued + 1015, '2021-01-01', null);
      expect(await failureOf(insert(issued + 1009, issued + 1010, '2020-12-31', '2021-01-02'))).toMatchObject({ code: '23P01' });
      expect(await failureOf(insert(issued + 1015, issued + 1020, '2030-01-01', null))).toMatchObject({ code: '23P01' });
      const wrongOrder = await failureOf(insert(issued + 2000, issued + 1999, '2020-01-01', null));
      expect(wrongOrder).toMatchObject({ code: '23514' }); // check violation: last_no >= first_no
      await db.pool.query('DELETE FROM share_register WHERE holder_id = $1', [holder.businessId]);
    });
  });
});

// ---- property: onboard registrations and shareholding-merger transfers keep the register consistent ----

type OnboardOp = { op: 'onboard'; shares: number; kind: (typeof APPLICANT_KINDS)[number] };
type MergeOp = { op: 'merge'; picks: number[]; absorb: boolean; gapDays: number };
type Op = OnboardOp | MergeOp;

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('onboard' as const), shares: fc.integer({ min: 1, max: 250 }), kind: fc.constantFrom(...APPLICANT_KINDS) }),
  fc.record({
    op: fc.constant('merge' as const),
    picks: fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 3 }),
    absorb: fc.boolean(),
    gapDays: fc.integer({ min: 1, max: 400 }),
  }),
);

/** Checks the register on `day`: issued = held, every number once, and every holder exists that day. */
async function expectConsistent(pool: Pool, day: string): Promise<void> {
  const issued = await sharesIssued(pool);
  const holdings = await registry.holdings(pool, SOCOM_BUSINESS_ID, day);
  const ranges = holdings.map((h) => ({ first: h.firstNo, last: h.lastNo }));
  const held = ranges.reduce((n, r) => n + r.last - r.first + 1, 0);
  expect({ day, held }).toEqual({ day, held: issued });
  expect({ day, check: checkRegister(issued, ranges) }).toEqual({ day, check: { ok: true } });
  for (const holderId of new Set(holdings.map((h) => h.holderId))) {
    const org = await registry.organisation(pool, holderId);
    const exists = org !== null && org.validFrom <= day && (org.validTo === null || org.validTo >= day);
    expect({ day, holderId, exists }).toEqual({ day, holderId, exists: true });
  }
}

async function runScenario(ops: Op[]): Promise<void> {
  const db = await createTestDatabase();
  try {
    await seedDemoData(db.pool);
    const onboarding = createOnboardingActivities({ pool: db.pool });
    const merger = createShareholdingMergerActivities({ pool: db.pool });
    // Effective dates only move forward, all after today (a merger is planned ahead; the workflow transfers on the date).
    let lastEffective = TODAY;
    const daysToCheck = new Set<string>([TODAY, '2100-01-01']);
    let step = 0;

    for (const o of ops) {
      step += 1;
      const issuedBefore = await sharesIssued(db.pool);
      if (o.op === 'onboard') {
        const base = associationApplication({ shares: o.shares });
        const input: OnboardingInput = { ...base, applicant: { ...base.applicant, kind: o.kind } };
        const wf = `prop-onboard-${step}`;
        expect(await onboarding.checkApplicant(input, TODAY)).toMatchObject({ ok: true });
        await onboarding.reserveShares({ workflowId: wf, company: SOCOM_BUSINESS_ID, applicantId: input.applicant.businessId, shares: o.shares });
        const range = await onboarding.registerShares({
          workflowId: wf, company: SOCOM_BUSINESS_ID, applicant: input.applicant, shares: o.shares, acquiredOn: TODAY,
        });
        expect(range).toEqual({ first: issuedBefore + 1, last: issuedBefore + o.shares, sharesIssued: issuedBefore + o.shares });
      } else {
        const effectiveDate = addDays(lastEffective, o.gapDays);
        const before = dayBefore(effectiveDate);
        // Candidates: municipalities that hold shares the day before and still exist then.
        const inForce = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, before);
        const candidates: { businessId: string; name: string }[] = [];
        for (const id of [...new Set(inForce.map((h) => h.holderId))].sort()) {
          const org = await registry.organisation(db.pool, id);
          if (org && org.kind === 'municipality' && (org.validTo === null || org.validTo >= before)) {
            candidates.push({ businessId: id, name: org.name });
          }
        }
        const merging = [...new Set(o.picks.map((p) => candidates[p % Math.max(1, candidates.length)]).filter((c) => c !== undefined))];
        if (merging.length === 0) continue;
        const first = merging[0];
        if (!first) continue;
        const into = o.absorb ? { businessId: first.businessId, name: first.name } : { businessId: freshBusinessId(), name: `Uusi kunta ${step}` };
        const input: ShareholdingMergerInput = {
          company: SOCOM_BUSINESS_ID, merging: merging.map((m) => m.businessId), into, effectiveDate,
        };
        const wf = `prop-merge-${step}`;
        const check = await merger.checkShareholdingMerger(input);
        if (!check.ok) throw new Error(`generated merger refused: ${check.reason}`);
        const expectedMoved = check.holders.reduce((n, h) => n + h.shares, 0);
        const beforeView = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, before);

        const moved = await merger.transferMergedHoldings({ workflowId: wf, input });
        expect(moved.movedShares).toBe(expectedMoved);
        expect(await merger.transferMergedHoldings({ workflowId: wf, input })).toEqual(moved);

        expect(await sharesIssued(db.pool)).toBe(issuedBefore);
        expect(await registry.holdings(db.pool, SOCOM_BUSINESS_ID, before)).toEqual(beforeView);
        const onDate = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, effectiveDate);
        const merged = new Set(input.merging.filter((id) => id !== into.businessId));
        expect(onDate.filter((h) => merged.has(h.holderId))).toEqual([]);
        lastEffective = effectiveDate;
        daysToCheck.add(before);
        daysToCheck.add(effectiveDate);
      }
      expect(await sharesIssued(db.pool)).toBeGreaterThanOrEqual(issuedBefore);
      for (const day of daysToCheck) await expectConsistent(db.pool, day);
    }
  } finally {
    await db.drop();
  }
}

describe('property: the register stays consistent', () => {
  test('random onboard registrations and shareholding-merger transfers keep issued = held on every date from today', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 6 }), async (ops) => {
        await runScenario(ops);
      }),
      { numRuns: 15 },
    );
  });
});
