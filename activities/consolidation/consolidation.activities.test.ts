import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { createConsolidationActivities } from './consolidation.activities';
import { SOCOM_BUSINESS_ID } from '../../infra/seed/demo-data';
import {
  ITA_UUSIMAA_MUNICIPALITY_IDS, PAIJAT_HAME_MUNICIPALITY_IDS, SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, VERSO_BUSINESS_ID,
  effectiveDateAfter, seedConsolidationDemo, uusimaaConsolidationInput,
} from '../../infra/seed/demo-consolidation';
import { seedDemoData } from '../../infra/seed/seed';
import { ConsolidationRepository } from '../../libs/db/repositories/consolidation.repository';
import { RegistryRepository } from '../../libs/db/repositories/registry.repository';
import { consolidationInputSchema, consolidationOrganisations, type ConsolidationInput } from '../../libs/domain/consolidation';
import { dayBefore } from '../../libs/domain/duration';
import { checkRegister } from '../../libs/domain/shares';
import { createTestDatabase, type TestDatabase } from '../../test/support/harness';

const repo = new ConsolidationRepository();
const registry = new RegistryRepository();
const EFFECTIVE = effectiveDateAfter(new Date(), 120);
const LAST_DAY = dayBefore(EFFECTIVE);
let db: TestDatabase;
let acts: ReturnType<typeof createConsolidationActivities>;
let input: ConsolidationInput;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db.pool);
  await seedConsolidationDemo(db.pool);
  acts = createConsolidationActivities({ pool: db.pool });
  input = uusimaaConsolidationInput(EFFECTIVE);
});

afterAll(async () => {
  await db?.drop();
});

const touched = () => repo.snapshotRows(db.pool, consolidationOrganisations(input));
const count = async (sql: string, params: unknown[]) => Number((await db.pool.query<{ n: string }>(sql, params)).rows[0]?.n);

it('seeding twice adds nothing twice', async () => {
  const before = await count('SELECT count(*) AS n FROM service_areas', []);
  await seedConsolidationDemo(db.pool);
  expect(await count('SELECT count(*) AS n FROM service_areas', [])).toBe(before);
  expect(before).toBe(4 + 15 + 7 + 10);
});

describe('prepareConsolidation', () => {
  it('takes the snapshot once and shows the carve-out, the combined area and the funding shares', async () => {
    const workflowId = `wf-${randomUUID()}`;
    const first = await acts.prepareConsolidation({ workflowId, input });
    if (!first.ok) throw new Error(first.reason);
    const verso = first.plan.carveOuts.find((c) => c.party === VERSO_BUSINESS_ID);
    expect([...(verso?.moving ?? [])].sort()).toEqual([...ITA_UUSIMAA_MUNICIPALITY_IDS].sort());
    expect([...(verso?.staying ?? [])].sort()).toEqual([...PAIJAT_HAME_MUNICIPALITY_IDS].sort());
    expect(first.plan.receivingAfter.municipalities).toBe(26);
    const receiving = first.plan.funding?.receiving;
    expect(receiving?.key).toBe(SOCCA_BUSINESS_ID);
    expect(receiving?.after.share).toBeGreaterThan(receiving?.before.share ?? 1);
    expect(first.plan.funding?.after.reduce((n, s) => n + s.cents, 0)).toBe(input.stateAid.totalCents);
    const snapshot = await repo.snapshot(db.pool, workflowId);
    expect(snapshot).toEqual(await touched());
    expect(first.snapshotRows).toBe((snapshot?.organisations.length ?? 0) + (snapshot?.serviceAreas.length ?? 0) + (snapshot?.holdings.length ?? 0) + (snapshot?.shareRegister.length ?? 0));

    // A retry (after the registry changed meanwhile) keeps the first snapshot.
    await repo.addHolding(db.pool, { kind: 'staff', ref: `TMP-${randomUUID().slice(0, 8)}-1`, organisationId: VERSO_BUSINESS_ID, validFrom: '2024-01-01' });
    const again = await acts.prepareConsolidation({ workflowId, input });
    expect(again.ok).toBe(true);
    expect(await repo.snapshot(db.pool, workflowId)).toEqual(snapshot);
    expect(await count('SELECT count(*) AS n FROM consolidation_snapshots WHERE workflow_id = $1', [workflowId])).toBe(1);
  });

  it('refuses a part naming a municipality its party does not serve', async () => {
    const bad = consolidationInputSchema.parse({
      ...input, parties: input.parties.map((p) => (p.businessId === VERSO_BUSINESS_ID ? { ...p, municipalities: [...p.municipalities, SOCCA_BUSINESS_ID] } : p)),
    });
    const r = await acts.prepareConsolidation({ workflowId: `wf-${randomUUID()}`, input: bad });
    expect(r).toEqual({ ok: false, reason: `parties.2.municipalities.7: Verso – sosiaalialan osaamiskeskus does not serve ${SOCCA_BUSINESS_ID}` });
  });
});

describe('transfers and their undo', () => {
  it('a retried transfer writes nothing twice, and an undo restores the exact rows', async () => {
    const workflowId = `wf-${randomUUID()}`;
    const before = await touched();
    const t = { workflowId, partyId: VERSO_BUSINESS_ID, kind: 'staff' as const, ref: 'VERSO-S-102', to: SOCCA_BUSINESS_ID, effectiveDate: EFFECTIVE };
    expect(await acts.transferHolding(t)).toEqual({ step: 'staff:VERSO-S-102', outcome: 'transferred', repeated: false });
    expect(await acts.transferHolding(t)).toEqual({ step: 'staff:VERSO-S-102', outcome: 'transferred', repeated: true });
    expect(await count(`SELECT count(*) AS n FROM centre_holdings WHERE ref = 'VERSO-S-102'`, [])).toBe(2);
    expect(await repo.holderOn(db.pool, 'staff', 'VERSO-S-102', LAST_DAY)).toMatchObject({ organisationId: VERSO_BUSINESS_ID });
    expect(await repo.holderOn(db.pool, 'staff', 'VERSO-S-102', EFFECTIVE)).toMatchObject({ organisationId: SOCCA_BUSINESS_ID });

    expect(await acts.transfersToUndo(workflowId)).toEqual([{ step: 'staff:VERSO-S-102', partyId: VERSO_BUSINESS_ID, kind: 'staff', ref: 'VERSO-S-102' }]);
    expect(await acts.undoTransfer({ workflowId, step: 'staff:VERSO-S-102' })).toEqual({ undone: true });
    expect(await acts.undoTransfer({ workflowId, step: 'staff:VERSO-S-102' })).toEqual({ undone: false });
    expect(await acts.transfersToUndo(workflowId)).toEqual([]);
    expect(await touched()).toEqual(before);
  });

  it('refuses (non-retryable) to move what another centre holds', async () => {
    const err = await acts
      .transferHolding({ workflowId: `wf-${randomUUID()}`, partyId: VERSO_BUSINESS_ID, kind: 'staff', ref: 'STAITO-S-001', to: SOCCA_BUSINESS_ID, effectiveDate: EFFECTIVE })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect((err as ApplicationFailure).type).toBe('NotThePartysHolding');
  });

  it('moves a shareholding number for number, once, and undoes it exactly', async () => {
    // Illustrative for this test only: Sosiaalitaito holds the next five Socom share numbers.
    const company = await registry.company(db.pool, SOCOM_BUSINESS_ID);
    const first = (company?.sharesIssued ?? 0) + 1;
    await registry.insertHolding(db.pool, {
      companyId: SOCOM_BUSINESS_ID, holderId: SOSIAALITAITO_BUSINESS_ID, firstNo: first, lastNo: first + 4, acquiredOn: '2020-01-01', workflowId: 'test', step: 'fixture',
    });
    await registry.setSharesIssued(db.pool, SOCOM_BUSINESS_ID, first + 4);
    const before = await touched();
    const workflowId = `wf-${randomUUID()}`;
    const t = { workflowId, partyId: SOSIAALITAITO_BUSINESS_ID, companyId: SOCOM_BUSINESS_ID, to: SOCCA_BUSINESS_ID, effectiveDate: EFFECTIVE };
    expect(await acts.transferShareholdings(t)).toEqual({ ranges: [{ firstNo: first, lastNo: first + 4 }], shares: 5, repeated: false });
    expect(await acts.transferShareholdings(t)).toEqual({ ranges: [{ firstNo: first, lastNo: first + 4 }], shares: 5, repeated: true });
    const onEffective = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, EFFECTIVE);
    expect(onEffective.filter((h) => h.holderId === SOCCA_BUSINESS_ID).map((h) => [h.firstNo, h.lastNo])).toEqual([[first, first + 4]]);
    expect(checkRegister(first + 4, onEffective.map((h) => ({ first: h.firstNo, last: h.lastNo }))).ok).toBe(true);
    expect((await registry.holdings(db.pool, SOCOM_BUSINESS_ID, LAST_DAY)).some((h) => h.holderId === SOSIAALITAITO_BUSINESS_ID)).toBe(true);

    for (const u of await acts.transfersToUndo(workflowId)) await acts.undoTransfer({ workflowId, step: u.step });
    expect(await touched()).toEqual(before);
  });
});

describe('batches', () => {
  const inActivity = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A) => new MockActivityEnvironment().run(fn, ...args);

  it('prepare stores each party\'s items once, in input order, and counts them', async () => {
    const workflowId = `wf-${randomUUID()}`;
    const first = await acts.prepareConsolidation({ workflowId, input });
    const again = await acts.prepareConsolidation({ workflowId, input });
    const counts = [
      { partyId: SOSIAALITAITO_BUSINESS_ID, staff: 4, agreements: 2, projects: 2 },
      { partyId: VERSO_BUSINESS_ID, staff: 3, agreements: 1, projects: 1 },
    ];
    expect([first.ok && first.items, again.ok && again.items]).toEqual([counts, counts]);
    const rows = await db.pool.query<{ ref: string }>('SELECT ref FROM consolidation_items WHERE workflow_id = $1 ORDER BY position', [workflowId]);
    expect(rows.rows.map((r) => r.ref).slice(0, 5)).toEqual(['STAITO-S-001', 'STAITO-S-002', 'STAITO-S-003', 'STAITO-S-004', 'STAITO-SOP-2020-11']);
  });

  it('a retried batch moves nothing twice; undo batches, newest first, restore the exact rows', async () => {
    const workflowId = `wf-${randomUUID()}`;
    const before = await touched();
    const verso = input.parties.find((p) => p.businessId === VERSO_BUSINESS_ID);
    if (!verso) throw new Error('the demo has Verso');
    await acts.storePartyItems({ workflowId, party: verso });
    const batch = (cursor: number) =>
      inActivity(acts.transferBatch, { workflowId, partyId: VERSO_BUSINESS_ID, kind: 'staff', to: SOCCA_BUSINESS_ID, effectiveDate: EFFECTIVE, cursor, limit: 2 });
    expect(await batch(0)).toEqual({ cursor: 2, moved: 2, covered: 2, total: 3, done: false });
    // The same batch again (its answer lost): nothing is written twice.
    expect(await batch(0)).toEqual({ cursor: 2, moved: 0, covered: 2, total: 3, done: false });
    expect(await batch(2)).toEqual({ cursor: 3, moved: 1, covered: 1, total: 3, done: true });
    expect(await count(`SELECT count(*) AS n FROM centre_holdings WHERE source_workflow_id = $1`, [workflowId])).toBe(3);
    expect(await repo.holderOn(db.pool, 'staff', 'VERSO-S-103', EFFECTIVE)).toMatchObject({ organisationId: SOCCA_BUSINESS_ID });
    expect(await repo.holderOn(db.pool, 'staff', 'VERSO-S-103', LAST_DAY)).toMatchObject({ organisationId: VERSO_BUSINESS_ID });

    const undo = () => inActivity(acts.undoBatch, { workflowId, limit: 2 });
    expect(await undo()).toEqual({ undone: 2, remaining: 1, kinds: { staff: 2 } });
    expect((await repo.transfers(db.pool, workflowId)).map((t) => [t.ref, t.undone])).toEqual([['VERSO-S-101', false], ['VERSO-S-102', true], ['VERSO-S-103', true]]);
    expect(await undo()).toEqual({ undone: 1, remaining: 0, kinds: { staff: 1 } });
    expect(await undo()).toEqual({ undone: 0, remaining: 0, kinds: {} });
    expect(await touched()).toEqual(before);
  });

  it('refuses (non-retryable) a batch with an item another centre holds, and writes none of it', async () => {
    const workflowId = `wf-${randomUUID()}`;
    await acts.storePartyItems({ workflowId, party: { businessId: VERSO_BUSINESS_ID, staff: ['VERSO-S-101', 'STAITO-S-002'], agreements: [], projects: [] } });
    const err = await inActivity(acts.transferBatch, {
      workflowId, partyId: VERSO_BUSINESS_ID, kind: 'staff', to: SOCCA_BUSINESS_ID, effectiveDate: EFFECTIVE, cursor: 0, limit: 1_000,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'NotThePartysHolding', nonRetryable: true, message: `staff STAITO-S-002 is held by ${SOSIAALITAITO_BUSINESS_ID}, not by ${VERSO_BUSINESS_ID}` });
    expect(await repo.transfers(db.pool, workflowId)).toEqual([]);
    expect(await repo.holderOn(db.pool, 'staff', 'VERSO-S-101', EFFECTIVE)).toMatchObject({ organisationId: VERSO_BUSINESS_ID });
  });
});

describe('establishReceivingCentre and applyEffectiveChanges', () => {
  it('a new centre is created once from the effective date, and its undo removes it', async () => {
    const workflowId = `wf-${randomUUID()}`;
    const fresh = consolidationInputSchema.parse({ ...input, receiving: { kind: 'new', businessId: '9900010-6', name: 'Uudenmaan osaamiskeskus', region: 'Uusimaa' } });
    expect(await acts.establishReceivingCentre({ workflowId, input: fresh })).toEqual({ centreId: '9900010-6', created: true });
    expect(await acts.establishReceivingCentre({ workflowId, input: fresh })).toEqual({ centreId: '9900010-6', created: true });
    expect(await registry.organisation(db.pool, '9900010-6')).toMatchObject({ kind: 'centre', region: 'Uusimaa', validFrom: EFFECTIVE, validTo: null });
    expect(await acts.undoReceivingCentre(workflowId)).toEqual({ removedCentre: '9900010-6' });
    expect(await acts.undoReceivingCentre(workflowId)).toEqual({ removedCentre: null });
    expect(await registry.organisation(db.pool, '9900010-6')).toBeNull();
  });

  it('applies the effective-date changes once: Sosiaalitaito ends, Verso keeps only Päijät-Häme, Socca serves all of Uusimaa', async () => {
    const workflowId = `wf-${randomUUID()}`;
    await acts.establishReceivingCentre({ workflowId, input });
    const first = await acts.applyEffectiveChanges({ workflowId, input });
    const again = await acts.applyEffectiveChanges({ workflowId, input });
    expect(again).toEqual(first);
    expect(first.ended).toEqual([{ party: SOSIAALITAITO_BUSINESS_ID, validTo: LAST_DAY }]);
    expect(first.carvedOut).toEqual([{ party: VERSO_BUSINESS_ID, municipalities: [...ITA_UUSIMAA_MUNICIPALITY_IDS].sort() }]);
    expect(first.receivingMunicipalities).toBe(26);
    expect(await repo.served(db.pool, VERSO_BUSINESS_ID, EFFECTIVE)).toEqual([...PAIJAT_HAME_MUNICIPALITY_IDS].sort());
    expect(await registry.organisation(db.pool, VERSO_BUSINESS_ID)).toMatchObject({ validTo: null, mergedInto: null });
    expect(await registry.organisation(db.pool, SOSIAALITAITO_BUSINESS_ID)).toMatchObject({ validTo: LAST_DAY, mergedInto: SOCCA_BUSINESS_ID });
    expect(await count(`SELECT count(*) AS n FROM service_areas WHERE source_workflow_id = $1`, [workflowId])).toBe(15 + 7);
  });
});
