/**
 * W10: the 2023 reform. 22 consolidations (the 21 wellbeing services counties and Helsinki), each of its
 * county's two transferring joint authorities into a new county, with 220,000 staff references in all, driven
 * from launch to completed on Temporal's time-skipping test server: every run goes through its study, its
 * decisions and its transfers (batches of 1,000 from uploaded item lists), waits at the effective date, the
 * clock skips to it once for all of them (as 1 January 2023 came for all counties at once), and each closes
 * its integration checklist. Before them, the largest county is launched, moved and cancelled while it waits
 * for the effective date; its registry rows must be exactly the snapshot again.
 */
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Pool } from 'pg';
import { effectiveDateAfter } from '../../infra/seed/demo-consolidation';
import { demoId } from '../../infra/seed/demo-data';
import { findTestServer } from '../../infra/temporal/provision';
import { createPool } from '../../libs/db/pool';
import { ConsolidationRepository } from '../../libs/db/repositories/consolidation.repository';
import { RegistryRepository } from '../../libs/db/repositories/registry.repository';
import { consolidationInputSchema, consolidationOrganisations, type ConsolidationInput } from '../../libs/domain/consolidation';
import type { Actor } from '../../libs/domain/progress';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../libs/temporal/search-attributes';
import type { ConsolidationResult } from '../../workflows/consolidation/consolidate-centres.workflow';
import { cancelUpdate, decideUpdate, eventUpdate, progressQuery } from '../../workflows/kit/messages';
import { historySizes, startWorkerProgram, uploadStaffList, type HistorySizes } from './consolidation-support';

/**
 * The counties with their population (2022, rounded) and, where public figures give it, the staff that moved:
 * Pirkanmaa ~19,000 and Vantaa–Kerava ~4,300 (its hospital care stayed with HUS). The other twenty share the
 * rest of the reform's ~220,000 IN PROPORTION TO POPULATION: an approximation, not their real figures.
 */
export const REFORM_COUNTIES: ReadonlyArray<{ name: string; population: number; staff?: number }> = [
  { name: 'Itä-Uusimaa', population: 99_000 }, { name: 'Keski-Uusimaa', population: 200_000 },
  { name: 'Länsi-Uusimaa', population: 480_000 }, { name: 'Vantaa–Kerava', population: 275_000, staff: 4_300 },
  { name: 'Helsinki', population: 658_000 }, { name: 'Varsinais-Suomi', population: 483_000 },
  { name: 'Satakunta', population: 214_000 }, { name: 'Kanta-Häme', population: 170_000 },
  { name: 'Pirkanmaa', population: 525_000, staff: 19_000 }, { name: 'Päijät-Häme', population: 205_000 },
  { name: 'Kymenlaakso', population: 162_000 }, { name: 'Etelä-Karjala', population: 127_000 },
  { name: 'Etelä-Savo', population: 131_000 }, { name: 'Pohjois-Savo', population: 248_000 },
  { name: 'Pohjois-Karjala', population: 163_000 }, { name: 'Keski-Suomi', population: 275_000 },
  { name: 'Etelä-Pohjanmaa', population: 191_000 }, { name: 'Pohjanmaa', population: 176_000 },
  { name: 'Keski-Pohjanmaa', population: 68_000 }, { name: 'Pohjois-Pohjanmaa', population: 415_000 },
  { name: 'Kainuu', population: 72_000 }, { name: 'Lappi', population: 177_000 },
];
export const REFORM_STAFF = 220_000;

export type CountyPlan = { name: string; slug: string; staff: number; parties: [string, string]; receiving: string; split: [number, number] };

/**
 * Each county's staff for a reform of `total` references (the full one: 220,000), scaled from the figures
 * above, the first `counties` of them (quick runs take a few). Staff come from two parties, the hospital
 * district (three fifths) and the joint authority for social and primary care: each stays under the 25,000
 * a party may bring.
 */
export function planReform(total: number, counties = REFORM_COUNTIES.length): CountyPlan[] {
  const fixed = REFORM_COUNTIES.reduce((n, c) => n + (c.staff ?? 0), 0);
  const perPerson = (REFORM_STAFF - fixed) / REFORM_COUNTIES.filter((c) => c.staff === undefined).reduce((n, c) => n + c.population, 0);
  const chosen = REFORM_COUNTIES.slice(0, counties);
  const real = chosen.map((c) => c.staff ?? c.population * perPerson);
  const scale = total / real.reduce((a, b) => a + b, 0);
  // Rounded so that the counties add up to `total` exactly (the last one takes the rounding).
  const staff = real.map((x) => Math.max(2, Math.round(x * scale)));
  staff[staff.length - 1] = Math.max(2, total - staff.slice(0, -1).reduce((a, b) => a + b, 0));
  return chosen.map((c, i) => {
    const n = staff[i] ?? 2;
    const hospital = Math.round(n * 0.6);
    return {
      name: c.name, slug: slugOf(c.name), staff: n, split: [hospital, n - hospital],
      // Demo business IDs in group 9 from serial 7001 on (the portfolio demo uses 5001…).
      parties: [demoId(9, 7001 + i * 3), demoId(9, 7002 + i * 3)], receiving: demoId(9, 7003 + i * 3),
    };
  });
}

function slugOf(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export type ReformRun = {
  consolidations: number; items: number; largestCounty: { name: string; items: number };
  /** From the first launch to the last completed, the 22 runs; `itemsSeconds` from the first run's last decision. */
  seconds: number; itemsSeconds: number; itemsPerSecond: number; statuses: Record<string, number>;
  /** The cancel of the largest: seconds from the cancel to cancelled, rows undone, and whether the registry equals the snapshot. */
  cancel: { items: number; seconds: number; undone: number; restored: boolean; status: string };
  /** Everything W10 took, preparation and the cancel included. */
  wallSeconds: number; workerPeakRssBytes: number;
} & HistorySizes;

const CLERK: Actor = { name: 'bench', role: 'admin' };
const LEAD_DAYS = 120;

/** Runs W10 on `url` (a fresh clone of the bench template) with `lanes` consolidations driven at a time. */
export async function runReform(opts: {
  items: number; counties?: number; lanes: number; url: string; bundlePath: string; progress: (line: string) => void;
}): Promise<ReformRun> {
  const began = performance.now();
  const plan = planReform(opts.items, opts.counties);
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: await findTestServer() } } });
  const namespace = env.namespace ?? 'default';
  const pool = createPool(opts.url, 4);
  const taskQueue = `bench-reform-${randomUUID().slice(0, 8)}`;
  const worker = startWorkerProgram({ url: opts.url, address: env.address, namespace, taskQueue, bundlePath: opts.bundlePath });
  try {
    await env.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS).map(([name, type]) => [
        name, type === 'KeywordList' ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ])),
    });
    // A plain client: the time-skipping client's result() unlocks the clock while it waits, which would let the
    // server skip other runs' deadlines; here time moves only when env.sleep() moves it to the effective date.
    const client = new Client({ connection: env.connection, namespace });
    opts.progress(`W10 reform: seeding ${plan.length} counties, ${opts.items} staff references`);
    const lists = await seedCounties(pool, plan);
    // One effective date for all, LEAD_DAYS after the test server's clock (fixed distance: no dependence on the calendar).
    const effectiveDate = effectiveDateAfter(new Date(await env.currentTimeMs()), LEAD_DAYS);
    const inputs = new Map(plan.map((c) => [c.slug, reformInput(c, lists, effectiveDate, c.slug)]));

    // The cancel: the largest county moved, waiting for its effective date, then cancelled.
    const largest = plan.reduce((a, b) => (b.staff > a.staff ? b : a));
    const cancelInput = reformInput(largest, lists, effectiveDate, `${largest.slug}-cancelled`);
    const repo = new ConsolidationRepository();
    const before = await repo.snapshotRows(pool, consolidationOrganisations(cancelInput));
    opts.progress(`W10 reform: ${largest.name} (${largest.staff} items) to the effective date, then cancelled`);
    const cancelled = await driveToEffective(client, taskQueue, cancelInput);
    const cancelAt = performance.now();
    await cancelled.handle.executeUpdate(cancelUpdate, { args: [{ reason: 'W10: the cancel of the largest county', actor: CLERK }] });
    const cancelResult = (await cancelled.handle.result()) as ConsolidationResult;
    const cancelSeconds = (performance.now() - cancelAt) / 1000;
    const after = await repo.snapshotRows(pool, consolidationOrganisations(cancelInput));
    const cancel = {
      items: largest.staff, seconds: cancelSeconds, undone: cancelResult.undone ?? 0, status: cancelResult.status,
      restored: isDeepStrictEqual(after, before) && isDeepStrictEqual(await repo.snapshot(pool, cancelled.handle.workflowId), before),
    };
    opts.progress(`W10 reform: cancel ${cancel.status}, ${cancel.undone} undone in ${cancel.seconds.toFixed(1)} s, registry ${cancel.restored ? 'restored exactly' : 'NOT restored'}\n`);

    // The reform: every county to its effective date, `lanes` at a time.
    const started = performance.now();
    let firstDecided = Infinity;
    const waiting: Array<{ slug: string; handle: Awaited<ReturnType<typeof driveToEffective>>['handle'] }> = [];
    const queue = [...plan];
    let moved = 0;
    await Promise.all(Array.from({ length: Math.min(opts.lanes, plan.length) }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const r = await driveToEffective(client, taskQueue, inputs.get(c.slug) as ConsolidationInput);
        firstDecided = Math.min(firstDecided, r.decidedAt);
        waiting.push({ slug: c.slug, handle: r.handle });
        moved += c.staff;
        opts.progress(`W10 reform: ${waiting.length}/${plan.length} at the effective date (${c.name}, ${c.staff} items; ${moved}/${opts.items} moved, ${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
      }
    }));
    // Every run still waits at its effective date: the clock has not moved on its own.
    for (const w of waiting) {
      const stage = (await w.handle.query(progressQuery)).stage;
      if (stage !== 'effective') throw new Error(`W10: ${w.handle.workflowId} is at ${stage} before the clock reached its effective date`);
    }
    // 1 January for everyone at once: the clock skips to the effective date.
    const ahead = Date.parse(`${effectiveDate}T01:00:00Z`) - (await env.currentTimeMs());
    if (ahead > 0) await env.sleep(ahead);
    const statuses: Record<string, number> = {};
    for (const w of waiting) {
      await atStage(w.handle, 'integration');
      await w.handle.executeUpdate(eventUpdate, { args: [{ type: 'tasks.closed', payload: { reason: 'continues as line work' }, idempotencyKey: 'tasks.closed', actor: CLERK }] });
      const result = (await w.handle.result()) as ConsolidationResult;
      statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    }
    const ended = performance.now();
    opts.progress(`W10 reform: ${plan.length} consolidations ended in ${((ended - started) / 1000).toFixed(0)} s (${Object.entries(statuses).map(([s, n]) => `${n} ${s}`).join(', ')})\n`);

    const ids = waiting.flatMap((w) => {
      const input = inputs.get(w.slug) as ConsolidationInput;
      return [w.handle.workflowId, ...input.parties.map((p) => `consolidation:${input.slug}/transfer/${p.businessId}`)];
    });
    const sizes = await historySizes(client, ids);
    const itemsSeconds = (ended - firstDecided) / 1000;
    return {
      consolidations: plan.length, items: opts.items, largestCounty: { name: largest.name, items: largest.staff },
      seconds: (ended - started) / 1000, itemsSeconds, itemsPerSecond: opts.items / itemsSeconds, statuses, cancel,
      wallSeconds: (performance.now() - began) / 1000, workerPeakRssBytes: worker.peakRssBytes(), ...sizes,
    };
  } finally {
    await worker.stop();
    await pool.end();
    await env.teardown();
  }
}

/** The counties' parties (two joint authorities each, centres in the registry's terms), their staff and item lists. */
async function seedCounties(pool: Pool, plan: CountyPlan[]): Promise<Map<string, string>> {
  const registry = new RegistryRepository();
  const lists = new Map<string, string>();
  for (const c of plan) {
    const names = [`${c.name} hospital district`, `${c.name} joint authority for social and primary care`];
    for (const [i, party] of c.parties.entries()) {
      await registry.upsertOrganisation(pool, { businessId: party, name: names[i] ?? party, kind: 'centre', region: c.name, validFrom: '2010-01-01' });
      lists.set(party, await uploadStaffList(pool, party, `${c.slug.toUpperCase().slice(0, 12)}-${i + 1}`, c.split[i] ?? 0));
    }
  }
  return lists;
}

function reformInput(c: CountyPlan, lists: Map<string, string>, effectiveDate: string, slug: string): ConsolidationInput {
  const [hospital, social] = c.parties;
  return consolidationInputSchema.parse({
    slug: `reform-${slug}`, effectiveDate,
    parties: [
      { businessId: hospital, label: `${c.name} hospital district`, joins: 'whole', decisionChain: [{ key: 'hospital-district-council', body: 'Hospital district council' }], itemList: lists.get(hospital) },
      { businessId: social, label: `${c.name} joint authority`, joins: 'whole', decisionChain: [{ key: 'joint-authority-council', body: 'Joint authority council' }], itemList: lists.get(social) },
    ],
    receiving: { kind: 'new', businessId: c.receiving, name: c.name === 'Helsinki' ? 'City of Helsinki (social and health care)' : `${c.name} wellbeing services county`, region: c.name },
    feasibility: { owner: 'Interim preparation body', deadline: '30 days' },
    decisions: { deadline: '40 days', reminders: [] },
    consentDeadline: '20 days',
  });
}

type Handle = ReturnType<Client['workflow']['getHandle']>;

async function atStage(handle: Handle, stage: string): Promise<void> {
  for (let waited = 0; (await handle.query(progressQuery)).stage !== stage; waited += 100) {
    if (waited > 1_800_000) throw new Error(`W10: ${handle.workflowId} did not reach ${stage}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Launch, study, both councils' approvals, then its transfers until the run waits for the effective date. */
async function driveToEffective(client: Client, taskQueue: string, input: ConsolidationInput): Promise<{ handle: Handle; decidedAt: number }> {
  const handle = await client.workflow.start('consolidateCentres', { taskQueue, workflowId: `consolidation:${input.slug}`, args: [input] });
  await atStage(handle, 'feasibility');
  await handle.executeUpdate(eventUpdate, { args: [{ type: 'study.completed', payload: { findings: 'The reform act (612/2021).' }, idempotencyKey: 'study', actor: CLERK }] });
  await atStage(handle, 'decisions');
  for (const p of input.parties) {
    await handle.executeUpdate(decideUpdate, { args: [{ gate: 'decisions', party: p.businessId, body: p.decisionChain[0]?.key, decision: 'approve', actor: CLERK }] });
  }
  const decidedAt = performance.now();
  await atStage(handle, 'effective');
  return { handle, decidedAt };
}
