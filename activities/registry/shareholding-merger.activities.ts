import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import { withTransaction, type Queryable } from '../../libs/db/pool';
import { RegistryRepository } from '../../libs/db/repositories/registry.repository';
import { dayBefore } from '../../libs/domain/duration';
import { shareholdingMergerInputSchema, type ShareholdingMergerInput } from '../../libs/domain/schemas';

export type MergerCheck =
  | { ok: true; companyName: string; holders: { businessId: string; name: string; shares: number }[] }
  | { ok: false; reason: string };

export function createShareholdingMergerActivities({ pool }: { pool: Pool }) {
  const registry = new RegistryRepository();
  return {
    async checkShareholdingMerger(input: ShareholdingMergerInput): Promise<MergerCheck> {
      const parsed = shareholdingMergerInputSchema.safeParse(input);
      if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
      const company = await registry.organisation(pool, input.company);
      if (!company || !(await registry.company(pool, input.company))) {
        return { ok: false, reason: `company ${input.company} is not in the registry` };
      }
      const before = dayBefore(input.effectiveDate);
      const holders: { businessId: string; name: string; shares: number }[] = [];
      const inForce = await registry.holdings(pool, input.company, before);
      for (const id of input.merging) {
        const org = await registry.organisation(pool, id);
        if (!org) return { ok: false, reason: `municipality ${id} is not in the registry` };
        if (org.kind !== 'municipality') return { ok: false, reason: `${org.name} is not a municipality` };
        if (org.validTo !== null && org.validTo < before) return { ok: false, reason: `${org.name} no longer exists on ${before}` };
        if (org.mergedInto !== null) return { ok: false, reason: `${org.name} is already merged into ${org.mergedInto}` };
        const late = await lateMergerIssue(pool, input, id);
        if (late) return { ok: false, reason: late };
        const shares = inForce.filter((h) => h.holderId === id).reduce((n, h) => n + h.lastNo - h.firstNo + 1, 0);
        holders.push({ businessId: id, name: org.name, shares });
      }
      // The receiving municipality may be new, or an existing one that absorbs the others.
      const into = await registry.organisation(pool, input.into.businessId);
      if (into && into.kind !== 'municipality') return { ok: false, reason: `${into.name} is not a municipality` };
      if (into && into.validTo !== null) return { ok: false, reason: `${into.name} ends on ${into.validTo} and cannot receive shareholdings` };
      return { ok: true, companyName: company.name, holders };
    },

    /**
     * On the effective date the merging municipalities end (the day before) and their share ranges pass,
     * number for number, to the new municipality. Issued shares do not change. A retry moves nothing twice.
     */
    async transferMergedHoldings(r: { workflowId: string; input: ShareholdingMergerInput }): Promise<{ movedShares: number; ranges: { first: number; last: number }[] }> {
      const { input, workflowId } = r;
      const step = 'transferred';
      return withTransaction(pool, async (tx) => {
        if (!(await registry.company(tx, input.company, true))) {
          throw ApplicationFailure.nonRetryable(`company ${input.company} has no share register`, 'UnknownCompany');
        }
        const done = await registry.stepRanges(tx, workflowId, step);
        if (done.length > 0) return summarise(done);
        await registry.upsertOrganisation(tx, {
          businessId: input.into.businessId, name: input.into.name, kind: 'municipality',
          region: input.into.region ?? null, population: input.into.population ?? null, validFrom: input.effectiveDate,
        });
        // What changed since the check (a municipality onboarded on the effective date) would break a
        // constraint on every retry: refuse once, with the reason, instead.
        for (const id of input.merging) {
          const late = await lateMergerIssue(tx, input, id);
          if (late) throw ApplicationFailure.nonRetryable(late, 'MergerNoLongerPossible');
        }
        const moved: { holderId: string; firstNo: number; lastNo: number }[] = [];
        for (const id of input.merging) {
          const ranges = await registry.disposeHoldings(tx, input.company, id, input.effectiveDate);
          for (const range of ranges) {
            await registry.insertHolding(tx, {
              companyId: input.company, holderId: input.into.businessId, firstNo: range.firstNo, lastNo: range.lastNo,
              acquiredOn: input.effectiveDate, workflowId, step,
            });
            moved.push({ holderId: input.into.businessId, ...range });
          }
          if (id !== input.into.businessId) {
            await registry.endOrganisation(tx, id, dayBefore(input.effectiveDate), input.into.businessId);
          }
        }
        return summarise(moved);
      });
    },
  };
}

/**
 * What the transfer's writes would refuse for one merging municipality: it ends the day before the
 * effective date (so it must exist by then: valid_to >= valid_from), and it passes on the ranges it
 * holds then (a range acquired on or after the effective date could be neither moved nor kept).
 */
export async function lateMergerIssue(db: Queryable, input: ShareholdingMergerInput, id: string): Promise<string | null> {
  const registry = new RegistryRepository();
  const org = await registry.organisation(db, id);
  if (!org) return `municipality ${id} is not in the registry`;
  const before = dayBefore(input.effectiveDate);
  if (org.validFrom > before) return `${org.name} exists only from ${org.validFrom}, so it cannot end on ${before}`;
  const late = await registry.holdingsAcquiredFrom(db, input.company, id, input.effectiveDate);
  if (late > 0) {
    return `${org.name} acquires ${late} shares on or after the effective date ${input.effectiveDate}, which the merger cannot pass on`;
  }
  return null;
}

function summarise(ranges: { firstNo: number; lastNo: number }[]) {
  const sorted = [...ranges].sort((a, b) => a.firstNo - b.firstNo);
  return {
    movedShares: sorted.reduce((n, x) => n + x.lastNo - x.firstNo + 1, 0),
    ranges: sorted.map((x) => ({ first: x.firstNo, last: x.lastNo })),
  };
}
