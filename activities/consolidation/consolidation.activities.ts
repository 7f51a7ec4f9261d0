import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { withTransaction } from '../../libs/db/pool';
import { ConsolidationItemsRepository, type BatchOutcome, type PartyItemCounts } from '../../libs/db/repositories/consolidation-items.repository';
import { ConsolidationRepository, type HoldingKind, type TransferKind } from '../../libs/db/repositories/consolidation.repository';
import { RegistryRepository } from '../../libs/db/repositories/registry.repository';
import {
  consolidationInputSchema, consolidationOrganisations, partyRole, planConsolidation, transferringParties,
  type ConsolidationInput, type ConsolidationParty, type ConsolidationPlan,
} from '../../libs/domain/consolidation';
import { dayBefore } from '../../libs/domain/duration';
import { consolidationRegistryIssues } from './consolidation-registry-check';

export type PreparedConsolidation =
  | { ok: true; plan: ConsolidationPlan; snapshotRows: number; items?: PartyItemCounts[] }
  | { ok: false; reason: string };

export type EffectiveSummary = {
  ended: { party: string; validTo: string }[];
  carvedOut: { party: string; municipalities: string[] }[];
  receivingMunicipalities: number;
  region: string;
};

/**
 * The registry side of `consolidateCentres`. Every write is one transaction keyed by the workflow id
 * and a step, so a retried activity writes nothing twice; an undo restores exactly what its write changed.
 */
export function createConsolidationActivities({ pool }: { pool: Pool }) {
  const registry = new RegistryRepository();
  const repo = new ConsolidationRepository();
  const items = new ConsolidationItemsRepository();
  const partyItems = (p: Pick<ConsolidationParty, 'businessId' | 'staff' | 'agreements' | 'projects' | 'itemList'>) => ({
    partyId: p.businessId, staff: p.staff, agreements: p.agreements, projects: p.projects, itemList: p.itemList,
  });

  return {
    /**
     * The *prepared* stage: every party exists and is active, a part names only municipalities it
     * serves; the snapshot of every registry row the consolidation touches is stored (once); the plan
     * (what moves, combined population and area, base-funding shares before and after) is returned.
     */
    async prepareConsolidation(r: { workflowId: string; input: ConsolidationInput }): Promise<PreparedConsolidation> {
      const parsed = consolidationInputSchema.safeParse(r.input);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        return { ok: false, reason: `${first?.path.join('.') ?? 'input'}: ${first?.message ?? 'invalid'}` };
      }
      const input = parsed.data;
      const issues = await consolidationRegistryIssues(pool, input);
      if (issues[0]) return { ok: false, reason: `${issues[0].path}: ${issues[0].message}` };
      const touched = consolidationOrganisations(input);
      // The items the transfers move are stored with the snapshot: the workflow carries counts, never the lists.
      const stored = await withTransaction(pool, async (tx) => {
        const snapshot = await repo.saveSnapshot(tx, r.workflowId, await repo.snapshotRows(tx, touched));
        const repeated = (await items.repeatedItems(tx, input.parties.map(partyItems), 1))[0];
        if (repeated) return { repeated };
        return { snapshot, counts: await items.storeItems(tx, r.workflowId, transferringParties(input).map(partyItems)) };
      });
      if ('repeated' in stored && stored.repeated) {
        const { kind, ref, parties: [first, second] } = stored.repeated;
        return { ok: false, reason: `parties.${second}: ${kind} ${ref} is also named by parties.${first}` };
      }
      const { snapshot, counts } = stored;
      const plan = planConsolidation(input, await repo.centreAreas(pool, dayBefore(input.effectiveDate)));
      const snapshotRows = snapshot.organisations.length + snapshot.serviceAreas.length + snapshot.holdings.length + snapshot.shareRegister.length;
      return { ok: true, plan, snapshotRows, items: counts };
    },

    /** The *established* stage: the receiving centre's record, valid from the effective date (new, or the surviving party with its new region). */
    async establishReceivingCentre(r: { workflowId: string; input: ConsolidationInput }): Promise<{ centreId: string; created: boolean }> {
      const { input } = r;
      return withTransaction(pool, async (tx) => {
        const done = await repo.receiving(tx, r.workflowId, true);
        if (done) return { centreId: done.centreId, created: done.createdCentre };
        const created = input.receiving.kind === 'new';
        if (input.receiving.kind === 'new') {
          if (await registry.organisation(tx, input.receiving.businessId)) {
            throw ApplicationFailure.nonRetryable(`business ID ${input.receiving.businessId} is already taken`, 'ReceivingCentreExists');
          }
          await registry.upsertOrganisation(tx, {
            businessId: input.receiving.businessId, name: input.receiving.name, kind: 'centre', region: input.receiving.region, validFrom: input.effectiveDate,
          });
        } else if (!(await registry.organisation(tx, input.receiving.businessId))) {
          throw ApplicationFailure.nonRetryable(`receiving centre ${input.receiving.businessId} is not in the registry`, 'UnknownReceivingCentre');
        }
        await repo.saveReceiving(tx, {
          workflowId: r.workflowId, centreId: input.receiving.businessId, createdCentre: created, regionAfter: input.receiving.region,
          effectiveDate: input.effectiveDate,
        });
        return { centreId: input.receiving.businessId, created };
      });
    },

    /** Moves one staff member (pseudonymous reference), project or agreement to the receiving centre from the effective date; once. */
    async transferHolding(t: {
      workflowId: string; partyId: string; kind: HoldingKind; ref: string; to: string; effectiveDate: string; counterpartyId?: string | null;
    }): Promise<{ step: string; outcome: 'transferred' | 'kept'; repeated: boolean }> {
      const step = `${t.kind}:${t.ref}`;
      return withTransaction(pool, async (tx) => {
        const done = await repo.transfer(tx, t.workflowId, step);
        if (done) return { step, outcome: done.outcome, repeated: true };
        const holder = await repo.holderOn(tx, t.kind, t.ref, dayBefore(t.effectiveDate));
        if (holder && holder.organisationId !== t.partyId) {
          throw ApplicationFailure.nonRetryable(`${t.kind} ${t.ref} is held by ${holder.organisationId}, not by ${t.partyId}`, 'NotThePartysHolding');
        }
        await repo.moveHolding(tx, {
          workflowId: t.workflowId, step, partyId: t.partyId, kind: t.kind, ref: t.ref, to: t.to, effectiveDate: t.effectiveDate,
          dayBefore: dayBefore(t.effectiveDate), counterpartyId: t.counterpartyId ?? null,
        });
        return { step, outcome: 'transferred', repeated: false };
      });
    },

    /**
     * Stores one party's inline items for its batches, once (a run whose *prepared* stage ran before the
     * items were stored there passes them in its child's input).
     */
    async storePartyItems(r: { workflowId: string; party: Pick<ConsolidationParty, 'businessId' | 'staff' | 'agreements' | 'projects'> }): Promise<PartyItemCounts[]> {
      return withTransaction(pool, (tx) => items.storeItems(tx, r.workflowId, [partyItems(r.party)]));
    },

    /**
     * Moves the party's next batch of staff or agreements (after `cursor`, at most `limit`) to the receiving
     * centre from the effective date: one transaction keyed by the items' natural keys, so a retry moves
     * nothing twice. Heartbeats, so a worker that dies mid-batch is noticed within the heartbeat timeout.
     */
    async transferBatch(t: {
      workflowId: string; partyId: string; kind: 'staff' | 'agreement'; to: string; effectiveDate: string; cursor: number; limit: number;
    }): Promise<BatchOutcome> {
      return whileHeartbeating(() => withTransaction(pool, (tx) => items.moveBatch(tx, { ...t, dayBefore: dayBefore(t.effectiveDate) }, ({ ref, holder }) =>
        ApplicationFailure.nonRetryable(`${t.kind} ${ref} is held by ${holder}, not by ${t.partyId}`, 'NotThePartysHolding'))));
    },

    /** Undoes the newest `limit` moves not yet undone in one transaction; `remaining` says how many are left. */
    async undoBatch(r: { workflowId: string; limit: number }): Promise<{ undone: number; remaining: number; kinds: Record<string, number> }> {
      return whileHeartbeating(() => withTransaction(pool, (tx) => items.undoBatch(tx, r.workflowId, r.limit)));
    },

    /** Moves the party's shareholding in a company to the receiving centre from the effective date, range by range; once. */
    async transferShareholdings(t: {
      workflowId: string; partyId: string; companyId: string; to: string; effectiveDate: string;
    }): Promise<{ ranges: { firstNo: number; lastNo: number }[]; shares: number; repeated: boolean }> {
      const count = (ranges: { firstNo: number; lastNo: number }[]) => ranges.reduce((n, x) => n + x.lastNo - x.firstNo + 1, 0);
      return withTransaction(pool, async (tx) => {
        if (!(await registry.company(tx, t.companyId, true))) {
          throw ApplicationFailure.nonRetryable(`company ${t.companyId} has no share register`, 'UnknownCompany');
        }
        const done = await repo.movedShareholdings(tx, t.workflowId, t.companyId);
        if (done.length > 0) return { ranges: done, shares: count(done), repeated: true };
        const ranges = await repo.moveShareholdings(tx, t);
        return { ranges, shares: count(ranges), repeated: false };
      });
    },

    /** Records that an item stays with its party (a funder refused its project's transfer); once. */
    async keepHolding(t: { workflowId: string; partyId: string; kind: HoldingKind; ref: string }): Promise<{ step: string }> {
      const step = `${t.kind}:${t.ref}`;
      await repo.keepHolding(pool, { ...t, step });
      return { step };
    },

    /** The moves still to undo, newest first (compensation runs in reverse order). */
    async transfersToUndo(workflowId: string): Promise<{ step: string; partyId: string; kind: TransferKind; ref: string }[]> {
      const rows = await repo.transfers(pool, workflowId);
      return rows.filter((x) => !x.undone).reverse().map(({ step, partyId, kind, ref }) => ({ step, partyId, kind, ref }));
    },

    /** Undoes one move; a retry after it was undone changes nothing. */
    async undoTransfer(r: { workflowId: string; step: string }): Promise<{ undone: boolean }> {
      return withTransaction(pool, async (tx) => ({ undone: await repo.undoMove(tx, r.workflowId, r.step) }));
    },

    /** Undoes the *established* stage: a centre this workflow created is removed again. */
    async undoReceivingCentre(workflowId: string): Promise<{ removedCentre: string | null }> {
      return withTransaction(pool, async (tx) => {
        const rec = await repo.receiving(tx, workflowId, true);
        if (!rec || rec.undone) return { removedCentre: null };
        if (rec.createdCentre) await repo.deleteOrganisation(tx, rec.centreId);
        await repo.markReceivingUndone(tx, workflowId);
        return { removedCentre: rec.createdCentre ? rec.centreId : null };
      });
    },

    /**
     * The *effective* stage, on the effective date: absorbed parties end the day before (merged into the
     * receiving centre), a carved-out part's municipalities leave its party (which stays valid with the
     * rest), and the receiving centre's area and region take effect. Once; a retry returns the same summary.
     */
    async applyEffectiveChanges(r: { workflowId: string; input: ConsolidationInput }): Promise<EffectiveSummary> {
      const { input, workflowId } = r;
      const day = input.effectiveDate;
      const before = dayBefore(day);
      const into = input.receiving.businessId;
      return withTransaction(pool, async (tx) => {
        const rec = await repo.receiving(tx, workflowId, true);
        if (!rec) throw ApplicationFailure.nonRetryable(`consolidation ${workflowId} has no receiving centre established`, 'NotEstablished');
        if (rec.effectiveSummary) return rec.effectiveSummary as EffectiveSummary;
        const summary: EffectiveSummary = { ended: [], carvedOut: [], receivingMunicipalities: 0, region: input.receiving.region };
        for (const p of input.parties) {
          const role = partyRole(input, p);
          if (role === 'receiving') continue;
          const moving = await repo.endServiceAreas(tx, p.businessId, role === 'absorbed' ? null : p.municipalities, before);
          for (const m of moving) await repo.addServiceArea(tx, { centreId: into, municipalityId: m, validFrom: day, workflowId, step: 'effective' });
          if (role === 'absorbed') {
            await registry.endOrganisation(tx, p.businessId, before, into);
            summary.ended.push({ party: p.businessId, validTo: before });
          } else {
            summary.carvedOut.push({ party: p.businessId, municipalities: moving });
          }
        }
        await repo.setRegion(tx, into, input.receiving.region);
        summary.receivingMunicipalities = (await repo.served(tx, into, day)).length;
        await repo.markEffective(tx, workflowId, summary);
        return summary;
      });
    },
  };
}

/** Heartbeats every two seconds while `work` runs (well inside the batches' heartbeat timeout). */
async function whileHeartbeating<T>(work: () => Promise<T>): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat();
  const beat = setInterval(() => ctx.heartbeat(), 2_000);
  try {
    return await work();
  } finally {
    clearInterval(beat);
  }
}
