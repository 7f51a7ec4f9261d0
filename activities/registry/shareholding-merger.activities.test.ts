import { ApplicationFailure } from '@temporalio/activity';
import { createShareholdingMergerActivities } from './shareholding-merger.activities';
import { seedDemoData } from '../../infra/seed/seed';
import { DEMO_ORGANISATIONS, DEMO_SOCOM_SHAREHOLDERS, SOCOM_BUSINESS_ID, THL_BUSINESS_ID } from '../../infra/seed/demo-data';
import { RegistryRepository, type HoldingRow } from '../../libs/db/repositories/registry.repository';
import { dayBefore, isoDate } from '../../libs/domain/duration';
import type { ShareholdingMergerInput } from '../../libs/domain/schemas';
import { checkRegister } from '../../libs/domain/shares';
import { createTestDatabase, type TestDatabase } from '../../test/support/harness';
import { freshBusinessId } from '../../test/support/onboarding-fixtures';

const registry = new RegistryRepository();
const TODAY = isoDate(Date.now());
/** 1 January of next year: always in the future. */
const EFFECTIVE = `${new Date().getUTCFullYear() + 1}-01-01`;
const DAY_BEFORE = dayBefore(EFFECTIVE);
const SOCOM_NAME = DEMO_ORGANISATIONS.find((o) => o.businessId === SOCOM_BUSINESS_ID)?.name ?? '';

function demoOrg(name: string) {
  const found = DEMO_ORGANISATIONS.find((o) => o.name === name);
  if (!found) throw new Error(`no demo organisation ${name}`);
  return found;
}

function demoShares(businessId: string): number {
  const found = DEMO_SOCOM_SHAREHOLDERS.find((s) => s.holderBusinessId === businessId);
  if (!found) throw new Error(`${businessId} is not a demo Socom shareholder`);
  return found.shares;
}

const LEMI = demoOrg('Lemi');
const LUUMAKI = demoOrg('Luumäki');

let db: TestDatabase;
let acts: ReturnType<typeof createShareholdingMergerActivities>;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db.pool);
  acts = createShareholdingMergerActivities({ pool: db.pool });
});

afterAll(async () => {
  await db?.drop();
});

function mergerInput(overrides: Partial<ShareholdingMergerInput> = {}): ShareholdingMergerInput {
  return {
    company: SOCOM_BUSINESS_ID,
    merging: [LEMI.businessId, LUUMAKI.businessId],
    into: { businessId: freshBusinessId(), name: 'Etelä-Saimaan kunta', region: 'Etelä-Karjala', population: 7_507 },
    effectiveDate: EFFECTIVE,
    ...overrides,
  };
}

async function sharesIssued(): Promise<number> {
  const c = await registry.company(db.pool, SOCOM_BUSINESS_ID);
  if (!c) throw new Error('no Socom');
  return c.sharesIssued;
}

function rangesOf(holdings: HoldingRow[], holderId?: string) {
  return holdings.filter((h) => holderId === undefined || h.holderId === holderId).map((h) => ({ first: h.firstNo, last: h.lastNo }));
}

describe('checkShareholdingMerger', () => {
  test('two demo shareholders merging into a new municipality pass, with their shares', async () => {
    expect(await acts.checkShareholdingMerger(mergerInput())).toEqual({
      ok: true,
      companyName: SOCOM_NAME,
      holders: [
        { businessId: LEMI.businessId, name: 'Lemi', shares: demoShares(LEMI.businessId) },
        { businessId: LUUMAKI.businessId, name: 'Luumäki', shares: demoShares(LUUMAKI.businessId) },
      ],
    });
  });

  test('input the schema refuses: a municipality listed twice, a malformed business ID, a bad date', async () => {
    const twice = await acts.checkShareholdingMerger(mergerInput({ merging: [LEMI.businessId, LEMI.businessId] }));
    expect(twice).toEqual({ ok: false, reason: 'merging: lists a municipality twice' });

    const malformed = await acts.checkShareholdingMerger(mergerInput({ merging: [LEMI.businessId, '2229500-5'] }));
    expect(malformed).toMatchObject({ ok: false, reason: expect.stringMatching(/^merging\.1: /) });

    const badDate = await acts.checkShareholdingMerger(mergerInput({ effectiveDate: '2027-02-30' }));
    expect(badDate).toEqual({ ok: false, reason: 'effectiveDate: must be a date as YYYY-MM-DD' });

    const none = await acts.checkShareholdingMerger(mergerInput({ merging: [] }));
    expect(none).toMatchObject({ ok: false, reason: expect.stringMatching(/^merging: /) });
  });

  test('an unknown company, and an organisation without a share register, are refused', async () => {
    const unknown = freshBusinessId();
    expect(await acts.checkShareholdingMerger(mergerInput({ company: unknown }))).toEqual({
      ok: false, reason: `company ${unknown} is not in the registry`,
    });
    expect(await acts.checkShareholdingMerger(mergerInput({ company: THL_BUSINESS_ID }))).toEqual({
      ok: false, reason: `company ${THL_BUSINESS_ID} is not in the registry`,
    });
  });

  test('a merging municipality that is not in the registry is refused', async () => {
    const ghost = freshBusinessId();
    expect(await acts.checkShareholdingMerger(mergerInput({ merging: [LEMI.businessId, ghost] }))).toEqual({
      ok: false, reason: `municipality ${ghost} is not in the registry`,
    });
  });

  test('a merging organisation that is not a municipality is refused', async () => {
    const xamk = DEMO_ORGANISATIONS.find((o) => o.kind === 'uas' && DEMO_SOCOM_SHAREHOLDERS.some((s) => s.holderBusinessId === o.businessId));
    if (!xamk) throw new Error('no uas shareholder in the demo data');
    expect(await acts.checkShareholdingMerger(mergerInput({ merging: [LEMI.businessId, xamk.businessId] }))).toEqual({
      ok: false, reason: `${xamk.name} is not a municipality`,
    });
  });

  test('a municipality that no longer exists the day before the effective date is refused', async () => {
    const joutseno = demoOrg('Joutseno'); // merged into Lappeenranta 2009-01-01
    expect(await acts.checkShareholdingMerger(mergerInput({ merging: [LEMI.businessId, joutseno.businessId] }))).toEqual({
      ok: false, reason: `Joutseno no longer exists on ${DAY_BEFORE}`,
    });
    // On a date when it still existed it is refused too: the seed records its merger into Lappeenranta,
    // and a municipality merges once.
    const historic = await acts.checkShareholdingMerger(mergerInput({ merging: [joutseno.businessId], effectiveDate: '2008-06-01' }));
    expect(historic).toMatchObject({ ok: false, reason: expect.stringMatching(/^Joutseno is already merged into /) });
  });

  test('a municipality absorbing another (the new one is among the merging) passes', async () => {
    const lappeenranta = demoOrg('Lappeenranta');
    const result = await acts.checkShareholdingMerger(mergerInput({
      merging: [lappeenranta.businessId, LEMI.businessId], into: { businessId: lappeenranta.businessId, name: 'Lappeenranta' },
    }));
    expect(result).toMatchObject({ ok: true, holders: [{ shares: demoShares(lappeenranta.businessId) }, { shares: demoShares(LEMI.businessId) }] });
  });

  test('an existing organisation that is not a municipality cannot be the receiving municipality', async () => {
    const xamk = DEMO_ORGANISATIONS.find((o) => o.kind === 'uas' && DEMO_SOCOM_SHAREHOLDERS.some((s) => s.holderBusinessId === o.businessId));
    if (!xamk) throw new Error('no uas shareholder in the demo data');
    const result = await acts.checkShareholdingMerger(mergerInput({ into: { businessId: xamk.businessId, name: xamk.name } }));
    expect(result).toEqual({ ok: false, reason: `${xamk.name} is not a municipality` });
  });
});

describe('transferMergedHoldings', () => {
  test('unknown company: fails without retry and changes nothing', async () => {
    const input = mergerInput({ company: THL_BUSINESS_ID });
    const err = await acts.transferMergedHoldings({ workflowId: 'test-merger-unknown', input }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'UnknownCompany', nonRetryable: true });
    expect(await registry.organisation(db.pool, input.into.businessId)).toBeNull();
    expect((await registry.organisation(db.pool, LEMI.businessId))?.validTo).toBeNull();
  });

  test('moves the merged municipalities\' share numbers to the new municipality once, from the effective date', async () => {
    const input = mergerInput();
    const workflowId = `test-merger-${process.pid}-${Date.now()}`;
    const newId = input.into.businessId;
    const issuedBefore = await sharesIssued();
    const todayBefore = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, TODAY);
    const dayBeforeBefore = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, DAY_BEFORE);
    const effectiveBefore = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, EFFECTIVE);
    const mergedRanges = rangesOf(dayBeforeBefore.filter((h) => input.merging.includes(h.holderId)));
    const expectedShares = demoShares(LEMI.businessId) + demoShares(LUUMAKI.businessId);
    expect(mergedRanges.reduce((n, r) => n + r.last - r.first + 1, 0)).toBe(expectedShares);

    const first = await acts.transferMergedHoldings({ workflowId, input });
    expect(first).toEqual({ movedShares: expectedShares, ranges: mergedRanges });
    const second = await acts.transferMergedHoldings({ workflowId, input });
    expect(second).toEqual(first);

    // Moved once: one new row per range, each old row ended once.
    const rows = await db.pool.query(
      `SELECT holder_id, first_no, last_no, to_char(acquired_on, 'YYYY-MM-DD') AS acquired_on, disposed_on
         FROM share_register WHERE source_workflow_id = $1 ORDER BY first_no`,
      [workflowId],
    );
    expect(rows.rows).toEqual(mergedRanges.map((r) => ({ holder_id: newId, first_no: r.first, last_no: r.last, acquired_on: EFFECTIVE, disposed_on: null })));
    const ended = await db.pool.query(
      `SELECT holder_id, to_char(disposed_on, 'YYYY-MM-DD') AS disposed_on FROM share_register
        WHERE company_id = $1 AND holder_id = ANY($2::text[]) ORDER BY first_no`,
      [SOCOM_BUSINESS_ID, input.merging],
    );
    expect(ended.rows).toEqual(input.merging.map((id) => ({ holder_id: id, disposed_on: EFFECTIVE })));

    // The merged municipalities end the day before, pointing at the new one, which starts on the date.
    for (const id of input.merging) {
      expect(await registry.organisation(db.pool, id)).toMatchObject({ validTo: DAY_BEFORE, mergedInto: newId });
    }
    expect(await registry.organisation(db.pool, newId)).toMatchObject({
      businessId: newId, name: input.into.name, kind: 'municipality', region: 'Etelä-Karjala', population: 7_507,
      validFrom: EFFECTIVE, validTo: null, mergedInto: null,
    });

    // From the effective date the new municipality holds exactly those numbers; nobody else changed.
    const onDate = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, EFFECTIVE);
    expect(rangesOf(onDate, newId)).toEqual(mergedRanges);
    expect(onDate.filter((h) => h.holderId === newId).every((h) => h.acquiredOn === EFFECTIVE && h.holderName === input.into.name)).toBe(true);
    expect(onDate.filter((h) => input.merging.includes(h.holderId))).toEqual([]);
    const others = (hs: HoldingRow[]) => hs.filter((h) => h.holderId !== newId && !input.merging.includes(h.holderId));
    expect(others(onDate)).toEqual(others(effectiveBefore));
    expect(await registry.holdsShares(db.pool, SOCOM_BUSINESS_ID, newId, EFFECTIVE)).toBe(true);
    expect(await registry.holdsShares(db.pool, SOCOM_BUSINESS_ID, newId, DAY_BEFORE)).toBe(false);

    // Issued shares do not change, and the register adds up before and after the date.
    const issued = await sharesIssued();
    expect(issued).toBe(issuedBefore);
    expect(checkRegister(issued, rangesOf(onDate))).toEqual({ ok: true });
    expect(checkRegister(issued, rangesOf(await registry.holdings(db.pool, SOCOM_BUSINESS_ID, DAY_BEFORE)))).toEqual({ ok: true });

    // Before the date the old holders still show, today and on the last day.
    expect(await registry.holdings(db.pool, SOCOM_BUSINESS_ID, DAY_BEFORE)).toEqual(dayBeforeBefore);
    expect(await registry.holdings(db.pool, SOCOM_BUSINESS_ID, TODAY)).toEqual(todayBefore);
    for (const id of input.merging) {
      expect(await registry.holdsShares(db.pool, SOCOM_BUSINESS_ID, id, DAY_BEFORE)).toBe(true);
      expect(await registry.holdsShares(db.pool, SOCOM_BUSINESS_ID, id, EFFECTIVE)).toBe(false);
    }

    // A later check of the same merger sees that the municipalities are gone by then.
    const later = `${Number(EFFECTIVE.slice(0, 4)) + 1}-01-01`;
    const again = await acts.checkShareholdingMerger({ ...input, effectiveDate: later });
    expect(again).toEqual({ ok: false, reason: `Lemi no longer exists on ${dayBefore(later)}` });
  });

  test('a retry under the same workflow id after the move changes nothing, even with other municipalities listed', async () => {
    // The step is keyed by workflow id: what was moved is what the retry reports.
    const input = mergerInput({ merging: [demoOrg('Rautjärvi').businessId] });
    const workflowId = `test-merger-retry-${process.pid}-${Date.now()}`;
    const moved = await acts.transferMergedHoldings({ workflowId, input });
    expect(moved.movedShares).toBe(demoShares(demoOrg('Rautjärvi').businessId));
    const snapshot = await db.pool.query('SELECT * FROM share_register ORDER BY id');
    const retried = await acts.transferMergedHoldings({ workflowId, input: { ...input, merging: [demoOrg('Parikkala').businessId] } });
    expect(retried).toEqual(moved);
    expect((await db.pool.query('SELECT * FROM share_register ORDER BY id')).rows).toEqual(snapshot.rows);
  });

  test('concurrent retries of one transfer move the holdings once', async () => {
    const input = mergerInput({ merging: [demoOrg('Savitaipale').businessId, demoOrg('Taipalsaari').businessId] });
    const workflowId = `test-merger-concurrent-${process.pid}-${Date.now()}`;
    const results = await Promise.all([1, 2, 3].map(() => acts.transferMergedHoldings({ workflowId, input })));
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    expect(results[0]?.movedShares).toBe(input.merging.reduce((n, id) => n + demoShares(id), 0));
    expect(await registry.stepRanges(db.pool, workflowId, 'transferred')).toHaveLength(2);
    const issued = await sharesIssued();
    expect(checkRegister(issued, rangesOf(await registry.holdings(db.pool, SOCOM_BUSINESS_ID, EFFECTIVE)))).toEqual({ ok: true });
  });

  test('a municipality already merged into another is refused for a merger with an earlier date', async () => {
    const miehikkala = demoOrg('Miehikkälä');
    const laterDate = `${Number(EFFECTIVE.slice(0, 4)) + 2}-01-01`;
    const first = mergerInput({ merging: [miehikkala.businessId], effectiveDate: laterDate });
    await acts.transferMergedHoldings({ workflowId: `test-merger-later-${process.pid}-${Date.now()}`, input: first });
    expect(await registry.organisation(db.pool, miehikkala.businessId)).toMatchObject({ mergedInto: first.into.businessId });

    const earlier = mergerInput({ merging: [miehikkala.businessId], effectiveDate: EFFECTIVE });
    const check = await acts.checkShareholdingMerger(earlier);
    expect(check.ok).toBe(false);
  });

  test('an absorbing municipality keeps its own numbers and takes the other\'s, without ending itself', async () => {
    const imatra = demoOrg('Imatra');
    const ruokolahti = demoOrg('Ruokolahti');
    const input = mergerInput({ merging: [ruokolahti.businessId, imatra.businessId], into: { businessId: imatra.businessId, name: 'Imatra' } });
    const workflowId = `test-merger-absorb-${process.pid}-${Date.now()}`;
    const before = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, DAY_BEFORE);
    const expected = rangesOf(before.filter((h) => input.merging.includes(h.holderId))).sort((a, b) => a.first - b.first);

    const moved = await acts.transferMergedHoldings({ workflowId, input });
    expect(moved).toEqual({ movedShares: demoShares(imatra.businessId) + demoShares(ruokolahti.businessId), ranges: expected });
    const onDate = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, EFFECTIVE);
    expect(rangesOf(onDate, imatra.businessId)).toEqual(expected);
    expect(rangesOf(onDate, ruokolahti.businessId)).toEqual([]);
    expect(await registry.organisation(db.pool, imatra.businessId)).toMatchObject({ validTo: null, mergedInto: null, validFrom: imatra.validFrom });
    expect(await registry.organisation(db.pool, ruokolahti.businessId)).toMatchObject({ validTo: DAY_BEFORE, mergedInto: imatra.businessId });
    expect(await registry.holdings(db.pool, SOCOM_BUSINESS_ID, DAY_BEFORE)).toEqual(before);
  });
});
