import type { Pool } from 'pg';
import { withTransaction } from '../../libs/db/pool';
import { RegistryRepository } from '../../libs/db/repositories/registry.repository';
import { allocateRange } from '../../libs/domain/shares';
import { DEMO_BODIES, SWEDISH_NAMES } from './demo-names';
import { DEMO_ORGANISATIONS, DEMO_SOCOM_SHAREHOLDERS, SOCOM_BUSINESS_ID } from './demo-data';

/** Demo price of one Socom share, in cents (illustrative). */
export const DEMO_SHARE_PRICE_CENTS = 100_00;

/** Loads the demo registry: organisations with their validity and Swedish names, their deciding bodies, and Socom Oy's share register. Safe to run twice. */
export async function seedDemoData(pool: Pool): Promise<{ organisations: number; shareholders: number }> {
  const registry = new RegistryRepository();
  return withTransaction(pool, async (tx) => {
    // Merged organisations are inserted open and then ended with their merger edge (endOrganisation
    // records both), so none ends without saying what it merged into.
    for (const o of DEMO_ORGANISATIONS) {
      await registry.upsertOrganisation(tx, { ...o, validTo: o.mergedInto ? null : o.validTo, mergedInto: null });
    }
    // Merger edges point at organisations that may come later in the list, so they are set afterwards.
    for (const o of DEMO_ORGANISATIONS) {
      if (o.mergedInto && o.validTo) await registry.endOrganisation(tx, o.businessId, o.validTo, o.mergedInto);
    }
    await registry.setSwedishNames(tx, SWEDISH_NAMES);
    for (const b of DEMO_BODIES) await registry.upsertBody(tx, b);
    await registry.ensureCompany(tx, SOCOM_BUSINESS_ID, DEMO_SHARE_PRICE_CENTS);
    const company = await registry.company(tx, SOCOM_BUSINESS_ID, true);
    if (company && company.sharesIssued === 0) {
      let next = 1;
      for (const holder of DEMO_SOCOM_SHAREHOLDERS) {
        // A holder that took over its predecessors' holdings holds their ranges, number for number.
        const parts = holder.predecessors ?? [{ holderBusinessId: holder.holderBusinessId, shares: holder.shares, since: holder.since }];
        for (const part of parts) {
          const range = allocateRange(next, part.shares);
          const row = { companyId: SOCOM_BUSINESS_ID, firstNo: range.first, lastNo: range.last, workflowId: 'seed' };
          await registry.insertHolding(tx, { ...row, holderId: part.holderBusinessId, acquiredOn: part.since, step: 'demo-register' });
          if (part.holderBusinessId !== holder.holderBusinessId) {
            await registry.disposeHoldings(tx, SOCOM_BUSINESS_ID, part.holderBusinessId, holder.since);
            await registry.insertHolding(tx, { ...row, holderId: holder.holderBusinessId, acquiredOn: holder.since, step: 'demo-register-merger' });
          }
          next = range.last + 1;
        }
      }
      await registry.setSharesIssued(tx, SOCOM_BUSINESS_ID, next - 1);
    }
    return { organisations: DEMO_ORGANISATIONS.length, shareholders: DEMO_SOCOM_SHAREHOLDERS.length };
  });
}
